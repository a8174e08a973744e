package dev.strata.ingest.bench;

import dev.strata.store.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes Prometheus remote write 1.0 {@code WriteRequest}s (uncompressed protobuf) for load
 * generation: one sample per series, labels in canonical order. Reuses its buffer; not thread safe.
 */
public final class RemoteWriteRequestEncoder {
    private byte[] buf = new byte[1 << 16];
    private int len;

    /** Encodes series {@code [from, to)} of {@code series} with {@code values[i]} at {@code ts}; returns a copy. */
    public byte[] encode(List<Labels> series, double[] values, int from, int to, long ts) {
        len = 0;
        for (int i = from; i < to; i++) {
            Labels l = series.get(i);
            int tsLen = 0;
            for (int k = 0; k < l.size(); k++) tsLen += sizeOfLabel(l.name(k), l.value(k));
            int sampleLen = 1 + 8 + 1 + varintSize(ts);
            tsLen += 1 + varintSize(sampleLen) + sampleLen;
            ensure(tsLen + 16);
            tag(1, 2);
            varint(tsLen);
            for (int k = 0; k < l.size(); k++) {
                String n = l.name(k), v = l.value(k);
                tag(1, 2);
                varint(sizeOfString(n) + sizeOfString(v));
                string(1, n);
                string(2, v);
            }
            tag(2, 2);
            varint(sampleLen);
            tag(1, 1);
            long bits = Double.doubleToRawLongBits(values[i]);
            for (int b = 0; b < 8; b++) buf[len++] = (byte) (bits >>> (8 * b));
            tag(2, 0);
            varint(ts);
        }
        return Arrays.copyOf(buf, len);
    }

    private static int sizeOfLabel(String n, String v) {
        int inner = sizeOfString(n) + sizeOfString(v);
        return 1 + varintSize(inner) + inner;
    }

    private static int sizeOfString(String s) {
        int n = utf8Length(s);
        return 1 + varintSize(n) + n;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }

    private void string(int field, String s) {
        tag(field, 2);
        int n = utf8Length(s);
        varint(n);
        ensure(n);
        if (n == s.length()) {
            for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }
    }

    private void tag(int field, int wire) {
        varint((long) field << 3 | wire);
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(len + extra, buf.length * 2));
    }
}

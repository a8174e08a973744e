package dev.strata.ingest.bench;

import dev.strata.store.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes Prometheus remote write 1.0 {@code WriteRequest}s (uncompressed protobuf) for load
 * generation: one sample per series ({@link #encode}), or series with many samples each
 * ({@link #begin}, {@link #add}, {@link #finish}); labels in canonical order. Reuses its buffer; not
 * thread safe.
 */
public final class RemoteWriteRequestEncoder {
    private byte[] buf = new byte[1 << 16];
    private int len;

    /** Encodes series {@code [from, to)} of {@code series} with {@code values[i]} at {@code ts}; returns a copy. */
    public byte[] encode(List<Labels> series, double[] values, int from, int to, long ts) {
        len = 0;
        long[] t = {ts};
        for (int i = from; i < to; i++) add(series.get(i), t, values, 0, 1, i);
        return finish();
    }

    /** Starts a new request (drops anything added since the last {@link #finish}). */
    public void begin() {
        len = 0;
    }

    /**
     * Adds one time series with samples {@code timestamps[from, to)} / {@code values[from, to)} to the
     * request begun by {@link #begin} (timestamps in increasing order, as remote write requires).
     */
    public void add(Labels labels, long[] timestamps, double[] values, int from, int to) {
        add(labels, timestamps, values, from, to, from);
    }

    /** The request built since {@link #begin}, as a copy. */
    public byte[] finish() {
        return Arrays.copyOf(buf, len);
    }

    /** One series with samples {@code timestamps[i]}, {@code values[valueFrom + i - from]} for i in [from, to). */
    private void add(Labels l, long[] timestamps, double[] values, int from, int to, int valueFrom) {
        int tsLen = 0;
        for (int k = 0; k < l.size(); k++) tsLen += sizeOfLabel(l.name(k), l.value(k));
        for (int i = from; i < to; i++) {
            int sampleLen = sampleLen(timestamps[i]);
            tsLen += 1 + varintSize(sampleLen) + sampleLen;
        }
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
        for (int i = from; i < to; i++) {
            tag(2, 2);
            varint(sampleLen(timestamps[i]));
            tag(1, 1);
            long bits = Double.doubleToRawLongBits(values[valueFrom + i - from]);
            for (int b = 0; b < 8; b++) buf[len++] = (byte) (bits >>> (8 * b));
            tag(2, 0);
            varint(timestamps[i]);
        }
    }

    /** A Sample message: field 1 (double, 1 + 8 bytes) and field 2 (varint timestamp). */
    private static int sampleLen(long ts) {
        return 1 + 8 + 1 + varintSize(ts);
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

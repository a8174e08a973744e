package dev.strata.store.cassandra;

import dev.strata.store.model.Labels;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Binary form of a label set in the series-key table:
 * {@code version:u8=1, count:varint, (nameLen:varint, name:utf8, valueLen:varint, value:utf8)^count},
 * pairs in canonical (sorted) order.
 */
public final class LabelsBlob {
    private static final int VERSION = 1;

    private LabelsBlob() {}

    public static ByteBuffer encode(Labels labels) {
        byte[][] parts = new byte[labels.size() * 2][];
        int size = 1 + 5;
        for (int i = 0; i < labels.size(); i++) {
            parts[2 * i] = labels.name(i).getBytes(StandardCharsets.UTF_8);
            parts[2 * i + 1] = labels.value(i).getBytes(StandardCharsets.UTF_8);
            size += 10 + parts[2 * i].length + parts[2 * i + 1].length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) VERSION);
        putVarint(b, labels.size());
        for (byte[] p : parts) {
            putVarint(b, p.length);
            b.put(p);
        }
        return b.flip();
    }

    public static Labels decode(ByteBuffer in) {
        ByteBuffer b = in.duplicate();
        if (!b.hasRemaining() || b.get() != VERSION) {
            throw new IllegalArgumentException("labels blob: unknown version or empty blob of " + in.remaining() + " bytes");
        }
        int n = getVarint(b);
        String[] kv = new String[n * 2];
        for (int i = 0; i < kv.length; i++) {
            int len = getVarint(b);
            if (len < 0 || len > b.remaining()) {
                throw new IllegalArgumentException("labels blob: string of " + len + " bytes with " + b.remaining() + " left");
            }
            kv[i] = new String(b.array(), b.arrayOffset() + b.position(), len, StandardCharsets.UTF_8);
            b.position(b.position() + len);
        }
        return Labels.of(kv);
    }

    private static void putVarint(ByteBuffer b, int v) {
        while ((v & ~0x7F) != 0) {
            b.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
    }

    private static int getVarint(ByteBuffer b) {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!b.hasRemaining()) throw new IllegalArgumentException("labels blob: truncated varint");
            byte x = b.get();
            v |= (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
        throw new IllegalArgumentException("labels blob: varint too long");
    }
}

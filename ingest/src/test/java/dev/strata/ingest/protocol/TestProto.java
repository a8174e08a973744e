package dev.strata.ingest.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** An independent, naive protobuf encoder for tests (builds messages field by field). */
public final class TestProto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public TestProto tag(int field, int wire) {
        return varint((long) field << 3 | wire);
    }

    public TestProto varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    public TestProto string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    public TestProto bytes(int field, byte[] b) {
        tag(field, 2).varint(b.length);
        out.writeBytes(b);
        return this;
    }

    public TestProto message(int field, TestProto m) {
        return bytes(field, m.toBytes());
    }

    public TestProto doubleField(int field, double v) {
        tag(field, 1);
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 0; i < 8; i++) out.write((int) (bits >>> (8 * i)) & 0xFF);
        return this;
    }

    public TestProto int64(int field, long v) {
        return tag(field, 0).varint(v);
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }

    /** RW1 Label message. */
    public static TestProto label(String n, String v) {
        return new TestProto().string(1, n).string(2, v);
    }

    /** RW1/RW2 Sample message. */
    public static TestProto sample(double v, long ts) {
        return new TestProto().doubleField(1, v).int64(2, ts);
    }
}

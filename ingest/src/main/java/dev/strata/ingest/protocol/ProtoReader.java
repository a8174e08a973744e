package dev.strata.ingest.protocol;

/**
 * A minimal protobuf wire-format reader over a byte array: varints, fixed64 and length-delimited
 * fields, enough for the Prometheus remote-write messages. Not thread safe; one per decode.
 *
 * <p>Usage: {@code while (r.hasMore()) { int tag = r.readTag(); switch (tag) { ... default -> r.skip(tag); } }}.
 * Nested messages: {@code int end = r.readLength(); ... decode while r.pos() < end ...; r.pos(end)}.
 */
public final class ProtoReader {
    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LEN = 2;
    public static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private int limit;

    public ProtoReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.limit = off + len;
    }

    public byte[] buf() {
        return buf;
    }

    public int pos() {
        return pos;
    }

    public void pos(int p) {
        pos = p;
    }

    public int limit() {
        return limit;
    }

    public boolean hasMore(int end) {
        return pos < end;
    }

    public int readTag() {
        long t = readVarint();
        if (t <= 0 || t > Integer.MAX_VALUE) {
            throw new MalformedRequestException("protobuf: invalid tag " + t + " at offset " + pos);
        }
        return (int) t;
    }

    public static int field(int tag) {
        return tag >>> 3;
    }

    public static int wireType(int tag) {
        return tag & 7;
    }

    public long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw new MalformedRequestException("protobuf: truncated varint at offset " + pos);
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) return result;
        }
        throw new MalformedRequestException("protobuf: varint longer than 10 bytes at offset " + pos);
    }

    public long readFixed64() {
        if (limit - pos < 8) {
            throw new MalformedRequestException("protobuf: truncated fixed64 at offset " + pos);
        }
        long v = Utf8Bytes.getLong(buf, pos);
        pos += 8;
        return v;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readFixed64());
    }

    /** Reads a length prefix and returns the end offset of the field's bytes (checked against the limit). */
    public int readLength(int end) {
        long len = readVarint();
        if (len < 0 || len > end - pos) {
            throw new MalformedRequestException("protobuf: length " + len + " at offset " + pos
                    + " exceeds the enclosing message (" + (end - pos) + " bytes left)");
        }
        return pos + (int) len;
    }

    /** Skips the value of a field whose tag was just read. */
    public void skip(int tag, int end) {
        switch (wireType(tag)) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8, end);
            case LEN -> pos = readLength(end);
            case FIXED32 -> advance(4, end);
            default -> throw new MalformedRequestException("protobuf: unsupported wire type " + wireType(tag)
                    + " for field " + field(tag) + " at offset " + pos);
        }
    }

    private void advance(int n, int end) {
        if (end - pos < n) {
            throw new MalformedRequestException("protobuf: truncated field at offset " + pos);
        }
        pos += n;
    }

    /** Throws unless the tag has the expected wire type (names the message and field). */
    public static void expect(int tag, int wireType, String what) {
        if (wireType(tag) != wireType) {
            throw new MalformedRequestException("protobuf: " + what + " has wire type " + wireType(tag)
                    + ", expected " + wireType);
        }
    }
}

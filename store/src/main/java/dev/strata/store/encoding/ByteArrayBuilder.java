package dev.strata.store.encoding;

import java.util.Arrays;

/**
 * A growable byte buffer that encoders append into. The caller owns it and reuses it across chunks
 * ({@link #reset()}), so steady-state encoding allocates nothing. Not thread safe.
 */
public final class ByteArrayBuilder {
    private byte[] buf;
    private int len;

    public ByteArrayBuilder() {
        this(256);
    }

    public ByteArrayBuilder(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public void reset() {
        len = 0;
    }

    public int length() {
        return len;
    }

    /** Truncates to {@code newLength} bytes (used to roll back a failed attempt). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > len) throw new IllegalArgumentException("truncate to " + newLength + " of " + len);
        len = newLength;
    }

    /** The backing array; valid bytes are [0, length()). */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    public void ensureSpare(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
    }

    public void append(int b) {
        if (len == buf.length) ensureSpare(1);
        buf[len++] = (byte) b;
    }

    public void append(byte[] src, int off, int n) {
        ensureSpare(n);
        System.arraycopy(src, off, buf, len, n);
        len += n;
    }

    public void append(ByteArrayBuilder other) {
        append(other.buf, 0, other.len);
    }

    /** Appends 8 bytes big-endian. */
    public void appendLong(long v) {
        ensureSpare(8);
        for (int s = 56; s >= 0; s -= 8) buf[len++] = (byte) (v >>> s);
    }

    /** Appends 4 bytes big-endian. */
    public void appendInt(int v) {
        ensureSpare(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    /** Appends an unsigned LEB128 varint (1 to 10 bytes). */
    public void appendUVarint(long v) {
        ensureSpare(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }
}

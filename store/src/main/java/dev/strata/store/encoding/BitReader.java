package dev.strata.store.encoding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads bit fields written by {@link BitWriter}. Reading past the end yields zero bits instead of
 * throwing, so decode loops stay branch-light; callers check {@link #overrun()} once after decoding
 * a block and report corruption then. Not thread safe; reusable via {@link #reset}.
 */
public final class BitReader {
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf;
    private int limit;    // exclusive byte limit
    private long bitPos;  // absolute bit position in buf
    private long start;

    public BitReader reset(byte[] buf, int off, int len) {
        this.buf = buf;
        this.limit = off + len;
        this.bitPos = (long) off << 3;
        this.start = bitPos;
        return this;
    }

    /** The next 64 bits, left-aligned, without consuming them; bits past the end read as zero. */
    public long peek64() {
        int i = (int) (bitPos >>> 3);
        int s = (int) (bitPos & 7);
        if (i + 9 <= limit) {
            // Branch-free: for s == 0 the ninth byte shifts out entirely (x >>> 8 == 0 for x < 256).
            return ((long) BE_LONG.get(buf, i) << s) | ((buf[i + 8] & 0xFFL) >>> (8 - s));
        }
        return slowPeek(i, s);
    }

    /** Same as {@link #peek64()} at an explicit bit position, for decode loops that keep the position in a local. */
    long peekAt(long pos) {
        int i = (int) (pos >>> 3);
        int s = (int) (pos & 7);
        if (i + 9 <= limit) {
            return ((long) BE_LONG.get(buf, i) << s) | ((buf[i + 8] & 0xFFL) >>> (8 - s));
        }
        return slowPeek(i, s);
    }

    long position() {
        return bitPos;
    }

    void position(long pos) {
        bitPos = pos;
    }

    private long slowPeek(int i, int s) {
        long w = 0;
        for (int k = 0; k < 9; k++) {
            long b = i + k < limit ? buf[i + k] & 0xFFL : 0;
            if (k < 8) w |= b << (56 - 8 * k);
            else if (s != 0) w = (w << s) | (b >>> (8 - s));
        }
        return w;
    }

    /** Reads {@code n} bits (0 <= n <= 64) as an unsigned value. */
    public long read(int n) {
        if (n == 0) return 0;
        long w = peek64();
        bitPos += n;
        return w >>> (64 - n);
    }

    public boolean readBit() {
        return read(1) != 0;
    }

    /** Consumes {@code n} bits (after a {@link #peek64()}). */
    public void skip(int n) {
        bitPos += n;
    }

    /** Moves to the next byte boundary. */
    public void alignToByte() {
        bitPos = (bitPos + 7) & ~7L;
    }

    /** Absolute byte offset of the current position (after {@link #alignToByte()}). */
    public int bytePosition() {
        return (int) ((bitPos + 7) >>> 3);
    }

    /** True if more bits were consumed than the input holds. */
    public boolean overrun() {
        return bitPos > ((long) limit << 3);
    }

    /** Bits consumed since reset. */
    public long bitsRead() {
        return bitPos - start;
    }
}

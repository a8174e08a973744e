package dev.strata.store.encoding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads bit fields written by {@link BitWriter}. Reading past the end yields zero bits instead of
 * throwing, so decode loops stay branch-light; callers check {@link #overrun()} once after decoding
 * a block and report corruption then. Not thread safe; reusable via {@link #reset}.
 * <p>
 * {@link #reset} copies the input into a scratch array followed by {@value #PAD} zero bytes, so
 * every 64-bit peek within the input (and up to 7 bytes past it) is one unaligned 8-byte load plus
 * one byte: no slow path for the last 9 bytes, where a tightly packed chunk keeps many samples.
 * Positions stay absolute offsets into the caller's array.
 */
public final class BitReader {
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int PAD = 16;

    private byte[] data = new byte[256]; // copy of the input, then PAD zero bytes
    private int origin;   // offset in the caller's array of data[0]
    private int padEnd;   // input length + PAD: data[0, padEnd) is the input and zeros
    private int limit;    // exclusive byte limit (absolute)
    private long bitPos;  // absolute bit position
    private long start;

    public BitReader reset(byte[] buf, int off, int len) {
        if (data.length < len + PAD) data = new byte[Math.max(len + PAD, data.length * 2)];
        System.arraycopy(buf, off, data, 0, len);
        Arrays.fill(data, len, len + PAD, (byte) 0);
        this.origin = off;
        this.padEnd = len + PAD;
        this.limit = off + len;
        this.bitPos = (long) off << 3;
        this.start = bitPos;
        return this;
    }

    /** The next 64 bits, left-aligned, without consuming them; bits past the end read as zero. */
    public long peek64() {
        return peekAt(bitPos);
    }

    /** Same as {@link #peek64()} at an explicit bit position, for decode loops that keep the position in a local. */
    long peekAt(long pos) {
        int i = (int) (pos >>> 3) - origin;
        int s = (int) (pos & 7);
        if (i + 9 <= padEnd) {
            // Branch-free: for s == 0 the ninth byte shifts out entirely (x >>> 8 == 0 for x < 256).
            return ((long) BE_LONG.get(data, i) << s) | ((data[i + 8] & 0xFFL) >>> (8 - s));
        }
        return 0; // i > input length + 7: every byte of the window is past the end
    }

    /**
     * The next 57 bits at {@code pos}, left-aligned (the low 7 bits are unspecified): one 8-byte
     * load, for fields of at most 57 bits. Bits past the end read as zero.
     */
    long peek57At(long pos) {
        int i = (int) (pos >>> 3) - origin;
        if (i + 8 <= padEnd) return (long) BE_LONG.get(data, i) << (pos & 7);
        return 0;
    }

    long position() {
        return bitPos;
    }

    void position(long pos) {
        bitPos = pos;
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

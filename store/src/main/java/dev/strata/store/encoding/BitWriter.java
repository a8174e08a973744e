package dev.strata.store.encoding;

/**
 * Appends bit fields, most significant bit first, to a caller's {@link ByteArrayBuilder}. Bits are
 * collected in a 64-bit register and written out a word at a time. {@link #finish()} pads the last
 * byte with zero bits. Not thread safe; reusable via {@link #reset(ByteArrayBuilder)}.
 */
public final class BitWriter {
    private ByteArrayBuilder out;
    private long acc;      // pending bits, left-aligned
    private int fill;      // number of pending bits in acc (0..63)
    private long written;  // total bits written since reset

    public BitWriter reset(ByteArrayBuilder out) {
        this.out = out;
        acc = 0;
        fill = 0;
        written = 0;
        return this;
    }

    /** Writes the low {@code n} bits of {@code v} (0 <= n <= 64). */
    public void write(long v, int n) {
        if (n == 0) return;
        if (n < 64) v &= (1L << n) - 1;
        written += n;
        int free = 64 - fill;
        if (n < free) {
            acc |= v << (free - n);
            fill += n;
        } else {
            int rest = n - free;
            acc |= v >>> rest;
            out.appendLong(acc);
            acc = rest == 0 ? 0 : v << (64 - rest);
            fill = rest;
        }
    }

    public void writeBit(boolean bit) {
        write(bit ? 1 : 0, 1);
    }

    /** Bits written since reset (before padding). */
    public long bitsWritten() {
        return written;
    }

    /** Flushes pending bits, padding the last byte with zeros. */
    public void finish() {
        int bytes = (fill + 7) >>> 3;
        for (int i = 0; i < bytes; i++) out.append((int) (acc >>> (56 - 8 * i)));
        acc = 0;
        fill = 0;
    }
}

package dev.strata.store.encoding;

/**
 * Delta-of-delta timestamps, bit-packed with a prefix code (Gorilla's scheme, widened for
 * millisecond jitter). The first delta is coded as a delta-of-delta against 0.
 * <pre>
 *   '0'                      dod == 0
 *   '10'    + 7-bit signed   -64 .. 63
 *   '110'   + 10-bit signed  -512 .. 511
 *   '1110'  + 16-bit signed
 *   '11110' + 32-bit signed
 *   '11111' + 64 bits
 * </pre>
 */
public final class DodTimestampCodec implements TimestampCodec {
    public static final int ID = 2;

    @Override public int id() { return ID; }
    @Override public String name() { return "ts-dod"; }

    @Override
    public boolean encode(long[] ts, int count, BitWriter out) {
        long prevDelta = 0;
        for (int i = 1; i < count; i++) {
            long delta = ts[i] - ts[i - 1];
            long dod = delta - prevDelta;
            prevDelta = delta;
            if (dod == 0) {
                out.write(0, 1);
            } else if (dod >= -64 && dod <= 63) {
                out.write(0b10, 2);
                out.write(dod, 7);
            } else if (dod >= -512 && dod <= 511) {
                out.write(0b110, 3);
                out.write(dod, 10);
            } else if (dod >= Short.MIN_VALUE && dod <= Short.MAX_VALUE) {
                out.write(0b1110, 4);
                out.write(dod, 16);
            } else if (dod >= Integer.MIN_VALUE && dod <= Integer.MAX_VALUE) {
                out.write(0b11110, 5);
                out.write(dod, 32);
            } else {
                out.write(0b11111, 5);
                out.write(dod, 64);
            }
        }
        return true;
    }

    /** Decodes, then throws {@link CorruptChunkException} if the timestamps do not strictly increase. */
    @Override
    public void decode(BitReader in, long first, long last, int count, long[] dst) {
        if (!decodeIncreasing(in, first, count, dst)) {
            for (int i = 1; i < count; i++) {
                if (dst[i] <= dst[i - 1]) throw new CorruptChunkException(name() + ": timestamps not increasing at sample " + i);
            }
        }
    }

    /** Longest code the decode window must hold whole: '11110' + 32 bits (the 64-bit escape reads separately). */
    private static final int MAX_WINDOW_CODE = 37;

    /**
     * Decodes and returns whether the timestamps strictly increase (checked on the fly, so callers
     * need no second pass over them). Codes are read from a 64-bit window that is refilled from the
     * buffer only when the next code might not fit, which keeps the memory load and the bit
     * position's bookkeeping off the per-sample dependency chain.
     */
    boolean decodeIncreasing(BitReader in, long first, int count, long[] dst) {
        dst[0] = first;
        long t = first;
        long delta = 0;
        long pos = in.position();
        long window = in.peekAt(pos);
        int used = 0;
        boolean bad = false;
        for (int i = 1; i < count; i++) {
            if (used > 64 - MAX_WINDOW_CODE) {
                pos += used;
                window = in.peekAt(pos);
                used = 0;
            }
            long w = window << used;
            long dod;
            if (w >= 0) {               // '0'
                used++;
                dod = 0;
            } else {
                int ones = Long.numberOfLeadingZeros(~w);
                if (ones == 1) {
                    used += 9;
                    dod = (w << 2) >> 57;
                } else if (ones == 2) {
                    used += 13;
                    dod = (w << 3) >> 54;
                } else if (ones == 3) {
                    used += 20;
                    dod = (w << 4) >> 48;
                } else if (ones == 4) {
                    used += 37;
                    dod = (w << 5) >> 32;
                } else {                // '11111' + 64 bits
                    pos += used + 5;
                    dod = in.peekAt(pos);
                    pos += 64;
                    window = in.peekAt(pos);
                    used = 0;
                }
            }
            delta += dod;
            long next = t + delta;
            bad |= next <= t;
            t = next;
            dst[i] = t;
        }
        in.position(pos + used);
        return !bad;
    }
}

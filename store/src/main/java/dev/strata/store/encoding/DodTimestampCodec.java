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

    @Override
    public void decode(BitReader in, long first, long last, int count, long[] dst) {
        dst[0] = first;
        long t = first;
        long delta = 0;
        for (int i = 1; i < count; i++) {
            long w = in.peek64();
            int ones = Long.numberOfLeadingZeros(~w);
            long dod;
            if (ones == 0) {
                in.skip(1);
                dod = 0;
            } else if (ones == 1) {
                in.skip(9);
                dod = (w << 2) >> 57;
            } else if (ones == 2) {
                in.skip(13);
                dod = (w << 3) >> 54;
            } else if (ones == 3) {
                in.skip(20);
                dod = (w << 4) >> 48;
            } else if (ones == 4) {
                in.skip(37);
                dod = (w << 5) >> 32;
            } else {
                in.skip(5);
                dod = in.read(64);
            }
            delta += dod;
            t += delta;
            dst[i] = t;
        }
    }
}

package dev.strata.store.encoding;

/**
 * Values that are decimals up to a few units in the last place: sums accumulated in binary
 * floating point ({@code 478.62926600000003}), timestamps as seconds with sub-ms digits
 * ({@code 1795294290.1772103}, more digits than a double holds). {@code decimal} cannot take them
 * (no exact {@code m / 10^e} with {@code |m| <= 2^53}), so they went to gorilla-xor at 4-7 bytes per
 * sample. Here each value is split into the nearest decimal at one scale for the chunk and the
 * exact difference of the IEEE bit patterns:
 * <pre>
 *   m[i] = rint(v[i] * 10^e)          an integer, |m| <= 2^53
 *   d[i] = the value of m[i] at scale e, computed exactly as decimal decodes it
 *   k[i] = bits(v[i]) - bits(d[i])    64-bit two's complement; usually a few ulps
 *   decode: v[i] = fromBits(bits(d[i]) + k[i])
 * </pre>
 * Payload: the integers m with their scale exactly as {@code decimal-blocks} stores them
 * ({@code e:5 order:2 shift:6 base* block*}), then the corrections in blocks of
 * {@value DecimalBlockValueCodec#BLOCK}: {@code w:7} (0..64) and each block's {@code zigzag(k)} in w
 * bits. Lossless for any finite value whatever m is (k absorbs the rest); the encoder tries the
 * scales from 0 up while {@code |v * 10^e| <= 2^53}, stops 6 scales after the best so far (past the
 * digits the values carry, more scale only widens m; this bounds the encode cost), and keeps the
 * smallest payload (ties: the smaller scale). Not applicable (encode returns false) to chunks with NaN or infinities. An instance keeps
 * scratch arrays: not thread safe.
 */
public final class DecimalUlpValueCodec implements ValueCodec {
    public static final int ID = 5;
    private static final int BLOCK = DecimalBlockValueCodec.BLOCK;
    private static final double MAX_MANTISSA = 0x1p53;

    private final DecimalBlockValueCodec ints = new DecimalBlockValueCodec();
    private double[] nearest = new double[0];
    private long[] corrections = new long[0];

    @Override public int id() { return ID; }
    @Override public String name() { return "decimal-ulp"; }

    @Override
    public boolean encode(double[] values, int count, BitWriter out) {
        double maxAbs = 0;
        for (int i = 0; i < count; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) return false;
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        if (nearest.length < count) {
            nearest = new double[Math.max(count, 2 * nearest.length)];
            corrections = new long[nearest.length];
        }
        int bestE = -1;
        long bestBits = Long.MAX_VALUE;
        for (int e = 0; e <= DecimalValueCodec.MAX_SCALE && maxAbs * DecimalValueCodec.pow10(e) <= MAX_MANTISSA; e++) {
            long bits = split(values, count, e);
            if (bits < bestBits) {
                bestBits = bits;
                bestE = e;
            } else if (e - bestE >= 6) {
                break; // see the class comment: a bound on the search, deterministic
            }
        }
        if (bestE < 0) return false; // |v| > 2^53 somewhere: no integer part fits
        split(values, count, bestE);
        ints.writeIntegers(bestE, count, out);
        for (int b = 0; b < count; b += BLOCK) {
            int end = Math.min(count, b + BLOCK);
            int w = 0;
            for (int i = b; i < end; i++) w = Math.max(w, Zigzag.bitLength(Zigzag.encode(corrections[i])));
            out.write(w, 7);
            for (int i = b; i < end; i++) out.write(Zigzag.encode(corrections[i]), w);
        }
        return true;
    }

    /** Fills the integers and corrections for scale e and returns the payload size in bits. */
    private long split(double[] values, int count, int e) {
        long[] m = ints.integers(count);
        double p = DecimalValueCodec.pow10(e);
        for (int i = 0; i < count; i++) m[i] = (long) Math.rint(values[i] * p);
        DecimalValueCodec.toDoubles(m, e, count, nearest);
        long bits = ints.integerBits(count);
        for (int b = 0; b < count; b += BLOCK) {
            int end = Math.min(count, b + BLOCK);
            int w = 0;
            for (int i = b; i < end; i++) {
                long k = Double.doubleToRawLongBits(values[i]) - Double.doubleToRawLongBits(nearest[i]);
                corrections[i] = k;
                w = Math.max(w, Zigzag.bitLength(Zigzag.encode(k)));
            }
            bits += 7 + (long) w * (end - b);
        }
        return bits;
    }

    @Override
    public void decode(BitReader in, int count, double[] dst) {
        int e = ints.readIntegers(in, count);
        long[] m = ints.integers(count);
        DecimalValueCodec.toDoubles(m, e, count, dst);
        long pos = in.position();
        for (int b = 0; b < count; b += BLOCK) {
            int w = (int) (in.peekAt(pos) >>> 57);
            if (w > 64) throw new CorruptChunkException(name() + ": correction width " + w + " > 64");
            pos += 7;
            int end = Math.min(count, b + BLOCK);
            if (w == 0) continue;
            int s = 64 - w;
            if (w <= 57) { // one 8-byte load per correction
                for (int i = b; i < end; i++) {
                    long k = Zigzag.decode(in.peek57At(pos) >>> s);
                    dst[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(dst[i]) + k);
                    pos += w;
                }
                continue;
            }
            for (int i = b; i < end; i++) {
                long k = Zigzag.decode(in.peekAt(pos) >>> s);
                dst[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(dst[i]) + k);
                pos += w;
            }
        }
        in.position(pos);
    }
}

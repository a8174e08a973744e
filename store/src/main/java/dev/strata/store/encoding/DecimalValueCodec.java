package dev.strata.store.encoding;

/**
 * Decimal-scaled integers: most scraped values are printed decimals with few significant digits
 * (counters, byte counts, "0.000091576"). If every value v equals {@code m / 10^e} exactly (as
 * IEEE division of the long m by the exact double 10^e, |m| <= 2^53, 0 <= e <= 22), the chunk
 * stores the integers m instead, as one of three residual orders, picked per chunk:
 * <ul>
 *   <li>order 0: m - min (frame of reference; noisy gauges);</li>
 *   <li>order 1: deltas (gauges that wander, counters with irregular increments);</li>
 *   <li>order 2: delta-of-deltas (counters with near-constant rate: the counter-aware mode; a
 *       reset costs one large residual, not a change of mode).</li>
 * </ul>
 * Residuals (zigzagged for orders 1 and 2) are bit-packed either at one fixed width, or with a
 * four-bucket prefix code whose widths are optimised for this chunk:
 * <pre>
 *   '0' + w0 bits | '10' + w1 bits | '110' + w2 bits | '111' + w3 bits     (w0 <= w1 <= w2 <= w3)
 * </pre>
 * Payload grammar (bits): {@code e:5 order:2 packing:1 base* widths residual*} where base is one
 * (order 0: min; order 1: m0) or two (order 2: m0, d1) length-prefixed zigzag integers
 * ({@code len:7 bits:len}), widths is {@code w:7} (fixed) or {@code w0:7 w1:7 w2:7 w3:7} (buckets).
 * Values that are NaN, infinite or -0.0 make the codec inapplicable (the writer falls back).
 * The encoder keeps scratch arrays: an instance is not thread safe.
 */
public final class DecimalValueCodec implements ValueCodec {
    public static final int ID = 3;
    static final int MAX_SCALE = 22;
    private static final long MAX_MANTISSA = 1L << 53;
    private static final double[] POW10 = new double[MAX_SCALE + 1];
    private static final double[] INV10 = new double[MAX_SCALE + 1];
    static {
        double p = 1;
        for (int i = 0; i <= MAX_SCALE; i++) {
            POW10[i] = p;           // exact: 10^22 < 2^53 * 2^22 and 5^22 < 2^53
            INV10[i] = 1.0 / p;     // the double nearest 10^-i
            p *= 10;
        }
    }

    /**
     * The value an integer m stands for at scale e: {@code q + (m - q * 10^e) * 10^-e} with
     * q = m * 10^-e, both corrections fused multiply-adds (IEEE 754 round-to-nearest, so every
     * platform computes the same bits). It is the correctly rounded m / 10^e for decimal-parsed
     * values in practice, and it is 3 pipelined multiplies instead of a division; exactness does not
     * rest on that claim: the encoder accepts a value only if this function reproduces its bits.
     */
    static double scaled(long m, int e) {
        double x = (double) m;
        double inv = INV10[e];
        double q = x * inv;
        return Math.fma(Math.fma(-q, POW10[e], x), inv, q);
    }
    private static final int[] PREFIX_LEN = {1, 2, 3, 3};

    private long[] ints = new long[0];
    private long[] resid = new long[0];
    private final int[] hist = new int[65];
    private boolean lastBucketed;
    /** Forced residual order for tests and reports (-1 = choose). */
    private final int forceOrder;

    public DecimalValueCodec() {
        this(-1);
    }

    /** A codec that always uses residual order {@code forceOrder} (0, 1, 2), or -1 to choose per chunk. */
    public DecimalValueCodec(int forceOrder) {
        if (forceOrder < -1 || forceOrder > 2) throw new IllegalArgumentException("order must be -1, 0, 1 or 2: " + forceOrder);
        this.forceOrder = forceOrder;
    }

    @Override public int id() { return ID; }
    @Override public String name() { return forceOrder < 0 ? "decimal" : "decimal-order" + forceOrder; }

    /** True if v == m / 10^e bit-exactly for m = round(v * 10^e); stores m in ints[i]. */
    private static boolean fits(double v, int e, long[] ints, int i) {
        long m = Math.round(v * POW10[e]);
        if (m > MAX_MANTISSA || m < -MAX_MANTISSA) return false;
        long bits = Double.doubleToRawLongBits(v);
        if (Double.doubleToRawLongBits(scaled(m, e)) == bits) { ints[i] = m; return true; }
        if (Double.doubleToRawLongBits(scaled(m + 1, e)) == bits) { ints[i] = m + 1; return true; }
        if (Double.doubleToRawLongBits(scaled(m - 1, e)) == bits) { ints[i] = m - 1; return true; }
        return false;
    }

    /**
     * The smallest scale e at which every value of values[0..count) is an exact decimal m / 10^e
     * (see {@link #scaled}), storing the integers m in ints[0..count); -1 if there is none.
     */
    static int toIntegers(double[] values, int count, long[] ints) {
        int e = 0;
        for (int i = 0; i < count; i++) {
            while (!fits(values[i], e, ints, i)) {
                if (++e > MAX_SCALE) return -1;
            }
        }
        for (int i = 0; i < count; i++) {
            if (!fits(values[i], e, ints, i)) return -1;
        }
        return e;
    }

    /** Whether the last successful {@link #encode} chose the bucket packing (slower to decode than fixed). */
    boolean lastEncodingBucketed() {
        return lastBucketed;
    }

    @Override
    public boolean encode(double[] values, int count, BitWriter out) {
        if (ints.length < count || resid.length < count) {
            ints = new long[Math.max(count, ints.length * 2)];
            resid = new long[ints.length];
        }
        int e = toIntegers(values, count, ints);
        if (e < 0) return false;
        int bestOrder = -1;
        long bestBits = Long.MAX_VALUE;
        int[] bestWidths = null;
        for (int order = 0; order <= 2; order++) {
            if (forceOrder >= 0 && order != forceOrder) continue;
            int n = residuals(order, count);
            int[] widths = chooseWidths(n);
            long bits = DecimalBase.bits(ints, order, count) + packedBits(widths, n);
            if (bits < bestBits) {
                bestBits = bits;
                bestOrder = order;
                bestWidths = widths;
            }
        }
        int n = residuals(bestOrder, count);
        lastBucketed = bestWidths.length > 1;
        out.write(e, 5);
        out.write(bestOrder, 2);
        out.write(bestWidths.length == 1 ? 0 : 1, 1);
        DecimalBase.write(ints, bestOrder, count, out);
        for (int w : bestWidths) out.write(w, 7);
        if (bestWidths.length == 1) {
            int w = bestWidths[0];
            for (int i = 0; i < n; i++) out.write(resid[i], w);
        } else {
            for (int i = 0; i < n; i++) {
                long r = resid[i];
                int len = Zigzag.bitLength(r);
                int b = len <= bestWidths[0] ? 0 : len <= bestWidths[1] ? 1 : len <= bestWidths[2] ? 2 : 3;
                out.write(b == 0 ? 0 : b == 1 ? 0b10 : b == 2 ? 0b110 : 0b111, PREFIX_LEN[b]);
                out.write(r, bestWidths[b]);
            }
        }
        return true;
    }

    /** Fills resid[] for the order; returns how many residuals. */
    private int residuals(int order, int count) {
        long[] m = ints;
        switch (order) {
            case 0 -> {
                long min = m[0];
                for (int i = 1; i < count; i++) min = Math.min(min, m[i]);
                for (int i = 0; i < count; i++) resid[i] = m[i] - min;
                return count;
            }
            case 1 -> {
                for (int i = 1; i < count; i++) resid[i - 1] = Zigzag.encode(m[i] - m[i - 1]);
                return count - 1;
            }
            default -> {
                if (count < 2) return 0;
                for (int i = 2; i < count; i++) resid[i - 2] = Zigzag.encode((m[i] - m[i - 1]) - (m[i - 1] - m[i - 2]));
                return count - 2;
            }
        }
    }

    /** Picks fixed width ({1 width}) or bucket widths ({4 widths}) minimising bits for resid[0..n). */
    private int[] chooseWidths(int n) {
        java.util.Arrays.fill(hist, 0);
        int maxLen = 0;
        for (int i = 0; i < n; i++) {
            int len = Zigzag.bitLength(resid[i]);
            hist[len]++;
            if (len > maxLen) maxLen = len;
        }
        long fixedBits = 7 + (long) n * maxLen;
        // Candidate widths: lengths that occur (an optimal bucket width is always one of them).
        int[] lens = new int[65];
        long[] cum = new long[65]; // cum[k] = residuals with length <= lens[k]
        int k = 0;
        long c = 0;
        for (int len = 0; len <= maxLen; len++) {
            if (hist[len] == 0) continue;
            c += hist[len];
            lens[k] = len;
            cum[k] = c;
            k++;
        }
        // Exhaustive over w0 <= w1 <= w2 among those lengths, in O(k^2): the best w0 depends only
        // on w1, so it is found once per w1 (bestFor1), then every (w1, w2) pair is priced.
        long best = Long.MAX_VALUE;
        int b0 = 0, b1 = 0, b2 = 0;
        for (int j = 0; j < k; j++) {
            long bestFor1 = Long.MAX_VALUE;
            int argFor1 = 0;
            for (int i = 0; i <= j; i++) {
                long c0 = cum[i] * (1 + lens[i]) + (cum[j] - cum[i]) * (2 + lens[j]);
                if (c0 < bestFor1) {
                    bestFor1 = c0;
                    argFor1 = i;
                }
            }
            for (int l = j; l < k; l++) {
                long cost = bestFor1 + (cum[l] - cum[j]) * (3 + lens[l]) + (n - cum[l]) * (3 + maxLen);
                if (cost < best) {
                    best = cost;
                    b0 = lens[argFor1]; b1 = lens[j]; b2 = lens[l];
                }
            }
        }
        if (k == 0 || fixedBits <= best + 28) return new int[] {maxLen};
        return new int[] {b0, b1, b2, maxLen};
    }

    /** Bits of the packing header plus the packed residuals resid[0..n) (recomputed from the histogram). */
    private long packedBits(int[] widths, int n) {
        if (widths.length == 1) return 7 + (long) n * widths[0];
        long bits = 28;
        for (int len = 0; len <= 64; len++) {
            if (hist[len] == 0) continue;
            int b = len <= widths[0] ? 0 : len <= widths[1] ? 1 : len <= widths[2] ? 2 : 3;
            bits += (long) hist[len] * (PREFIX_LEN[b] + widths[b]);
        }
        return bits;
    }

    @Override
    public void decode(BitReader in, int count, double[] dst) {
        int e = (int) in.read(5);
        int order = (int) in.read(2);
        boolean buckets = in.read(1) != 0;
        if (e > MAX_SCALE) throw new CorruptChunkException("decimal: scale " + e + " > " + MAX_SCALE);
        if (order > 2) throw new CorruptChunkException("decimal: unknown residual order " + order);
        long base0 = Zigzag.readLengthPrefixed(in);
        long base1 = order == 2 && count >= 2 ? Zigzag.readLengthPrefixed(in) : 0;
        int w0 = readWidth(in), w1 = 0, w2 = 0, w3 = 0;
        if (buckets) {
            w1 = readWidth(in);
            w2 = readWidth(in);
            w3 = readWidth(in);
        }
        if (!buckets && w0 == 0) {
            decodeWithoutResiduals(order, base0, base1, e, count, dst);
            return;
        }
        long[] m = ints.length >= count ? ints : (ints = new long[count]);
        // Pass 1 unpacks the residuals and integrates them into the integers m[] (scalar: the bit
        // position and the running sums are loop-carried, but independent of each other); pass 2
        // converts m[] to doubles, a loop without loop-carried state that the JIT can vectorise.
        int first = order == 0 ? 0 : order == 1 ? 1 : Math.min(2, count);
        m[0] = base0;
        if (first == 2) m[1] = base0 + base1;
        if (!buckets) {
            unpackFixed(in, w0, order, m, first, count);
        } else if (w3 <= 61) {
            unpackBuckets(in, w0 | w1 << 8 | w2 << 16 | w3 << 24, 3 + w3, order, m, first, count);
        } else {
            unpackBucketsWide(in, new int[] {w0, w1, w2, w3}, order, m, first, count);
        }
        toDoubles(m, e, count, dst);
    }

    private static int readWidth(BitReader in) {
        int w = (int) in.read(7);
        if (w > 64) throw new CorruptChunkException("decimal: residual width " + w + " > 64");
        return w;
    }

    /**
     * Fixed packing of width 0: no residual bits at all. Order 0 and 1 are a constant (the most
     * common chunk on scraped data: 55-63% of samples), order 2 an arithmetic progression (a
     * counter with a perfectly steady rate).
     */
    private void decodeWithoutResiduals(int order, long base0, long base1, int e, int count, double[] dst) {
        if (order != 2 || base1 == 0 || count < 2) {
            java.util.Arrays.fill(dst, 0, count, value(base0, e));
            return;
        }
        long[] m = ints.length >= count ? ints : (ints = new long[count]);
        long acc = base0;
        for (int i = 0; i < count; i++) {
            m[i] = acc;
            acc += base1;
        }
        toDoubles(m, e, count, dst);
    }

    /** 10^e, exact for 0 <= e <= {@link #MAX_SCALE}. */
    static double pow10(int e) {
        return POW10[e];
    }

    static double value(long m, int e) {
        return e == 0 ? (double) m : scaled(m, e);
    }

    /** dst[i] = the value of m[i] at scale e (see {@link #scaled}), for i < count. */
    static void toDoubles(long[] m, int e, int count, double[] dst) {
        if (e == 0) {
            for (int i = 0; i < count; i++) dst[i] = (double) m[i];
            return;
        }
        double p = POW10[e], inv = INV10[e];
        for (int i = 0; i < count; i++) {
            double x = (double) m[i];
            double q = x * inv;
            dst[i] = Math.fma(Math.fma(-q, p, x), inv, q);
        }
    }

    /**
     * Fixed-width residuals (w >= 1) into m[from, to), integrated per order; m[0] (and m[1] for
     * order 2) already hold the bases. Order 0 adds the base to each residual.
     */
    private static void unpackFixed(BitReader in, int w, int order, long[] m, int from, int to) {
        if (w <= 57) {
            unpackFixed57(in, w, order, m, from, to);
            return;
        }
        long pos = in.position();
        int shift = 64 - w;
        switch (order) {
            case 0 -> {
                long base = m[0];
                for (int i = 0; i < to; i++) {
                    m[i] = base + (in.peekAt(pos) >>> shift);
                    pos += w;
                }
            }
            case 1 -> {
                long acc = m[0];
                for (int i = from; i < to; i++) {
                    acc += Zigzag.decode(in.peekAt(pos) >>> shift);
                    m[i] = acc;
                    pos += w;
                }
            }
            default -> {
                if (to >= 2) {
                    long acc = m[1], d = m[1] - m[0];
                    for (int i = from; i < to; i++) {
                        d += Zigzag.decode(in.peekAt(pos) >>> shift);
                        acc += d;
                        m[i] = acc;
                        pos += w;
                    }
                }
            }
        }
        in.position(pos);
    }

    /**
     * {@link #unpackFixed} for widths up to 57 bits (nearly all chunks): a field then always lies in
     * the 8 bytes starting at its first byte, so each sample costs one 8-byte load instead of nine bytes.
     */
    private static void unpackFixed57(BitReader in, int w, int order, long[] m, int from, int to) {
        long pos = in.position();
        int shift = 64 - w;
        switch (order) {
            case 0 -> {
                long base = m[0];
                for (int i = 0; i < to; i++) {
                    m[i] = base + (in.peek57At(pos) >>> shift);
                    pos += w;
                }
            }
            case 1 -> {
                long acc = m[0];
                for (int i = from; i < to; i++) {
                    acc += Zigzag.decode(in.peek57At(pos) >>> shift);
                    m[i] = acc;
                    pos += w;
                }
            }
            default -> {
                if (to >= 2) {
                    long acc = m[1], d = m[1] - m[0];
                    for (int i = from; i < to; i++) {
                        d += Zigzag.decode(in.peek57At(pos) >>> shift);
                        acc += d;
                        m[i] = acc;
                        pos += w;
                    }
                }
            }
        }
        in.position(pos);
    }

    /**
     * Bucket-packed residuals, every width <= 61, branch-free: code = number of leading 1s capped
     * at 3, prefix length min(code + 1, 3), width = byte {@code code} of {@code packedWidths};
     * ((w << plen) >>> 1) >>> (63 - width) extracts width bits and yields 0 for width 0. Codes are
     * read from a 64-bit window refilled only when the next code might not fit ({@code maxCode}
     * bits), which keeps the memory load off the per-sample dependency chain.
     */
    private static void unpackBuckets(BitReader in, int packedWidths, int maxCode, int order, long[] m, int from, int to) {
        long pos = in.position();
        int refillAt = 64 - maxCode;
        long window = in.peekAt(pos);
        int used = 0;
        long acc = m[0], d = from == 2 ? m[1] - m[0] : 0;
        if (from == 2) acc = m[1];
        for (int i = from; i < to; i++) {
            if (used > refillAt) {
                pos += used;
                window = in.peekAt(pos);
                used = 0;
            }
            long w = window << used;
            int code = Math.min(Long.numberOfLeadingZeros(~w), 3);
            int plen = Math.min(code + 1, 3);
            int width = (packedWidths >>> (code << 3)) & 0xFF;
            long r = ((w << plen) >>> 1) >>> (63 - width);
            used += plen + width;
            if (order == 0) {
                m[i] = acc + r;
            } else if (order == 1) {
                acc += Zigzag.decode(r);
                m[i] = acc;
            } else {
                d += Zigzag.decode(r);
                acc += d;
                m[i] = acc;
            }
        }
        in.position(pos + used);
    }

    /** Bucket-packed residuals with a width over 61 (rare: random 62+ bit integers), bit by field. */
    private static void unpackBucketsWide(BitReader in, int[] widths, int order, long[] m, int from, int to) {
        long acc = m[0], d = from == 2 ? m[1] - m[0] : 0;
        if (from == 2) acc = m[1];
        for (int i = from; i < to; i++) {
            long w = in.peek64();
            int code = Math.min(Long.numberOfLeadingZeros(~w), 3);
            in.skip(PREFIX_LEN[code]);
            long r = in.read(widths[code]);
            if (order == 0) {
                m[i] = acc + r;
            } else if (order == 1) {
                acc += Zigzag.decode(r);
                m[i] = acc;
            } else {
                d += Zigzag.decode(r);
                acc += d;
                m[i] = acc;
            }
        }
    }
}

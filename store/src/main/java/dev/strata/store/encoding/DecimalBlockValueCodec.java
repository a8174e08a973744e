package dev.strata.store.encoding;

/**
 * Decimal-scaled integers (the same mapping as {@link DecimalValueCodec}: every value is
 * {@code m / 10^e} exactly) whose residuals are packed in blocks of {@value #BLOCK} at one width
 * per block. It exists for decode speed: the width of every residual is known before the block is
 * read, so unpacking has no bit-serial dependency from one residual to the next (the prefix code
 * of {@code decimal}'s bucket packing makes every position depend on the previous code), and it
 * adapts to local magnitude, so it is about as compact as the bucket packing on scraped data.
 * <p>
 * Payload grammar (bits): {@code e:5 order:2 shift:6 base* block*} with
 * <ul>
 *   <li>base as in {@code decimal}: order 0 min(m); order 1 m[0]; order 2 m[0], m[1] - m[0]
 *       (the second only if count >= 2), each length-prefixed zigzag ({@code len:7 bits:len});</li>
 *   <li>residual differences x (order 0: m[i] - min; order 1: m[i] - m[i-1]; order 2:
 *       delta-of-delta) are all multiples of 2^shift (shift = their common trailing zeros, 0 if
 *       all are 0); the stored residual is {@code x >>> shift} for order 0 and
 *       {@code zigzag(x >> shift)} for orders 1 and 2 (byte counts in multiples of a page size
 *       lose their common zero bits);</li>
 *   <li>each block: {@code w:7} (0..64) then min(BLOCK, remaining) residuals of w bits each.</li>
 * </ul>
 * <p>
 * {@link #patched()} is codec id 6, {@code decimal-patched}: the same payload except each block,
 * which is {@code w:7 x:3 [wx:7 if x > 0]}, then min(BLOCK, remaining) residuals' low w bits, then
 * x exceptions {@code pos:4 high:wx} (residual[pos] |= high << w, positions strictly increasing
 * inside the block, {@code 1 <= wx}, {@code w + wx <= 64}). A block's few outliers (a GC's drop in
 * a heap gauge, a burst in a counter's increments) then cost their own bits instead of widening all
 * 16 residuals, so it is about as compact as {@code decimal}'s bucket packing while decoding like
 * {@code decimal-blocks} (the patches are applied after the block's fixed-width loads).
 * <p>
 * Not applicable (encode returns false) where {@code decimal} is not. An instance keeps scratch
 * arrays: not thread safe.
 */
public final class DecimalBlockValueCodec implements ValueCodec {
    public static final int ID = 4;
    public static final int PATCHED_ID = 6;
    static final int BLOCK = 16;
    /** At most this many exceptions per block of {@code decimal-patched} (its 3-bit count). */
    static final int MAX_EXCEPTIONS = 7;

    private final boolean patched;
    private long[] ints = new long[0];
    private long[] diffs = new long[0];
    private final long[] block = new long[BLOCK];
    private final int[] lengths = new int[BLOCK];

    /** {@code decimal-blocks} (id 4). */
    public DecimalBlockValueCodec() {
        this(false);
    }

    private DecimalBlockValueCodec(boolean patched) {
        this.patched = patched;
    }

    /** {@code decimal-patched} (id 6): blocks with up to {@value #MAX_EXCEPTIONS} exceptions each. */
    public static DecimalBlockValueCodec patched() {
        return new DecimalBlockValueCodec(true);
    }

    @Override public int id() { return patched ? PATCHED_ID : ID; }
    @Override public String name() { return patched ? "decimal-patched" : "decimal-blocks"; }

    @Override
    public boolean encode(double[] values, int count, BitWriter out) {
        int e = DecimalValueCodec.toIntegers(values, count, integers(count));
        if (e < 0) return false;
        writeIntegers(e, count, out);
        return true;
    }

    /** The scratch array (at least {@code count} long) that {@link #writeIntegers} and {@link #integerBits} read. */
    long[] integers(int count) {
        if (ints.length < count) {
            ints = new long[Math.max(count, ints.length * 2)];
            diffs = new long[ints.length];
        }
        return ints;
    }

    private long lastBits; // bits of the payload bestOrder last chose

    private int bestOrder(int count) {
        int bestOrder = 0;
        long bestBits = Long.MAX_VALUE;
        for (int order = 0; order <= 2; order++) {
            long bits = DecimalBase.bits(ints, order, count) + 6 + blockBits(order, diffs(order, count));
            if (bits < bestBits) {
                bestBits = bits;
                bestOrder = order;
            }
        }
        lastBits = 5 + 2 + bestBits;
        return bestOrder;
    }

    /** Bits {@link #writeIntegers} takes for the integers in {@link #integers}[0..count). */
    long integerBits(int count) {
        bestOrder(count);
        return lastBits;
    }

    /** Writes the integers in {@link #integers}[0..count) with scale {@code e}: the whole payload of this codec. */
    void writeIntegers(int e, int count, BitWriter out) {
        int bestOrder = bestOrder(count);
        int n = diffs(bestOrder, count);
        int shift = commonShift(n);
        out.write(e, 5);
        out.write(bestOrder, 2);
        out.write(shift, 6);
        DecimalBase.write(ints, bestOrder, count, out);
        for (int b = 0; b < n; b += BLOCK) {
            int end = Math.min(n, b + BLOCK);
            if (patched) {
                writePatchedBlock(bestOrder, shift, b, end, out);
                continue;
            }
            int w = 0;
            for (int i = b; i < end; i++) w = Math.max(w, Zigzag.bitLength(stored(bestOrder, diffs[i], shift)));
            out.write(w, 7);
            for (int i = b; i < end; i++) out.write(stored(bestOrder, diffs[i], shift), w);
        }
    }

    /** The width of the cheapest layout of the block that {@link #patchedBlockBits} last priced. */
    private int lastWidth;

    /**
     * Bits of block [b, end) of diffs in {@code decimal-patched}, at its cheapest width w (kept in
     * {@link #lastWidth}): residuals longer than w are exceptions. Tries w = the (x+1)-th longest
     * length for x = 0 .. 7; ties keep the wider w (fewer patches to apply).
     */
    private long patchedBlockBits(int order, int shift, int b, int end) {
        int n = end - b;
        for (int i = 0; i < n; i++) lengths[i] = Zigzag.bitLength(stored(order, diffs[b + i], shift));
        java.util.Arrays.sort(lengths, 0, n);
        int max = lengths[n - 1];
        long best = Long.MAX_VALUE;
        for (int x = 0; x <= MAX_EXCEPTIONS && x < n; x++) {
            int w = lengths[n - 1 - x];
            int exceptions = 0;
            while (exceptions < n && lengths[n - 1 - exceptions] > w) exceptions++;
            long bits = 10 + (long) n * w + (exceptions == 0 ? 0 : 7 + exceptions * (4L + max - w));
            if (bits < best) {
                best = bits;
                lastWidth = w;
            }
        }
        return best;
    }

    private void writePatchedBlock(int order, int shift, int b, int end, BitWriter out) {
        patchedBlockBits(order, shift, b, end);
        int w = lastWidth;
        int exceptions = 0, max = 0;
        for (int i = b; i < end; i++) {
            int len = Zigzag.bitLength(stored(order, diffs[i], shift));
            if (len > w) exceptions++;
            max = Math.max(max, len);
        }
        out.write(w, 7);
        out.write(exceptions, 3);
        if (exceptions > 0) out.write(max - w, 7);
        long mask = w == 64 ? -1L : (1L << w) - 1;
        for (int i = b; i < end; i++) out.write(stored(order, diffs[i], shift) & mask, w);
        if (exceptions == 0) return;
        for (int i = b; i < end; i++) {
            long r = stored(order, diffs[i], shift);
            if (Zigzag.bitLength(r) > w) {
                out.write(i - b, 4);
                out.write(r >>> w, max - w);
            }
        }
    }

    private static long stored(int order, long diff, int shift) {
        return order == 0 ? diff >>> shift : Zigzag.encode(diff >> shift);
    }

    /** Fills diffs[] with the order's residual differences (not shifted, not zigzagged); returns how many. */
    private int diffs(int order, int count) {
        long[] m = ints;
        switch (order) {
            case 0 -> {
                long min = DecimalBase.min(ints, count);
                for (int i = 0; i < count; i++) diffs[i] = m[i] - min;
                return count;
            }
            case 1 -> {
                for (int i = 1; i < count; i++) diffs[i - 1] = m[i] - m[i - 1];
                return count - 1;
            }
            default -> {
                if (count < 2) return 0;
                for (int i = 2; i < count; i++) diffs[i - 2] = (m[i] - m[i - 1]) - (m[i - 1] - m[i - 2]);
                return count - 2;
            }
        }
    }

    /** Common trailing zero bits of diffs[0..n), 0 if they are all 0. */
    private int commonShift(int n) {
        long or = 0;
        for (int i = 0; i < n; i++) or |= diffs[i];
        return or == 0 ? 0 : Long.numberOfTrailingZeros(or);
    }

    private long blockBits(int order, int n) {
        int shift = commonShift(n);
        long bits = 0;
        for (int b = 0; b < n; b += BLOCK) {
            int end = Math.min(n, b + BLOCK);
            if (patched) {
                bits += patchedBlockBits(order, shift, b, end);
                continue;
            }
            int w = 0;
            for (int i = b; i < end; i++) w = Math.max(w, Zigzag.bitLength(stored(order, diffs[i], shift)));
            bits += 7 + (long) (end - b) * w;
        }
        return bits;
    }

    @Override
    public void decode(BitReader in, int count, double[] dst) {
        int e = readIntegers(in, count);
        DecimalValueCodec.toDoubles(ints, e, count, dst);
    }

    /** Reads this codec's payload into {@link #integers}[0..count) and returns the scale e. */
    int readIntegers(BitReader in, int count) {
        int e = (int) in.read(5);
        int order = (int) in.read(2);
        int shift = (int) in.read(6);
        if (e > DecimalValueCodec.MAX_SCALE) throw new CorruptChunkException(name() + ": scale " + e + " > " + DecimalValueCodec.MAX_SCALE);
        if (order > 2) throw new CorruptChunkException(name() + ": unknown residual order " + order);
        long base0 = Zigzag.readLengthPrefixed(in);
        long base1 = order == 2 && count >= 2 ? Zigzag.readLengthPrefixed(in) : 0;
        long[] m = integers(count);
        // Unpacks and integrates into the integers m[]; the caller converts them to doubles.
        m[0] = base0;
        if (patched) {
            if (order == 2 && count >= 2) m[1] = base0 + base1;
            if (count > order) unpackPatched(in, order, shift, m, count);
            return e;
        }
        switch (order) {
            case 0 -> unpackOrder0(in, shift, m, count);
            case 1 -> unpackOrder1(in, shift, m, count);
            default -> {
                if (count >= 2) {
                    m[1] = base0 + base1;
                    unpackOrder2(in, shift, m, count);
                }
            }
        }
        return e;
    }

    /**
     * {@code decimal-patched}: a block without exceptions is unpacked as decimal-blocks does; in a
     * block with exceptions, these (stored after the low parts) are read first into a scratch array,
     * then the low parts at their fixed positions are ORed with them and integrated per order into
     * m[] (m[0], and m[1] for order 2, already set), in one pass.
     */
    private void unpackPatched(BitReader in, int order, int shift, long[] m, int count) {
        long[] r = block;
        long acc = order == 0 ? m[0] : order == 1 ? m[0] : m[1];
        long d = order == 2 ? m[1] - m[0] : 0;
        long base = m[0];
        long pos = in.position();
        for (int b = order; b < count; b += BLOCK) {
            long head = in.peekAt(pos);
            int w = (int) (head >>> 57);
            int exceptions = (int) (head >>> 54) & 7;
            pos += 10;
            if (w > 64) throw new CorruptChunkException("decimal-patched: residual width " + w + " > 64");
            int n = Math.min(count, b + BLOCK) - b;
            int wx = 0;
            if (exceptions > 0) {
                wx = (int) (in.peekAt(pos) >>> 57);
                pos += 7;
                if (exceptions > n) throw new CorruptChunkException("decimal-patched: " + exceptions + " exceptions in a block of " + n);
                if (wx < 1 || w + wx > 64) throw new CorruptChunkException("decimal-patched: exception width " + wx + " with residual width " + w);
            }
            if (exceptions == 0) { // most blocks: straight into m[], as decimal-blocks
                pos = unpackPlain(in, order, shift, w, pos, m, b, n, base, acc, d);
                // the running state is the block's last integer (and, for order 2, its last delta; b >= 2 there)
                acc = m[b + n - 1];
                if (order == 2) d = acc - m[b + n - 2];
                continue;
            }
            // the exceptions follow the n low parts: read them first into r[] (cleared first: a
            // corrupt block may have left entries), then one pass over the block ORs them in as it integrates
            java.util.Arrays.fill(r, 0, n, 0L);
            long at = pos + (long) n * w;
            int previous = -1;
            for (int j = 0; j < exceptions; j++) {
                int p = (int) (in.peekAt(at) >>> 60);
                at += 4;
                if (p <= previous || p >= n) throw new CorruptChunkException("decimal-patched: exception at " + p + " after " + previous + " in a block of " + n);
                previous = p;
                r[p] = in.peekAt(at) >>> (64 - wx);
                at += wx;
            }
            int s = 64 - w; // w <= 63 here (w + wx <= 64)
            if (w > 0 && w <= 57) { // the common case, without the per-residual width test
                pos = unpackPatchedNarrow(in, order, shift, w, pos, r, m, b, n, base, acc, d);
                acc = m[b + n - 1];
                if (order == 2) d = acc - m[b + n - 2];
                pos = at;
                continue;
            }
            switch (order) {
                case 0 -> {
                    for (int k = 0; k < n; k++, pos += w) m[b + k] = base + ((low(in, pos, w, s) | (r[k] << w)) << shift);
                }
                case 1 -> {
                    for (int k = 0; k < n; k++, pos += w) {
                        acc += Zigzag.decode(low(in, pos, w, s) | (r[k] << w)) << shift;
                        m[b + k] = acc;
                    }
                }
                default -> {
                    for (int k = 0; k < n; k++, pos += w) {
                        d += Zigzag.decode(low(in, pos, w, s) | (r[k] << w)) << shift;
                        acc += d;
                        m[b + k] = acc;
                    }
                }
            }
            pos = at;
        }
        in.position(pos);
    }

    /** A block with exceptions (already in hi[]) and 0 < w <= 57: low parts ORed with them, integrated into m[b, b + n). */
    private static long unpackPatchedNarrow(BitReader in, int order, int shift, int w, long pos, long[] hi, long[] m, int b, int n,
                                            long base, long acc, long d) {
        int s = 64 - w;
        switch (order) {
            case 0 -> {
                for (int k = 0; k < n; k++, pos += w) m[b + k] = base + (((in.peek57At(pos) >>> s) | (hi[k] << w)) << shift);
            }
            case 1 -> {
                for (int k = 0; k < n; k++, pos += w) {
                    acc += Zigzag.decode((in.peek57At(pos) >>> s) | (hi[k] << w)) << shift;
                    m[b + k] = acc;
                }
            }
            default -> {
                for (int k = 0; k < n; k++, pos += w) {
                    d += Zigzag.decode((in.peek57At(pos) >>> s) | (hi[k] << w)) << shift;
                    acc += d;
                    m[b + k] = acc;
                }
            }
        }
        return pos;
    }

    /** The w-bit field at {@code pos} (w <= 63; s = 64 - w). */
    private static long low(BitReader in, long pos, int w, int s) {
        return w == 0 ? 0 : w <= 57 ? in.peek57At(pos) >>> s : in.peekAt(pos) >>> s;
    }

    /** One block without exceptions of {@code decimal-patched}: n residuals of w bits into m[b, b + n); returns the position after them. */
    private static long unpackPlain(BitReader in, int order, int shift, int w, long pos, long[] m, int b, int n, long base, long acc, long d) {
        int end = b + n;
        if (w == 0) {
            for (int i = b; i < end; i++) m[i] = order == 0 ? base : order == 1 ? acc : (acc += d);
            return pos;
        }
        int s = 64 - w;
        if (w > 57) { // rare: full 64-bit peeks
            for (int i = b; i < end; i++, pos += w) {
                long r = in.peekAt(pos) >>> s;
                m[i] = order == 0 ? base + (r << shift) : order == 1 ? (acc += Zigzag.decode(r) << shift) : (acc += d += Zigzag.decode(r) << shift);
            }
            return pos;
        }
        switch (order) {
            case 0 -> {
                for (int i = b; i < end; i++, pos += w) m[i] = base + ((in.peek57At(pos) >>> s) << shift);
            }
            case 1 -> {
                for (int i = b; i < end; i++, pos += w) {
                    acc += Zigzag.decode(in.peek57At(pos) >>> s) << shift;
                    m[i] = acc;
                }
            }
            default -> {
                for (int i = b; i < end; i++, pos += w) {
                    d += Zigzag.decode(in.peek57At(pos) >>> s) << shift;
                    acc += d;
                    m[i] = acc;
                }
            }
        }
        return pos;
    }

    /** Reads a block's width and checks it; the caller advances past its 7 bits. */
    private static int width(long peeked) {
        int w = (int) (peeked >>> 57);
        if (w > 64) throw new CorruptChunkException("decimal-blocks: residual width " + w + " > 64");
        return w;
    }

    // One loop per order (rather than a branch per residual): inside a block the residual
    // positions are pos, pos + w, pos + 2w, ... so the loads are independent of each other; the
    // only loop-carried state is the running sum. Width 0 is a separate case because a shift by
    // 64 - 0 = 64 is a shift by 0 in Java.

    private static void unpackOrder0(BitReader in, int shift, long[] m, int count) {
        long base = m[0];
        long pos = in.position();
        for (int b = 0; b < count; b += BLOCK) {
            int w = width(in.peekAt(pos));
            pos += 7;
            int end = Math.min(count, b + BLOCK);
            if (w == 0) {
                for (int i = b; i < end; i++) m[i] = base;
                continue;
            }
            int s = 64 - w;
            if (w <= 57) {
                for (int i = b; i < end; i++) {
                    m[i] = base + ((in.peek57At(pos) >>> s) << shift);
                    pos += w;
                }
                continue;
            }
            for (int i = b; i < end; i++) {
                m[i] = base + ((in.peekAt(pos) >>> s) << shift);
                pos += w;
            }
        }
        in.position(pos);
    }

    private static void unpackOrder1(BitReader in, int shift, long[] m, int count) {
        long acc = m[0];
        long pos = in.position();
        for (int b = 1; b < count; b += BLOCK) {
            int w = width(in.peekAt(pos));
            pos += 7;
            int end = Math.min(count, b + BLOCK);
            if (w == 0) {
                for (int i = b; i < end; i++) m[i] = acc;
                continue;
            }
            int s = 64 - w;
            if (w <= 57) {
                for (int i = b; i < end; i++) {
                    acc += Zigzag.decode(in.peek57At(pos) >>> s) << shift;
                    m[i] = acc;
                    pos += w;
                }
                continue;
            }
            for (int i = b; i < end; i++) {
                acc += Zigzag.decode(in.peekAt(pos) >>> s) << shift;
                m[i] = acc;
                pos += w;
            }
        }
        in.position(pos);
    }

    private static void unpackOrder2(BitReader in, int shift, long[] m, int count) {
        long acc = m[1], d = m[1] - m[0];
        long pos = in.position();
        for (int b = 2; b < count; b += BLOCK) {
            int w = width(in.peekAt(pos));
            pos += 7;
            int end = Math.min(count, b + BLOCK);
            if (w == 0) {
                for (int i = b; i < end; i++) {
                    acc += d;
                    m[i] = acc;
                }
                continue;
            }
            int s = 64 - w;
            if (w <= 57) {
                for (int i = b; i < end; i++) {
                    d += Zigzag.decode(in.peek57At(pos) >>> s) << shift;
                    acc += d;
                    m[i] = acc;
                    pos += w;
                }
                continue;
            }
            for (int i = b; i < end; i++) {
                d += Zigzag.decode(in.peekAt(pos) >>> s) << shift;
                acc += d;
                m[i] = acc;
                pos += w;
            }
        }
        in.position(pos);
    }
}

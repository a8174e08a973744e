package dev.strata.store.model;

import java.util.Arrays;

/**
 * One native histogram sample, as Prometheus's {@code histogram.FloatHistogram} holds it: the one
 * value type that ingest, the store, the codecs and the PromQL engine share for histogram samples.
 * Integer histograms (remote write's {@code count_int}/delta-encoded buckets) are converted to this
 * form at decode time; every count is then a double (exactly representable up to 2^53).
 *
 * <p>Layout, as in Prometheus: buckets are sparse; {@code positiveSpans}/{@code negativeSpans} hold
 * pairs (offset, length) in two parallel arrays, the first offset relative to bucket index 0, each
 * following one relative to the end of the previous span; the bucket arrays hold the ABSOLUTE counts
 * of the buckets the spans cover, in order (not Prometheus's delta encoding). For schema {@code s} in
 * [-4, 8], positive bucket {@code i} covers (base^(i-1), base^i] with base = 2^(2^-s). Schema
 * {@link #CUSTOM_BUCKETS_SCHEMA} (-53) has explicit bounds in {@code customValues} (strictly
 * increasing upper bounds; the last bucket is implicit +Inf), no negative buckets and no zero bucket.
 *
 * <p>Instances are immutable by contract: the arrays are never written after construction (callers
 * that build a histogram hand over fresh arrays, readers never write into the getters' results).
 */
public final class FloatHistogram {
    /** Schema of custom-bucket histograms (NHCB), whose bounds are {@link #customValues()}. */
    public static final int CUSTOM_BUCKETS_SCHEMA = -53;
    public static final int MIN_EXPONENTIAL_SCHEMA = -4;
    public static final int MAX_EXPONENTIAL_SCHEMA = 8;
    private static final int[] NO_INTS = new int[0];
    private static final double[] NO_DOUBLES = new double[0];

    /** The counter-reset hint of remote write ({@code Histogram.ResetHint}), in its wire order. */
    public enum ResetHint {
        UNKNOWN, YES, NO, GAUGE;

        public static ResetHint ofWire(int v) {
            if (v < 0 || v >= values().length) throw new IllegalArgumentException("unknown reset hint " + v);
            return values()[v];
        }
    }

    private final ResetHint resetHint;
    private final int schema;
    private final double zeroThreshold;
    private final double zeroCount;
    private final double count;
    private final double sum;
    private final int[] positiveSpanOffsets;
    private final int[] positiveSpanLengths;
    private final double[] positiveBuckets;
    private final int[] negativeSpanOffsets;
    private final int[] negativeSpanLengths;
    private final double[] negativeBuckets;
    private final double[] customValues;

    /**
     * Builds a histogram after checking its shape: schema in range, spans consistent with their
     * bucket arrays, non-negative lengths, custom bounds only (and always) for schema -53. Counts are
     * not checked here (a float histogram produced by {@code rate} may hold negative ones); ingest
     * checks them with {@link #checkCountsForIngest()}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public FloatHistogram(ResetHint resetHint, int schema, double zeroThreshold, double zeroCount, double count, double sum,
                          int[] positiveSpanOffsets, int[] positiveSpanLengths, double[] positiveBuckets,
                          int[] negativeSpanOffsets, int[] negativeSpanLengths, double[] negativeBuckets,
                          double[] customValues) {
        this.resetHint = resetHint == null ? ResetHint.UNKNOWN : resetHint;
        this.schema = schema;
        this.zeroThreshold = zeroThreshold;
        this.zeroCount = zeroCount;
        this.count = count;
        this.sum = sum;
        this.positiveSpanOffsets = orEmpty(positiveSpanOffsets);
        this.positiveSpanLengths = orEmpty(positiveSpanLengths);
        this.positiveBuckets = orEmpty(positiveBuckets);
        this.negativeSpanOffsets = orEmpty(negativeSpanOffsets);
        this.negativeSpanLengths = orEmpty(negativeSpanLengths);
        this.negativeBuckets = orEmpty(negativeBuckets);
        this.customValues = orEmpty(customValues);
        if (schema == CUSTOM_BUCKETS_SCHEMA) {
            if (this.negativeBuckets.length != 0 || this.negativeSpanOffsets.length != 0) {
                throw new IllegalArgumentException("custom-bucket histogram (schema -53) must not have negative buckets");
            }
            for (int i = 1; i < this.customValues.length; i++) {
                if (!(this.customValues[i] > this.customValues[i - 1])) {
                    throw new IllegalArgumentException("custom bucket bounds must be strictly increasing, at index " + i);
                }
            }
        } else {
            if (schema < MIN_EXPONENTIAL_SCHEMA || schema > MAX_EXPONENTIAL_SCHEMA) {
                throw new IllegalArgumentException("histogram schema " + schema + " out of range (-4..8, or -53 for custom buckets)");
            }
            if (this.customValues.length != 0) {
                throw new IllegalArgumentException("custom bucket bounds are only allowed with schema -53, not " + schema);
            }
        }
        checkSpans("positive", this.positiveSpanOffsets, this.positiveSpanLengths, this.positiveBuckets.length);
        checkSpans("negative", this.negativeSpanOffsets, this.negativeSpanLengths, this.negativeBuckets.length);
    }

    private static void checkSpans(String side, int[] offsets, int[] lengths, int buckets) {
        if (offsets.length != lengths.length) {
            throw new IllegalArgumentException(side + " spans: " + offsets.length + " offsets but " + lengths.length + " lengths");
        }
        long total = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0) throw new IllegalArgumentException(side + " span " + i + " has negative length " + lengths[i]);
            if (i > 0 && offsets[i] < 0) throw new IllegalArgumentException(side + " span " + i + " has negative offset " + offsets[i]);
            total += lengths[i];
        }
        if (total != buckets) {
            throw new IllegalArgumentException(side + " spans need " + total + " buckets but " + buckets + " were given");
        }
    }

    /**
     * The checks remote write's receivers make on an ingested histogram (Prometheus's
     * {@code ValidateHistogram}): no negative count anywhere, and, unless the sum of the buckets is
     * NaN-tainted, the total count not below the buckets' sum.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    public void checkCountsForIngest() {
        if (zeroCount < 0) throw new IllegalArgumentException("histogram has a negative zero-bucket count " + zeroCount);
        double buckets = zeroCount;
        for (int i = 0; i < positiveBuckets.length; i++) {
            if (positiveBuckets[i] < 0) throw new IllegalArgumentException("histogram has a negative count " + positiveBuckets[i] + " in positive bucket " + i);
            buckets += positiveBuckets[i];
        }
        for (int i = 0; i < negativeBuckets.length; i++) {
            if (negativeBuckets[i] < 0) throw new IllegalArgumentException("histogram has a negative count " + negativeBuckets[i] + " in negative bucket " + i);
            buckets += negativeBuckets[i];
        }
        if (count < 0) throw new IllegalArgumentException("histogram has a negative count " + count);
        if (!Double.isNaN(sum) && count < buckets) {
            throw new IllegalArgumentException("histogram count " + count + " is below the sum of its buckets " + buckets);
        }
    }

    private static int[] orEmpty(int[] a) {
        return a == null || a.length == 0 ? NO_INTS : a;
    }

    private static double[] orEmpty(double[] a) {
        return a == null || a.length == 0 ? NO_DOUBLES : a;
    }

    public ResetHint resetHint() { return resetHint; }
    public int schema() { return schema; }
    public boolean usesCustomBuckets() { return schema == CUSTOM_BUCKETS_SCHEMA; }
    public double zeroThreshold() { return zeroThreshold; }
    public double zeroCount() { return zeroCount; }
    public double count() { return count; }
    public double sum() { return sum; }
    /** Offsets of the positive spans (see the class comment); never null; do not write. */
    public int[] positiveSpanOffsets() { return positiveSpanOffsets; }
    public int[] positiveSpanLengths() { return positiveSpanLengths; }
    /** Absolute counts of the positive buckets the spans cover, in order; never null; do not write. */
    public double[] positiveBuckets() { return positiveBuckets; }
    public int[] negativeSpanOffsets() { return negativeSpanOffsets; }
    public int[] negativeSpanLengths() { return negativeSpanLengths; }
    public double[] negativeBuckets() { return negativeBuckets; }
    /** Upper bounds of the custom buckets (schema -53), strictly increasing; empty otherwise. */
    public double[] customValues() { return customValues; }

    /** The same histogram with another reset hint. */
    public FloatHistogram withResetHint(ResetHint hint) {
        if (hint == resetHint) return this;
        return new FloatHistogram(hint, schema, zeroThreshold, zeroCount, count, sum, positiveSpanOffsets, positiveSpanLengths,
                positiveBuckets, negativeSpanOffsets, negativeSpanLengths, negativeBuckets, customValues);
    }

    /** Bit-exact equality of every field (NaN equal to NaN of the same bits), reset hint included. */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof FloatHistogram h)) return false;
        return resetHint == h.resetHint && schema == h.schema
                && Double.doubleToRawLongBits(zeroThreshold) == Double.doubleToRawLongBits(h.zeroThreshold)
                && Double.doubleToRawLongBits(zeroCount) == Double.doubleToRawLongBits(h.zeroCount)
                && Double.doubleToRawLongBits(count) == Double.doubleToRawLongBits(h.count)
                && Double.doubleToRawLongBits(sum) == Double.doubleToRawLongBits(h.sum)
                && Arrays.equals(positiveSpanOffsets, h.positiveSpanOffsets) && Arrays.equals(positiveSpanLengths, h.positiveSpanLengths)
                && Arrays.equals(positiveBuckets, h.positiveBuckets)
                && Arrays.equals(negativeSpanOffsets, h.negativeSpanOffsets) && Arrays.equals(negativeSpanLengths, h.negativeSpanLengths)
                && Arrays.equals(negativeBuckets, h.negativeBuckets) && Arrays.equals(customValues, h.customValues);
    }

    @Override
    public int hashCode() {
        int h = schema * 31 + Double.hashCode(count);
        h = h * 31 + Double.hashCode(sum);
        h = h * 31 + Arrays.hashCode(positiveBuckets);
        return h * 31 + Arrays.hashCode(negativeBuckets);
    }

    /** Prometheus's text form, for messages and tests: {@code {count:3, sum:5, [1,2):1, ...}} is left to the engine; this one is diagnostic. */
    @Override
    public String toString() {
        return "FloatHistogram{schema=" + schema + ", count=" + count + ", sum=" + sum + ", zero=" + zeroCount + "@" + zeroThreshold
                + ", pos=" + Arrays.toString(positiveSpanOffsets) + "/" + Arrays.toString(positiveSpanLengths) + Arrays.toString(positiveBuckets)
                + ", neg=" + Arrays.toString(negativeSpanOffsets) + "/" + Arrays.toString(negativeSpanLengths) + Arrays.toString(negativeBuckets)
                + (customValues.length > 0 ? ", custom=" + Arrays.toString(customValues) : "") + ", hint=" + resetHint + "}";
    }
}

package dev.strata.query.engine;

import dev.strata.query.ast.Printer;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Native-histogram arithmetic of the PromQL engine, with the semantics of Prometheus's
 * {@code histogram.FloatHistogram} (learned from model/histogram/float_histogram.go and
 * promql/quantile.go; written anew): scaling, addition and subtraction with schema and zero-bucket
 * reconciliation, counter-reset detection, bucket iteration, quantile and fraction estimation.
 * {@link FloatHistogram} stays a plain immutable value: every operation returns a new one, built from
 * a mutable sparse form ({@link Sparse}, bucket index -> count) that makes the reconciliations simple.
 */
public final class HistogramMath {
    private HistogramMath() {}

    /** Thrown when two histograms cannot be combined (exponential with custom buckets). */
    public static final class IncompatibleException extends RuntimeException {
        IncompatibleException() {
            super("histograms have incompatible schemas", null, false, false);
        }
    }

    /** A histogram as sorted maps of bucket index to count; mutable, local to one operation. */
    static final class Sparse {
        ResetHint hint;
        int schema;
        double zeroThreshold;
        double zeroCount;
        double count;
        double sum;
        TreeMap<Integer, Double> pos = new TreeMap<>();
        TreeMap<Integer, Double> neg = new TreeMap<>();
        double[] customValues;

        static Sparse of(FloatHistogram h) {
            Sparse s = new Sparse();
            s.hint = h.resetHint();
            s.schema = h.schema();
            s.zeroThreshold = h.zeroThreshold();
            s.zeroCount = h.zeroCount();
            s.count = h.count();
            s.sum = h.sum();
            s.customValues = h.customValues();
            expand(h.positiveSpanOffsets(), h.positiveSpanLengths(), h.positiveBuckets(), s.pos);
            expand(h.negativeSpanOffsets(), h.negativeSpanLengths(), h.negativeBuckets(), s.neg);
            return s;
        }

        private static void expand(int[] offsets, int[] lengths, double[] buckets, TreeMap<Integer, Double> out) {
            int idx = 0, k = 0;
            for (int i = 0; i < offsets.length; i++) {
                idx += offsets[i];
                for (int j = 0; j < lengths[i]; j++) {
                    out.merge(idx, buckets[k++], Double::sum);
                    idx++;
                }
            }
        }

        /** Divides every count and the sum by {@code c} in place (an average from a sum). */
        void divideBy(double c) {
            zeroCount /= c;
            count /= c;
            sum /= c;
            pos.replaceAll((k, v) -> v / c);
            neg.replaceAll((k, v) -> v / c);
        }

        /** Back to the value type; buckets with a count of exactly 0 are left out (Prometheus's Compact(0)). */
        FloatHistogram build() {
            return build(true);
        }

        /**
         * Back to the value type; {@code compact}: buckets with a count of exactly 0 are left out
         * (Prometheus's Compact(0)), else every bucket index held is kept (a partial sum that is added to
         * others later, where the buckets present decide how zero buckets widen).
         */
        FloatHistogram build(boolean compact) {
            int[][] p = spans(pos, compact);
            int[][] n = spans(neg, compact);
            return new FloatHistogram(hint, schema, zeroThreshold, zeroCount, count, sum, p[0], p[1], values(pos, compact),
                    n[0], n[1], values(neg, compact), schema == FloatHistogram.CUSTOM_BUCKETS_SCHEMA ? customValues : null);
        }

        private static double[] values(TreeMap<Integer, Double> m, boolean compact) {
            double[] out = new double[compact ? nonZero(m) : m.size()];
            int k = 0;
            for (double v : m.values()) if (v != 0 || !compact) out[k++] = v;
            return out;
        }

        private static int nonZero(TreeMap<Integer, Double> m) {
            int n = 0;
            for (double v : m.values()) if (v != 0) n++;
            return n;
        }

        private static int[][] spans(TreeMap<Integer, Double> m, boolean compact) {
            List<int[]> spans = new ArrayList<>();
            Integer prevEnd = null;
            for (Map.Entry<Integer, Double> e : m.entrySet()) {
                if (compact && e.getValue() == 0) continue;
                int idx = e.getKey();
                if (prevEnd != null && idx == prevEnd) {
                    spans.get(spans.size() - 1)[1]++;
                } else {
                    spans.add(new int[] {prevEnd == null ? idx : idx - prevEnd, 1});
                }
                prevEnd = idx + 1;
            }
            int[] off = new int[spans.size()];
            int[] len = new int[spans.size()];
            for (int i = 0; i < spans.size(); i++) {
                off[i] = spans.get(i)[0];
                len[i] = spans.get(i)[1];
            }
            return new int[][] {off, len};
        }

        boolean custom() {
            return schema == FloatHistogram.CUSTOM_BUCKETS_SCHEMA;
        }

        /** Whether a count or the sum is infinite (Prometheus's HasOverflow). */
        boolean overflows() {
            if (Double.isInfinite(count) || Double.isInfinite(sum) || Double.isInfinite(zeroCount)) return true;
            for (double v : pos.values()) if (Double.isInfinite(v)) return true;
            for (double v : neg.values()) if (Double.isInfinite(v)) return true;
            return false;
        }

        void scale(double f) {
            zeroCount *= f;
            count *= f;
            sum *= f;
            pos.replaceAll((k, v) -> v * f);
            neg.replaceAll((k, v) -> v * f);
        }

        /** Lowers the resolution to {@code target} (< schema), merging buckets. */
        void reduceTo(int target) {
            if (custom() || target >= schema) return;
            pos = reduce(pos, schema, target);
            neg = reduce(neg, schema, target);
            schema = target;
        }

        private static TreeMap<Integer, Double> reduce(TreeMap<Integer, Double> m, int from, int to) {
            TreeMap<Integer, Double> out = new TreeMap<>();
            for (Map.Entry<Integer, Double> e : m.entrySet()) out.merge(((e.getKey() - 1) >> (from - to)) + 1, e.getValue(), Double::sum);
            return out;
        }

        /**
         * Widens the zero bucket to at least {@code threshold}: buckets whose lower bound is below it are
         * absorbed, and a threshold inside a bucket grows to that bucket's upper bound.
         */
        void widenZeroBucket(double threshold) {
            if (custom() || threshold <= zeroThreshold) return;
            double t = threshold;
            boolean changed = true;
            while (changed) {
                changed = false;
                changed |= absorb(pos, t);
                changed |= absorb(neg, t);
                double nt = t;
                // A bucket the threshold falls into moves the threshold to its upper bound.
                for (TreeMap<Integer, Double> m : List.of(pos, neg)) {
                    if (m.isEmpty()) continue;
                    int first = m.firstKey();
                    double lower = bound(first - 1, schema);
                    double upper = bound(first, schema);
                    if (lower < nt && nt < upper) nt = upper;
                }
                if (nt != t) {
                    t = nt;
                    changed = true;
                }
            }
            zeroThreshold = t;
        }

        private boolean absorb(TreeMap<Integer, Double> m, double t) {
            boolean any = false;
            while (!m.isEmpty() && bound(m.firstKey(), schema) <= t) {
                zeroCount += m.pollFirstEntry().getValue();
                any = true;
            }
            return any;
        }
    }

    /** The upper bound of exponential bucket {@code idx} at {@code schema} (Prometheus's getBoundExponential). */
    static double bound(int idx, int schema) {
        if (schema < 0) {
            long exp = (long) idx << -schema;
            if (exp == 1024) return Double.MAX_VALUE;
            if (exp > 1024) return Double.POSITIVE_INFINITY;
            return Math.scalb(1.0, (int) Math.max(exp, -1100));
        }
        int fracIdx = idx & ((1 << schema) - 1);
        double frac = Math.pow(2, (double) fracIdx / (1 << schema)) / 2;
        int exp = (idx >> schema) + 1;
        if (frac == 0.5 && exp == 1025) return Double.MAX_VALUE;
        return Math.scalb(frac, exp);
    }

    static FloatHistogram negate(FloatHistogram h) {
        return mul(h, -1);
    }

    /** Every count and the sum times {@code f}; a negative factor makes it a gauge histogram. */
    static FloatHistogram mul(FloatHistogram h, double f) {
        Sparse s = Sparse.of(h);
        s.scale(f);
        if (f < 0) s.hint = ResetHint.GAUGE;
        return s.build();
    }

    /** Every count and the sum divided by {@code d}; division by 0 removes the buckets. */
    static FloatHistogram div(FloatHistogram h, double d) {
        Sparse s = Sparse.of(h);
        s.zeroCount /= d;
        s.count /= d;
        s.sum /= d;
        if (d == 0) {
            s.pos.clear();
            s.neg.clear();
        } else {
            s.pos.replaceAll((k, v) -> v / d);
            s.neg.replaceAll((k, v) -> v / d);
        }
        if (d < 0) s.hint = ResetHint.GAUGE;
        return s.build();
    }

    /** What an addition had to do besides adding: nothing, a counter-reset hint collision, custom bounds reconciled. */
    enum AddOutcome { PLAIN, HINT_COLLISION, RECONCILED_CUSTOM }

    /** The result of an addition or subtraction, and what it had to reconcile. */
    public record Combined(FloatHistogram h, AddOutcome outcome) {}

    public static Combined add(FloatHistogram a, FloatHistogram b) {
        return combine(a, b, 1);
    }

    public static Combined sub(FloatHistogram a, FloatHistogram b) {
        return combine(a, b, -1);
    }

    private static Combined combine(FloatHistogram a, FloatHistogram b, double sign) {
        Sparse s = Sparse.of(a);
        Sparse o = Sparse.of(b);
        AddOutcome outcome = addInto(s, o, sign);
        return new Combined(s.build(), outcome);
    }

    /**
     * s += sign * o, reconciling schema, zero bucket and custom bounds (to the bounds both have);
     * answers what had to be reconciled (a custom-bounds reconciliation wins over a hint collision).
     */
    static AddOutcome addInto(Sparse s, Sparse o, double sign) {
        if (s.custom() != o.custom()) throw new IncompatibleException();
        AddOutcome outcome = adjustHint(s, o.hint) ? AddOutcome.HINT_COLLISION : AddOutcome.PLAIN;
        if (s.custom()) {
            if (!Arrays.equals(s.customValues, o.customValues)) {
                outcome = AddOutcome.RECONCILED_CUSTOM;
                double[] common = intersect(s.customValues, o.customValues);
                remapCustom(s, common);
                o = copyOf(o);
                remapCustom(o, common);
            }
        } else {
            if (o.schema < s.schema) s.reduceTo(o.schema);
            else if (o.schema > s.schema) {
                o = copyOf(o);
                o.reduceTo(s.schema);
            }
            if (o.zeroThreshold > s.zeroThreshold) s.widenZeroBucket(o.zeroThreshold);
            if (s.zeroThreshold > o.zeroThreshold) {
                o = copyOf(o);
                o.widenZeroBucket(s.zeroThreshold);
            }
            s.zeroCount += sign * o.zeroCount;
            for (Map.Entry<Integer, Double> e : o.neg.entrySet()) s.neg.merge(e.getKey(), sign * e.getValue(), Double::sum);
        }
        s.count += sign * o.count;
        s.sum += sign * o.sum;
        for (Map.Entry<Integer, Double> e : o.pos.entrySet()) s.pos.merge(e.getKey(), sign * e.getValue(), Double::sum);
        return outcome;
    }

    /** Prometheus's FloatHistogram.Equals of two compacted histograms: the same values bit for bit, the hint aside. */
    static boolean sameValue(FloatHistogram a, FloatHistogram b) {
        FloatHistogram x = Sparse.of(a).build(), y = Sparse.of(b).build();
        return x.withResetHint(ResetHint.UNKNOWN).equals(y.withResetHint(ResetHint.UNKNOWN));
    }

    /** Prometheus's FloatHistogram.String(): {@code {count:N, sum:S, [lower,upper):count, ...}}, non-empty buckets only. */
    static String format(FloatHistogram h) {
        StringBuilder sb = new StringBuilder("{count:").append(Printer.formatFloat(h.count())).append(", sum:")
                .append(Printer.formatFloat(h.sum()));
        Sparse s = Sparse.of(h);
        if (s.custom()) {
            for (Bucket b : allBuckets(h)) {
                if (b.count() != 0) sb.append(", ").append(bucketText(b.lower(), b.upper(), false, true, b.count()));
            }
            return sb.append('}').toString();
        }
        for (Map.Entry<Integer, Double> e : s.neg.descendingMap().entrySet()) {
            if (e.getValue() == 0) continue;
            sb.append(", ").append(bucketText(-bound(e.getKey(), s.schema), -bound(e.getKey() - 1, s.schema), true, false, e.getValue()));
        }
        if (s.zeroCount != 0) sb.append(", ").append(bucketText(-s.zeroThreshold, s.zeroThreshold, true, true, s.zeroCount));
        for (Map.Entry<Integer, Double> e : s.pos.entrySet()) {
            if (e.getValue() == 0) continue;
            sb.append(", ").append(bucketText(bound(e.getKey() - 1, s.schema), bound(e.getKey(), s.schema), false, true, e.getValue()));
        }
        return sb.append('}').toString();
    }

    private static String bucketText(double lower, double upper, boolean lowerInclusive, boolean upperInclusive, double count) {
        return (lowerInclusive ? "[" : "(") + Printer.formatFloat(lower) + "," + Printer.formatFloat(upper) + (upperInclusive ? "]" : ")")
                + ":" + Printer.formatFloat(count);
    }

    /**
     * A Kahan-compensated running sum of histograms (Prometheus's KahanAdd): {@code sum} and the
     * compensation {@code comp} share one layout (schema, zero bucket, custom bounds), so each count is
     * compensated on its own; {@link #result()} adds them up.
     */
    static final class KahanSum {
        final Sparse sum;
        Sparse comp;

        KahanSum(FloatHistogram first) {
            sum = Sparse.of(first);
            comp = empty(sum);
        }

        private static Sparse empty(Sparse like) {
            Sparse c = copyOf(like);
            c.zeroCount = 0;
            c.count = 0;
            c.sum = 0;
            c.pos.clear();
            c.neg.clear();
            return c;
        }

        /** Scales the sum and its compensation alike. */
        void scaleBoth(double f) {
            sum.scale(f);
            if (comp != null) comp.scale(f);
        }

        KahanSum copy() {
            return new KahanSum(copyOf(sum), comp == null ? null : copyOf(comp));
        }

        private KahanSum(Sparse sum, Sparse comp) {
            this.sum = sum;
            this.comp = comp;
        }

        /** Adds h; answers what had to be reconciled (see {@link #addInto}). */
        AddOutcome add(FloatHistogram h) {
            Sparse o = Sparse.of(h);
            if (sum.custom() != o.custom()) throw new IncompatibleException();
            if (comp != null && sum.custom() && !Arrays.equals(sum.customValues, o.customValues)) {
                // Mismatched custom bounds: fold the compensation in and add without it from here on.
                addInto(sum, comp, 1);
                comp = null;
            }
            if (comp == null) return addInto(sum, o, 1);
            AddOutcome outcome = adjustHint(sum, o.hint) ? AddOutcome.HINT_COLLISION : AddOutcome.PLAIN;
            if (!sum.custom()) {
                if (o.schema < sum.schema) {
                    sum.reduceTo(o.schema);
                    comp.reduceTo(o.schema);
                } else if (o.schema > sum.schema) {
                    o.reduceTo(sum.schema);
                }
                if (o.zeroThreshold > sum.zeroThreshold) {
                    sum.widenZeroBucket(o.zeroThreshold);
                    comp.widenZeroBucket(sum.zeroThreshold);
                }
                if (sum.zeroThreshold > o.zeroThreshold) o.widenZeroBucket(sum.zeroThreshold);
                double[] c = {comp.zeroCount};
                sum.zeroCount = FloatMath.kahanInc(o.zeroCount, sum.zeroCount, c);
                comp.zeroCount = c[0];
                inc(sum.neg, comp.neg, o.neg);
            }
            double[] c = {comp.count};
            sum.count = FloatMath.kahanInc(o.count, sum.count, c);
            comp.count = c[0];
            c[0] = comp.sum;
            sum.sum = FloatMath.kahanInc(o.sum, sum.sum, c);
            comp.sum = c[0];
            inc(sum.pos, comp.pos, o.pos);
            return outcome;
        }

        private static void inc(TreeMap<Integer, Double> s, TreeMap<Integer, Double> c, TreeMap<Integer, Double> o) {
            double[] k = new double[1];
            for (Map.Entry<Integer, Double> e : o.entrySet()) {
                k[0] = c.getOrDefault(e.getKey(), 0.0);
                s.put(e.getKey(), FloatMath.kahanInc(e.getValue(), s.getOrDefault(e.getKey(), 0.0), k));
                c.put(e.getKey(), k[0]);
            }
        }

        /** The compensated sum (the sum's hint). */
        Sparse result() {
            if (comp != null) {
                ResetHint hint = sum.hint;
                addInto(sum, comp, 1);
                sum.hint = hint;
                comp = null;
            }
            return sum;
        }
    }

    /**
     * sum or avg of histograms (Prometheus's aggregation and sum/avg_over_time): a {@link KahanSum}; avg
     * divides it by the count at the end, unless the sum would overflow, from when on it keeps an
     * incremental mean (mean' = mean * (n-1)/n + h/n), which cannot.
     */
    static final class Accumulator {
        private final boolean average;
        private KahanSum sum;
        /** The incremental mean with its compensation, once the sum would overflow. */
        private KahanSum mean;
        private double n;

        Accumulator(FloatHistogram first, boolean average) {
            this.average = average;
            this.sum = new KahanSum(first);
            this.n = 1;
        }

        AddOutcome add(FloatHistogram h) {
            n++;
            if (mean == null) {
                if (!average) return sum.add(h);
                KahanSum trial = sum.copy();
                AddOutcome o = trial.add(h);
                if (!trial.sum.overflows()) {
                    sum = trial;
                    return o;
                }
                mean = sum;
                mean.scaleBoth(1 / (n - 1));
            }
            mean.scaleBoth((n - 1) / n);
            return mean.add(div(h, n));
        }

        Sparse result() {
            if (mean != null) return mean.result();
            Sparse s = sum.result();
            if (average) {
                s.divideBy(n);
            }
            return s;
        }
    }

    static Sparse copyOf(Sparse o) {
        Sparse c = new Sparse();
        c.hint = o.hint;
        c.schema = o.schema;
        c.zeroThreshold = o.zeroThreshold;
        c.zeroCount = o.zeroCount;
        c.count = o.count;
        c.sum = o.sum;
        c.pos = new TreeMap<>(o.pos);
        c.neg = new TreeMap<>(o.neg);
        c.customValues = o.customValues;
        return c;
    }

    /** Custom bounds present in both (the last bucket stays +Inf). */
    private static double[] intersect(double[] a, double[] b) {
        double[] out = new double[Math.min(a.length, b.length)];
        int i = 0, j = 0, k = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                out[k++] = a[i];
                i++;
                j++;
            } else if (a[i] < b[j]) i++;
            else j++;
        }
        return Arrays.copyOf(out, k);
    }

    /** Maps s's custom buckets onto the coarser bounds {@code to} (each old bucket into the one containing its upper bound). */
    private static void remapCustom(Sparse s, double[] to) {
        TreeMap<Integer, Double> out = new TreeMap<>();
        for (Map.Entry<Integer, Double> e : s.pos.entrySet()) {
            int idx = e.getKey();
            double upper = idx < s.customValues.length ? s.customValues[idx] : Double.POSITIVE_INFINITY;
            int target = to.length;
            for (int k = 0; k < to.length; k++) {
                if (upper <= to[k]) {
                    target = k;
                    break;
                }
            }
            out.merge(target, e.getValue(), Double::sum);
        }
        s.pos = out;
        s.customValues = to;
    }

    /** Prometheus's adjustCounterReset; true on a reset/not-reset collision. */
    static boolean adjustHint(Sparse s, ResetHint other) {
        if (other == s.hint || s.hint == ResetHint.GAUGE) return false;
        if (other == ResetHint.GAUGE) {
            s.hint = ResetHint.GAUGE;
            return false;
        }
        if (s.hint == ResetHint.UNKNOWN) return false;
        s.hint = ResetHint.UNKNOWN;
        return other != ResetHint.UNKNOWN;
    }

    /**
     * Whether {@code cur} is a counter reset after {@code prev} (Prometheus's DetectReset): the hint
     * decides when it is YES or NO (gauge: never); otherwise a lower count, a lower zero count, a
     * schema increase, a narrower zero bucket, or any bucket dropping (after bringing both to the same
     * resolution) is a reset.
     */
    public static boolean detectReset(FloatHistogram cur, FloatHistogram prev) {
        switch (cur.resetHint()) {
            case YES:
                return true;
            case NO:
            case GAUGE:
                return false;
            default:
                break;
        }
        if (cur.count() < prev.count()) return true;
        if (cur.usesCustomBuckets() != prev.usesCustomBuckets()) return true;
        if (cur.usesCustomBuckets() && !Arrays.equals(cur.customValues(), prev.customValues())) {
            Sparse c = Sparse.of(cur), p = Sparse.of(prev);
            double[] common = intersect(c.customValues, p.customValues);
            remapCustom(c, common);
            remapCustom(p, common);
            return bucketsDrop(c.pos, p.pos);
        }
        if (!cur.usesCustomBuckets() && cur.schema() > prev.schema()) return true;
        if (cur.zeroThreshold() < prev.zeroThreshold()) return true;
        Sparse c = Sparse.of(cur), p = Sparse.of(prev);
        if (c.zeroThreshold > p.zeroThreshold) p.widenZeroBucket(c.zeroThreshold);
        if (c.zeroCount < p.zeroCount) return true;
        if (p.schema > c.schema) p.reduceTo(c.schema);
        return bucketsDrop(c.pos, p.pos) || bucketsDrop(c.neg, p.neg);
    }

    private static boolean bucketsDrop(TreeMap<Integer, Double> cur, TreeMap<Integer, Double> prev) {
        for (Map.Entry<Integer, Double> e : prev.entrySet()) {
            if (e.getValue() > cur.getOrDefault(e.getKey(), 0.0)) return true;
        }
        return false;
    }

    /** One bucket as the bucket iterators hand it out: bounds, whether each bound is inside the bucket, count. */
    public record Bucket(double lower, double upper, double count, boolean lowerInclusive, boolean upperInclusive) {
        Bucket(double lower, double upper, double count) {
            this(lower, upper, count, lower < 0, upper > 0);
        }
    }

    /**
     * Prometheus's per-sample weight of a histogram in the samples statistics and limits
     * ({@code HPoint.size()}: the in-memory size of its Go struct, in units of 16 bytes).
     */
    public static long sampleWeight(FloatHistogram h) {
        long size = 168L + 8L * (h.positiveSpanOffsets().length + h.negativeSpanOffsets().length + h.positiveBuckets().length
                + h.negativeBuckets().length + h.customValues().length);
        return (size + 8) / 16;
    }

    /**
     * Every bucket in ascending order (Prometheus's AllBucketIterator): the negative buckets from the
     * most negative, the zero bucket when it has a count, the positive ones; bounds clipped at the
     * zero threshold.
     */
    public static List<Bucket> allBuckets(FloatHistogram h) {
        List<Bucket> out = new ArrayList<>();
        Sparse s = Sparse.of(h);
        if (s.custom()) {
            double[] cv = s.customValues;
            for (Map.Entry<Integer, Double> e : s.pos.entrySet()) {
                int i = e.getKey();
                double lower = i == 0 ? Double.NEGATIVE_INFINITY : cv[Math.min(i, cv.length) - 1];
                double upper = i < cv.length ? cv[i] : Double.POSITIVE_INFINITY;
                out.add(new Bucket(lower, upper, e.getValue(), i == 0, true));
            }
            return out;
        }
        double zt = s.zeroThreshold;
        for (Map.Entry<Integer, Double> e : s.neg.descendingMap().entrySet()) {
            double lower = -bound(e.getKey(), s.schema);
            double upper = -bound(e.getKey() - 1, s.schema);
            boolean upperInclusive = upper > 0;
            if (upper < 0 && upper > -zt) upper = -zt;
            out.add(new Bucket(lower, upper, e.getValue(), lower < 0, upperInclusive));
        }
        if (s.zeroCount > 0) out.add(new Bucket(-zt, zt, s.zeroCount, true, true));
        for (Map.Entry<Integer, Double> e : s.pos.entrySet()) {
            double lower = bound(e.getKey() - 1, s.schema);
            double upper = bound(e.getKey(), s.schema);
            boolean lowerInclusive = lower < 0;
            if (lower > 0 && lower < zt) lower = zt;
            out.add(new Bucket(lower, upper, e.getValue(), lowerInclusive, upper > 0));
        }
        return out;
    }

    /**
     * The histogram without the observations above ({@code upper}: operator {@code </}) or below
     * ({@code >/}) {@code rhs} (Prometheus's TrimBuckets): buckets beyond rhs emptied, the bucket holding
     * rhs cut by interpolation (linear for custom buckets and the zero bucket, logarithmic otherwise),
     * count and sum re-estimated from the kept buckets' midpoints when anything was cut.
     */
    static FloatHistogram trim(FloatHistogram h, double rhs, boolean upper) {
        Sparse s = Sparse.of(h);
        boolean custom = s.custom();
        double count = 0, sum = 0;
        boolean trimmed = false, hasPos = false, hasNeg = false;
        for (int side = 0; side < 2; side++) {
            boolean positive = side == 0;
            TreeMap<Integer, Double> m = positive ? s.pos : s.neg;
            for (Map.Entry<Integer, Double> e : m.entrySet()) {
                double c = e.getValue();
                if (c == 0) continue;
                if (positive) hasPos = true;
                else hasNeg = true;
                int idx = e.getKey();
                double lower, up;
                if (custom) {
                    lower = idx == 0 ? Double.NEGATIVE_INFINITY : s.customValues[Math.min(idx, s.customValues.length) - 1];
                    up = idx < s.customValues.length ? s.customValues[idx] : Double.POSITIVE_INFINITY;
                } else if (positive) {
                    lower = bound(idx - 1, s.schema);
                    up = bound(idx, s.schema);
                } else {
                    lower = -bound(idx, s.schema);
                    up = -bound(idx - 1, s.schema);
                }
                boolean whole = upper ? up <= rhs : lower >= rhs;
                boolean partly = upper ? lower < rhs : up > rhs;
                if (whole) {
                    count += c;
                    sum += midpoint(lower, up, positive, custom) * c;
                } else if (partly) {
                    double[] km = bucketTrim(lower, up, c, rhs, upper, positive, custom);
                    count += km[0];
                    sum += km[1] * km[0];
                    if (km[0] != c) {
                        e.setValue(km[0]);
                        trimmed = true;
                    }
                } else {
                    e.setValue(0.0);
                    trimmed = true;
                }
            }
        }
        if (s.zeroCount > 0) {
            double lower = -s.zeroThreshold, up = s.zeroThreshold;
            if (hasNeg && !hasPos) up = 0;
            if (hasPos && !hasNeg) lower = 0;
            double keep, mid;
            if (upper) {
                if (rhs <= lower) { keep = 0; mid = 0; }
                else if (rhs >= up) { keep = s.zeroCount; mid = (lower + up) / 2; }
                else { keep = s.zeroCount * (rhs - lower) / (up - lower); mid = (lower + rhs) / 2; }
            } else {
                if (rhs <= lower) { keep = s.zeroCount; mid = (lower + up) / 2; }
                else if (rhs >= up) { keep = 0; mid = 0; }
                else { keep = s.zeroCount * (up - rhs) / (up - lower); mid = (rhs + up) / 2; }
            }
            if (keep != s.zeroCount) {
                s.zeroCount = keep;
                trimmed = true;
            }
            sum += mid * keep;
            count += keep;
        }
        if (!trimmed) return h;
        s.count = count;
        s.sum = sum;
        return s.build();
    }

    /** The kept count of a bucket cut at rhs, and the midpoint of its kept part. */
    private static double[] bucketTrim(double lower, double up, double c, double rhs, boolean upper, boolean positive, boolean custom) {
        if (Double.isInfinite(lower) || Double.isInfinite(up)) return infinityTrim(lower, up, c, rhs, upper);
        double under;
        if (rhs <= lower) under = 0;
        else if (rhs >= up) under = c;
        else if (custom) under = c * (rhs - lower) / (up - lower);
        else {
            double logLower = log2(Math.abs(lower)), logUpper = log2(Math.abs(up)), logV = log2(Math.abs(rhs));
            under = c * (rhs > 0 ? (logV - logLower) / (logUpper - logLower) : 1 - ((logV - logUpper) / (logLower - logUpper)));
        }
        if (upper) return new double[] {under, midpoint(lower, rhs, positive, custom)};
        return new double[] {c - under, midpoint(rhs, up, positive, custom)};
    }

    private static double[] infinityTrim(double lower, double up, double c, double rhs, boolean upper) {
        if (lower == Double.NEGATIVE_INFINITY) {
            if (upper) {
                if (rhs >= up) return new double[] {c, 0};
                if (rhs > 0 && up > 0 && up != Double.POSITIVE_INFINITY) return new double[] {c * rhs / up, rhs / 2};
                if (up <= 0) return new double[] {c, rhs};
                return new double[] {0, zeroIfInf(up)};
            }
            if (rhs <= lower) return new double[] {c, 0};
            if (rhs >= 0 && up > rhs && up != Double.POSITIVE_INFINITY) return new double[] {c * (1 - rhs / up), (rhs + up) / 2};
            return new double[] {0, zeroIfInf(up)};
        }
        if (upper) return new double[] {0, zeroIfInf(lower)};
        if (rhs >= lower) return new double[] {c, rhs};
        return new double[] {0, zeroIfInf(lower)};
    }

    private static double zeroIfInf(double x) {
        return Double.isInfinite(x) ? 0 : x;
    }

    private static double midpoint(double lower, double up, boolean positive, boolean linear) {
        if (Double.isInfinite(lower)) {
            if (Double.isInfinite(up)) return 0;
            return up > 0 ? up / 2 : up;
        }
        if (Double.isInfinite(up)) return lower;
        if (linear) return (lower + up) / 2;
        double geo = Math.sqrt(Math.abs(lower * up));
        return positive ? geo : -geo;
    }

    /** The φ-quantile (Prometheus's HistogramQuantile); {@code nanSkew[0]} is set when NaN observations skew it. */
    static double quantile(double q, FloatHistogram h) {
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        if (h.count() == 0 || Double.isNaN(q)) return Double.NaN;
        List<Bucket> all = allBuckets(h);
        boolean forward = Double.isNaN(h.sum()) || q < 0.5;
        double rank = forward ? q * h.count() : (1 - q) * h.count();
        double count = 0;
        Bucket bucket = null;
        for (int k = 0; k < all.size(); k++) {
            Bucket b = all.get(forward ? k : all.size() - 1 - k);
            bucket = b;
            if (b.count() == 0) continue;
            count += b.count();
            if (count >= rank) break;
        }
        if (bucket == null) return Double.NaN;
        double lower = bucket.lower(), upper = bucket.upper();
        boolean hasNeg = h.negativeBuckets().length > 0, hasPos = h.positiveBuckets().length > 0;
        if (!h.usesCustomBuckets() && lower < 0 && upper > 0) {
            if (!hasNeg && hasPos) lower = 0;
            else if (!hasPos && hasNeg) upper = 0;
        } else if (h.usesCustomBuckets()) {
            if (lower == Double.NEGATIVE_INFINITY) {
                if (upper <= 0) return upper;
                lower = 0;
            } else if (upper == Double.POSITIVE_INFINITY) {
                return lower;
            }
        }
        if (count > h.count()) count = h.count();
        if (count < rank) {
            if (Double.isNaN(h.sum())) return Double.NaN;
            return upper;
        }
        if (forward) rank -= count - bucket.count();
        else rank = count - rank;
        double fraction = rank / bucket.count();
        if (h.usesCustomBuckets() || (lower <= 0 && upper >= 0)) return lower + (upper - lower) * fraction;
        double logLower = log2(Math.abs(lower));
        double logUpper = log2(Math.abs(upper));
        if (lower > 0) return Math.pow(2, logLower + (logUpper - logLower) * fraction);
        return -Math.pow(2, logUpper + (logLower - logUpper) * (1 - fraction));
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /** Whether the histogram holds NaN observations that make its count exceed its buckets' total. */
    static boolean nanSkewed(FloatHistogram h) {
        if (!Double.isNaN(h.sum())) return false;
        double total = 0;
        for (Bucket b : allBuckets(h)) total += b.count();
        return total < h.count();
    }

    /** The estimated fraction of observations in [lower, upper] (Prometheus's HistogramFraction). */
    static double fraction(double lower, double upper, FloatHistogram h) {
        if (h.count() == 0 || Double.isNaN(lower) || Double.isNaN(upper)) return Double.NaN;
        if (lower >= upper) return 0;
        double rank = 0, lowerRank = 0, upperRank = 0;
        boolean lowerSet = false, upperSet = false;
        boolean hasNeg = h.negativeBuckets().length > 0, hasPos = h.positiveBuckets().length > 0;
        double total = 0;
        for (Bucket bk : allBuckets(h)) {
            total += bk.count();
            double bl = bk.lower(), bu = bk.upper(), bc = bk.count();
            boolean zero = false;
            if (bl <= 0 && bu >= 0) {
                zero = true;
                if (!hasNeg && hasPos) bl = 0;
                else if (!hasPos && hasNeg) bu = 0;
            }
            if (lowerSet && upperSet) continue;
            if (!lowerSet && bl >= lower) {
                lowerRank = rank;
                lowerSet = true;
            }
            if (!upperSet && bl >= upper) {
                upperRank = rank;
                upperSet = true;
            }
            if (lowerSet && upperSet) continue;
            boolean linear = h.usesCustomBuckets() || zero;
            if (!lowerSet && bl < lower && bu > lower) {
                lowerRank = interpolate(rank, bl, bu, bc, lower, linear);
                lowerSet = true;
            }
            if (!upperSet && bl < upper && bu > upper) {
                upperRank = interpolate(rank, bl, bu, bc, upper, linear);
                upperSet = true;
            }
            if (lowerSet && upperSet) continue;
            rank += bc;
        }
        double count = Double.isNaN(h.sum()) ? total : h.count();
        if (!lowerSet || lowerRank > count) lowerRank = count;
        if (!upperSet || upperRank > count) upperRank = count;
        return (upperRank - lowerRank) / h.count();
    }

    private static double interpolate(double rank, double lower, double upper, double count, double v, boolean linear) {
        if (linear) {
            if (lower == Double.NEGATIVE_INFINITY) return count;
            return rank + count * (v - lower) / (upper - lower);
        }
        double logLower = log2(Math.abs(lower)), logUpper = log2(Math.abs(upper)), logV = log2(Math.abs(v));
        double f = v > 0 ? (logV - logLower) / (logUpper - logLower) : 1 - ((logV - logUpper) / (logLower - logUpper));
        return rank + count * f;
    }

    /** The variance of the observations estimated from the buckets (Prometheus's histogramVariance). */
    static double variance(FloatHistogram h) {
        double mean = h.sum() / h.count();
        double variance = 0, c = 0;
        for (Bucket b : allBuckets(h)) {
            if (b.count() == 0) continue;
            double val;
            if (h.usesCustomBuckets()) val = (b.upper() + b.lower()) / 2.0;
            else if (b.lower() <= 0 && b.upper() >= 0) val = 0;
            else {
                val = Math.sqrt(b.upper() * b.lower());
                if (b.upper() < 0) val = -val;
            }
            double delta = val - mean;
            double[] comp = {c};
            variance = FloatMath.kahanInc(b.count() * delta * delta, variance, comp);
            c = comp[0];
        }
        return (variance + c) / h.count();
    }
}

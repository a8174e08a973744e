package dev.strata.query.engine;


import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * The experimental range modifiers. {@code anchored}: the window (start, end] is extended with the
 * last sample at or before start (within the lookback delta) and results are computed from actual
 * samples without extrapolation. {@code smoothed}: the values at start and end are linearly
 * interpolated between the neighbouring samples (counters in reset-corrected space), falling back
 * to the first/last sample where no neighbour exists. Anchored needs a sample inside (start, end];
 * smoothed needs one there or neighbours on both sides. Windows holding native histograms follow
 * Prometheus's histogram variants (see {@link #histograms}), arithmetic in {@link HistogramMath}.
 */
final class ExtendedRollups {
    private ExtendedRollups() {}

    /**
     * Evaluates {@code fn} with the modifier over every series and step. Counts as Prometheus samples
     * the points each step reads: the window's plus the neighbours the modifier uses.
     */
    static List<StepSeries> eval(Evaluator ev, String fn, RangeInput r, boolean anchored, String position) {
        long lookback = ev.opts.lookbackDeltaMs();
        List<StepSeries> out = new ArrayList<>();
        long[] windowSamples = new long[ev.steps];
        r.forEach(s -> {
            ev.ctx.checkDeadline();
            StepSeries o = new StepSeries(s.labels, ev.steps, true);
            boolean any = false;
            for (int i = 0; i < ev.steps; i++) {
                long end = r.ref[i];
                long start = end - r.rangeMs;
                int lo = upperBound(s.t, s.n, start);      // first index with t > start
                int hi = upperBound(s.t, s.n, end);        // first index with t > end
                if (hi <= lo && anchored) continue;
                boolean before = lo > 0 && s.t[lo - 1] > start - lookback;
                boolean after = !anchored && hi < s.n && s.t[hi] < end + lookback;
                if (!anchored && hi <= lo && !(before && after)) continue;
                int from = before ? lo - 1 : lo, to = after ? hi + 1 : hi;
                int hists = 0;
                for (int k = from; k < to; k++) if (s.hist(k) != null) hists++;
                if (hists > 0) {
                    Object res = histograms(ev.annotations, position, fn, s, lo, hi, before, after, start, end, r.rangeMs,
                            anchored, hists == to - from);
                    if (res == null) continue;
                    if (res instanceof FloatHistogram fh) o.setHistogram(i, fh);
                    else o.set(i, (Double) res);
                } else {
                    Double v = anchored ? anchored(fn, s, lo, hi, start, lookback, r.rangeMs)
                            : smoothed(fn, s, lo, hi, start, end, lookback, r.rangeMs);
                    if (v == null) continue;
                    o.set(i, v);
                }
                windowSamples[i] += hi - lo + (before ? 1 : 0) + (after ? 1 : 0);
                any = true;
            }
            if (any) out.add(o);
        });
        ev.samples.addPerStep(windowSamples);
        return out;
    }

    private static int upperBound(long[] a, int n, long key) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= key) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static Double anchored(String fn, RangeSeries s, int lo, int hi, long start, long lookback, long range) {
        int from = lo;
        if (lo > 0 && s.t[lo - 1] > start - lookback) from = lo - 1;
        double first = s.v[from], last = s.v[hi - 1];
        switch (fn) {
            case "changes": {
                int c = 0;
                for (int i = from + 1; i < hi; i++) {
                    double p = s.v[i - 1], x = s.v[i];
                    if (!(x == p || (Double.isNaN(x) && Double.isNaN(p)))) c++;
                }
                return (double) c;
            }
            case "resets": {
                int c = 0;
                for (int i = from + 1; i < hi; i++) if (s.v[i] < s.v[i - 1]) c++;
                return (double) c;
            }
            case "delta":
                return last - first;
            case "increase":
            case "rate": {
                double inc = last - first;
                for (int i = from + 1; i < hi; i++) if (s.v[i] < s.v[i - 1]) inc += s.v[i - 1];
                return fn.equals("rate") ? inc / (range / 1000.0) : inc;
            }
            default:
                return null;
        }
    }

    private static Double smoothed(String fn, RangeSeries s, int lo, int hi, long start, long end, long lookback,
                                   long range) {
        boolean counter = !fn.equals("delta");
        boolean hasBefore = lo > 0 && s.t[lo - 1] > start - lookback;
        boolean hasAfter = hi < s.n && s.t[hi] < end + lookback;
        if (hi <= lo && !(hasBefore && hasAfter)) return null;
        int from = hasBefore ? lo - 1 : lo;
        int to = hasAfter ? hi + 1 : hi;
        // Values in reset-corrected space for counters.
        double[] c = new double[to - from];
        double offset = 0;
        for (int i = from; i < to; i++) {
            if (counter && i > from && s.v[i] < s.v[i - 1]) offset += s.v[i - 1];
            c[i - from] = s.v[i] + offset;
        }
        // Index (relative to from) of the first point after start and the last point at or before end.
        int firstIn = lo - from;
        int lastIn = hi - 1 - from;
        double startV = hasBefore ? interpolate(s.t[from], c[0], s.t[from + firstIn], c[firstIn], start) : c[firstIn];
        double endV = hasAfter ? interpolate(s.t[from + lastIn], c[lastIn], s.t[from + lastIn + 1], c[lastIn + 1], end)
                : c[lastIn];
        double d = endV - startV;
        return switch (fn) {
            case "rate" -> d / (range / 1000.0);
            case "increase", "delta" -> d;
            default -> null;
        };
    }

    private static double interpolate(long t1, double v1, long t2, double v2, long t) {
        if (t2 == t1) return v2;
        return v1 + (v2 - v1) * (double) (t - t1) / (double) (t2 - t1);
    }


    /**
     * One step over a window [from, to) holding histograms (before/after: whether the neighbours
     * outside (start, end] take part). changes/resets (anchored) count a switch between float and
     * histogram as one. rate/increase/delta need histograms only (else a mixed-types warning and no
     * result): right - left plus, for counters, the sample before each reset between left and
     * right. Smoothed boundaries are interpolated; across a reset the counter restarts from zero, so
     * the left boundary is then already in the post-reset space and needs no correction, and when
     * left and right come from the same pair of samples no correction applies at all. Answers a
     * Double, a FloatHistogram, or null (no result).
     */
    private static Object histograms(Annotations ann, String position, String fn, RangeSeries s, int lo, int hi,
                                     boolean before, boolean after, long start, long end, long range, boolean anchored,
                                     boolean allHistograms) {
        int from = before ? lo - 1 : lo, to = after ? hi + 1 : hi;
        String name = s.labels.get(Labels.METRIC_NAME);
        if (fn.equals("changes") || fn.equals("resets")) {
            boolean resets = fn.equals("resets");
            int c = 0;
            for (int i = from + 1; i < hi; i++) {
                FloatHistogram p = s.hist(i - 1), x = s.hist(i);
                if (p == null && x == null) {
                    double a = s.v[i - 1], b = s.v[i];
                    if (resets ? b < a : b != a && !(Double.isNaN(a) && Double.isNaN(b))) c++;
                } else if (p == null || x == null) {
                    c++;
                } else if (resets ? HistogramMath.detectReset(x, p) : !HistogramMath.sameValue(x, p)) {
                    c++;
                }
            }
            return (double) c;
        }
        if (!allHistograms) {
            ann.warn("encountered a mix of histograms and floats for metric name \"" + name + "\"" + position);
            return null;
        }
        boolean counter = !fn.equals("delta");
        boolean custom = s.hist(from).usesCustomBuckets();
        boolean gauge = false;
        for (int i = from; i < to; i++) {
            if (s.hist(i).usesCustomBuckets() != custom) {
                incompatible(ann, name, position);
                return null;
            }
            if (s.hist(i).resetHint() == FloatHistogram.ResetHint.GAUGE) gauge = true;
        }
        try {
            FloatHistogram left, right;
            if (!anchored && before) left = interpolate(s, lo, start, counter);
            else left = s.hist(from);
            if (!anchored && after) right = interpolate(s, hi, end, counter);
            else right = s.hist(hi - 1);
            HistogramMath.Sparse acc = HistogramMath.Sparse.of(right);
            HistogramMath.addInto(acc, HistogramMath.Sparse.of(left), -1);
            if (counter) {
                if (gauge) ann.warn("this native histogram metric is not a counter: \"" + name + "\"" + position);
                // Anchored: every pair of consecutive samples from the anchor on. Smoothed: the pairs
                // inside the window, and the pair the right boundary was interpolated from when it
                // differs from the left boundary's pair.
                int first = anchored ? from + 1 : lo + 1;
                int last = !anchored && after && hi - 1 >= lo ? hi : hi - 1;
                for (int i = first; i <= last; i++) {
                    if (HistogramMath.detectReset(s.hist(i), s.hist(i - 1))) {
                        HistogramMath.addInto(acc, HistogramMath.Sparse.of(s.hist(i - 1)), 1);
                    }
                }
            } else if (left.resetHint() != FloatHistogram.ResetHint.GAUGE
                    || right.resetHint() != FloatHistogram.ResetHint.GAUGE) {
                ann.warn("this native histogram metric is not a gauge: \"" + name + "\"" + position);
            }
            if (fn.equals("rate")) acc.scale(1000.0 / range);
            acc.hint = FloatHistogram.ResetHint.GAUGE;
            return acc.build();
        } catch (HistogramMath.IncompatibleException e) {
            incompatible(ann, name, position);
            return null;
        }
    }

    private static void incompatible(Annotations ann, String name, String position) {
        ann.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \""
                + name + "\"" + position);
    }

    /**
     * The histogram at time t between samples i-1 and i. For a counter that resets at sample i it
     * restarted from zero: sample i scaled by the elapsed fraction.
     */
    static FloatHistogram interpolate(long t1, FloatHistogram h1, long t2, FloatHistogram h2, long t, boolean counter) {
        if (t2 == t1) return h2;
        double f = (double) (t - t1) / (double) (t2 - t1);
        if (counter && HistogramMath.detectReset(h2, h1)) return HistogramMath.mul(h2, f);
        HistogramMath.Sparse acc = HistogramMath.Sparse.of(h1);
        HistogramMath.Sparse d = HistogramMath.Sparse.of(h2);
        HistogramMath.addInto(d, HistogramMath.Sparse.of(h1), -1);
        d.scale(f);
        HistogramMath.addInto(acc, d, 1);
        return acc.build();
    }

    private static FloatHistogram interpolate(RangeSeries s, int i, long t, boolean counter) {
        return interpolate(s.t[i - 1], s.hist(i - 1), s.t[i], s.hist(i), t, counter);
    }
}

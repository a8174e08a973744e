package dev.strata.query.engine;


import java.util.ArrayList;
import java.util.List;

/**
 * The experimental range modifiers. {@code anchored}: the window (start, end] is extended with the
 * last sample at or before start (within the lookback delta) and results are computed from actual
 * samples without extrapolation. {@code smoothed}: the values at start and end are linearly
 * interpolated between the neighbouring samples (counters in reset-corrected space), falling back
 * to the first/last sample where no neighbour exists. Both need a sample inside (start, end].
 */
final class ExtendedRollups {
    private ExtendedRollups() {}

    /**
     * Evaluates {@code fn} with the modifier over every series and step. Counts as Prometheus samples
     * the points each step reads: the window's plus the neighbours the modifier uses.
     */
    static List<StepSeries> eval(Evaluator ev, String fn, RangeInput r, boolean anchored) {
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
                Double v = anchored ? anchored(fn, s, lo, hi, start, lookback, r.rangeMs)
                        : smoothed(fn, s, lo, hi, start, end, lookback, r.rangeMs);
                if (v == null) continue;
                boolean before = lo > 0 && s.t[lo - 1] > start - lookback;
                boolean after = !anchored && hi < s.n && s.t[hi] < end + lookback;
                windowSamples[i] += hi - lo + (before ? 1 : 0) + (after ? 1 : 0);
                o.set(i, v);
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

}

package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import java.util.Set;

/**
 * Range-vector functions over a window that holds native-histogram samples (a window of floats only
 * goes through {@link Rollups} unchanged). As in Prometheus's functions.go: rate/increase/delta,
 * irate/idelta, sum/avg_over_time, last/first_over_time, resets and changes work on histograms;
 * count/present/ts_of_last/ts_of_first_over_time count any sample; every other function reads only
 * the window's floats and, when histograms were left out of a range that also holds floats, says so
 * with an info annotation.
 */
final class HistogramRollups {
    private HistogramRollups() {}

    /** Functions whose result does not depend on the samples' values. */
    private static final Set<String> VALUE_BLIND = Set.of("count_over_time", "present_over_time", "ts_of_last_over_time",
            "ts_of_first_over_time");

    /** The result of one window: a float, a histogram, or nothing. */
    static final class Result {
        boolean has;
        double value;
        FloatHistogram histogram;

        void set(double v) {
            has = true;
            value = v;
            histogram = null;
        }

        void set(FloatHistogram h) {
            has = true;
            histogram = h;
        }
    }

    /**
     * Evaluates {@code name} over points [w.lo, w.hi) of a window holding at least one histogram
     * ({@code h} parallel to w.t); {@code fn} is the float function for the floats-only functions.
     */
    static void apply(String name, Rollups.Window w, FloatHistogram[] h, Rollups.Fn fn, Result out) {
        out.has = false;
        int floats = 0;
        for (int i = w.lo; i < w.hi; i++) if (h[i] == null) floats++;
        int hists = w.hi - w.lo - floats;
        if (VALUE_BLIND.contains(name)) {
            if (fn.apply(w)) out.set(w.result);
            return;
        }
        switch (name) {
            case "rate", "increase", "delta" -> {
                if (floats > 0) {
                    mixed(w);
                    return;
                }
                rate(w, h, !name.equals("delta"), name.equals("rate"), out);
            }
            case "irate", "idelta" -> instant(w, h, name.equals("irate"), out);
            case "sum_over_time", "avg_over_time" -> {
                if (floats > 0) {
                    mixed(w);
                    return;
                }
                sumOrAvg(w, h, name.equals("avg_over_time"), out);
            }
            case "last_over_time" -> {
                int i = w.hi - 1;
                if (h[i] != null) out.set(h[i]);
                else out.set(w.v[i]);
            }
            case "first_over_time" -> {
                int i = w.lo;
                if (h[i] != null) out.set(h[i]);
                else out.set(w.v[i]);
            }
            case "resets", "changes" -> out.set(resetsOrChanges(w, h, name.equals("resets")));
            default -> floatsOnly(w, h, fn, floats, hists, out);
        }
    }

    private static void mixed(Rollups.Window w) {
        w.annotations.warn("encountered a mix of histograms and floats for metric name \"" + w.metricName + "\"" + w.position);
    }

    /** The float function over the window's floats only; an info when histograms were left out of a mixed range. */
    private static void floatsOnly(Rollups.Window w, FloatHistogram[] h, Rollups.Fn fn, int floats, int hists, Result out) {
        if (floats == 0) return;
        if (hists > 0) {
            w.annotations.info("ignored histograms in a range containing both floats and histograms for metric name \""
                    + w.metricName + "\"" + w.position);
        }
        long[] t = new long[floats];
        double[] v = new double[floats];
        long[] st = w.st == null ? null : new long[floats];
        int k = 0;
        for (int i = w.lo; i < w.hi; i++) {
            if (h[i] != null) continue;
            t[k] = w.t[i];
            if (st != null) st[k] = w.st[i];
            v[k++] = w.v[i];
        }
        long[] ot = w.t;
        double[] ov = w.v;
        long[] ost = w.st;
        int olo = w.lo, ohi = w.hi;
        int[] oresets = w.resetCounts;
        w.t = t;
        w.v = v;
        w.st = st;
        w.lo = 0;
        w.hi = floats;
        w.resetCounts = null;
        try {
            if (fn.apply(w)) out.set(w.result);
        } finally {
            w.t = ot;
            w.v = ov;
            w.st = ost;
            w.lo = olo;
            w.hi = ohi;
            w.resetCounts = oresets;
        }
    }

    /** Prometheus's extrapolatedRate with histogramRate, for a window of histograms only (start timestamps not used). */
    private static void rate(Rollups.Window w, FloatHistogram[] h, boolean counter, boolean isRate, Result out) {
        int lo = w.lo, hi = w.hi;
        int n = hi - lo;
        long[] st = w.st;
        // A start timestamp inside the window before the first sample: the counter started there from zero.
        boolean startInWindow = counter && st != null && st[lo] != 0 && st[lo] > w.rangeStart && st[lo] < w.t[lo];
        if (n < 2 && !startInWindow) return;
        FloatHistogram first = h[lo], last = h[hi - 1];
        String name = w.metricName;
        if (counter && (first.resetHint() == FloatHistogram.ResetHint.GAUGE || last.resetHint() == FloatHistogram.ResetHint.GAUGE)) {
            notCounter(w);
        }
        HistogramMath.Sparse prev = HistogramMath.Sparse.of(first);
        boolean custom = first.usesCustomBuckets();
        // The previous sample of the reset scan below; null stands for the empty histogram that
        // replaces the first sample when a reset follows it.
        FloatHistogram scanPrev = first;
        if (counter && n >= 2 && (stReset(st, w.t, lo + 1) || HistogramMath.detectReset(h[lo + 1], first))) {
            scanPrev = null;
            // A reset right after the first sample: its layout does not matter, start from an empty one.
            prev = HistogramMath.Sparse.of(h[lo + 1]);
            prev.zeroCount = 0;
            prev.count = 0;
            prev.sum = 0;
            prev.pos.clear();
            prev.neg.clear();
            prev.hint = FloatHistogram.ResetHint.UNKNOWN;
            custom = h[lo + 1].usesCustomBuckets();
        }
        if (last.usesCustomBuckets() != custom) {
            incompatible(w, name);
            return;
        }
        int minSchema = Math.min(last.schema(), prev.schema);
        for (int i = lo + 1; i < hi - 1; i++) {
            if (!counter) continue;
            if (h[i].resetHint() == FloatHistogram.ResetHint.GAUGE) notCounter(w);
            minSchema = Math.min(minSchema, h[i].schema());
            if (h[i].usesCustomBuckets() != custom) {
                incompatible(w, name);
                return;
            }
        }
        HistogramMath.Sparse acc = HistogramMath.Sparse.of(last);
        acc.reduceTo(minSchema);
        try {
            if (HistogramMath.addInto(acc, prev, -1) == HistogramMath.AddOutcome.RECONCILED_CUSTOM) {
                w.annotations.info("mismatched custom buckets were reconciled during subtraction" + w.position);
            }
            if (counter) {
                FloatHistogram p = scanPrev;
                for (int i = lo + 1; i < hi; i++) {
                    if (p != null && (stReset(st, w.t, i) || HistogramMath.detectReset(h[i], p))) {
                        if (HistogramMath.addInto(acc, HistogramMath.Sparse.of(p), 1) == HistogramMath.AddOutcome.RECONCILED_CUSTOM) {
                            w.annotations.info("mismatched custom buckets were reconciled during addition" + w.position);
                        }
                    }
                    p = h[i];
                }
            } else if (first.resetHint() != FloatHistogram.ResetHint.GAUGE || last.resetHint() != FloatHistogram.ResetHint.GAUGE) {
                w.annotations.warn("this native histogram metric is not a gauge: \"" + name + "\"" + w.position);
            }
        } catch (HistogramMath.IncompatibleException e) {
            incompatible(w, name);
            return;
        }
        acc.hint = FloatHistogram.ResetHint.GAUGE;
        // Extrapolation as for floats, the zero point from the histogram count.
        long firstT = w.t[lo], lastT = w.t[hi - 1];
        double durationToStart = (firstT - w.rangeStart) / 1000.0;
        double durationToEnd = (w.rangeEnd - lastT) / 1000.0;
        double sampledInterval = (lastT - firstT) / 1000.0;
        double avgBetween = n > 1 ? sampledInterval / (n - 1) : 0;
        double threshold = avgBetween * 1.1;
        if (startInWindow) {
            durationToStart = 0;
            sampledInterval = (lastT - st[lo]) / 1000.0;
            try {
                HistogramMath.addInto(acc, HistogramMath.Sparse.of(first), 1);
            } catch (HistogramMath.IncompatibleException e) {
                incompatible(w, name);
                return;
            }
        } else {
            if (durationToStart >= threshold) durationToStart = avgBetween / 2;
            if (counter && acc.count > 0 && first.count() >= 0) {
                double durationToZero = sampledInterval * (first.count() / acc.count);
                if (durationToZero < durationToStart) durationToStart = durationToZero;
            }
        }
        if (durationToEnd >= threshold) durationToEnd = avgBetween / 2;
        double factor = sampledInterval != 0 ? (sampledInterval + durationToStart + durationToEnd) / sampledInterval : 1;
        if (isRate) factor /= w.rangeMs / 1000.0;
        acc.scale(factor);
        out.set(acc.build());
    }

    /** Whether the start timestamps say the counter restarted between samples i-1 and i. */
    private static boolean stReset(long[] st, long[] t, int i) {
        return st != null && StartTimestamps.isReset(st[i - 1], t[i - 1], st[i], t[i]);
    }

    private static void notCounter(Rollups.Window w) {
        w.annotations.warn("this native histogram metric is not a counter: \"" + w.metricName + "\"" + w.position);
    }

    private static void incompatible(Rollups.Window w, String name) {
        w.annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \""
                + name + "\"" + w.position);
    }

    /** irate/idelta over the window's last two samples. */
    private static void instant(Rollups.Window w, FloatHistogram[] h, boolean isRate, Result out) {
        if (w.hi - w.lo < 2) return;
        int a = w.hi - 2, b = w.hi - 1;
        long interval = w.t[b] - w.t[a];
        if (interval == 0) return;
        if (h[a] == null && h[b] == null) {
            double r = w.v[b];
            if (!isRate || !(w.v[b] < w.v[a])) r = w.v[b] - w.v[a];
            out.set(isRate ? r / (interval / 1000.0) : r);
            return;
        }
        if (h[a] == null || h[b] == null) {
            mixed(w);
            return;
        }
        if (isRate && (h[a].resetHint() == FloatHistogram.ResetHint.GAUGE || h[b].resetHint() == FloatHistogram.ResetHint.GAUGE)) {
            notCounter(w);
        }
        if (!isRate && (h[a].resetHint() != FloatHistogram.ResetHint.GAUGE || h[b].resetHint() != FloatHistogram.ResetHint.GAUGE)) {
            w.annotations.warn("this native histogram metric is not a gauge: \"" + w.metricName + "\"" + w.position);
        }
        HistogramMath.Sparse r = HistogramMath.Sparse.of(h[b]);
        if (!isRate || !(stReset(w.st, w.t, b) || HistogramMath.detectReset(h[b], h[a]))) {
            try {
                if (HistogramMath.addInto(r, HistogramMath.Sparse.of(h[a]), -1) == HistogramMath.AddOutcome.RECONCILED_CUSTOM) {
                    w.annotations.info("mismatched custom buckets were reconciled during subtraction" + w.position);
                }
            } catch (HistogramMath.IncompatibleException e) {
                incompatible(w, w.metricName);
                return;
            }
        }
        r.hint = FloatHistogram.ResetHint.GAUGE;
        if (isRate) {
            double secs = interval / 1000.0;
            r.zeroCount /= secs;
            r.count /= secs;
            r.sum /= secs;
            r.pos.replaceAll((k, v) -> v / secs);
            r.neg.replaceAll((k, v) -> v / secs);
        }
        out.set(r.build());
    }

    /** sum_over_time / avg_over_time of histograms only, with the counter-reset collision warning. */
    private static void sumOrAvg(Rollups.Window w, FloatHistogram[] h, boolean avg, Result out) {
        boolean reset = false, notReset = false, reconciled = false;
        HistogramMath.Accumulator acc = null;
        for (int i = w.lo; i < w.hi; i++) {
            if (h[i].resetHint() == FloatHistogram.ResetHint.YES) reset = true;
            if (h[i].resetHint() == FloatHistogram.ResetHint.NO) notReset = true;
            if (acc == null) {
                acc = new HistogramMath.Accumulator(h[i], avg);
                continue;
            }
            try {
                reconciled |= acc.add(h[i]) == HistogramMath.AddOutcome.RECONCILED_CUSTOM;
            } catch (HistogramMath.IncompatibleException e) {
                incompatible(w, w.metricName);
                return;
            }
        }
        if (reset && notReset) w.annotations.warn("conflicting counter resets during histogram aggregation" + w.position);
        if (reconciled) w.annotations.info("mismatched custom buckets were reconciled during aggregation" + w.position);
        out.set(acc.result().build());
    }

    /** resets/changes over a window mixing floats and histograms: a switch of kind counts as one. */
    private static double resetsOrChanges(Rollups.Window w, FloatHistogram[] h, boolean resets) {
        int count = 0;
        for (int i = w.lo + 1; i < w.hi; i++) {
            FloatHistogram p = h[i - 1], c = h[i];
            if (p == null && c == null) {
                double a = w.v[i - 1], b = w.v[i];
                if (resets ? b < a : b != a && !(Double.isNaN(a) && Double.isNaN(b))) count++;
            } else if (p == null || c == null) {
                count++;
            } else if (resets ? stReset(w.st, w.t, i) || HistogramMath.detectReset(c, p) : !HistogramMath.sameValue(c, p)) {
                count++;
            }
        }
        return count;
    }
}

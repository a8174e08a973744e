package dev.strata.query.engine;

import dev.strata.query.ast.Printer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Range-vector functions ({@code *_over_time}, rate family, ...), as a lookup table name -> function.
 * A function sees one series' window: points {@code t[lo..hi)}, {@code v[lo..hi)} with times in
 * (rangeStart, rangeEnd]; it writes its result into {@link Window#result} and returns true, or returns
 * false for "no output at this step".
 */
final class Rollups {
    private Rollups() {}

    /** One series' window at one step, plus the call's scalar parameters at that step. */
    static final class Window {
        long[] t;
        double[] v;
        /**
         * Start timestamps parallel to t (0 = unknown), or null: the one optional input through which
         * rate, increase, irate and resets see counter restarts that values alone cannot show.
         */
        long[] st;
        int lo;
        int hi;
        long rangeStart;
        long rangeEnd;
        long stepTime;
        long rangeMs;
        double p0;
        double p1;
        double result;
        String metricName;
        /**
         * For counters: resetCounts[i] = number of resets (drops v[j] < v[j-1], or start-timestamp
         * resets) for j <= i over the whole series,
         * so a window without resets skips the correction loop. Null when not computed.
         */
        int[] resetCounts;
        /**
         * Whether the counter-name check already ran for the current series' metric name (it runs
         * once per name: the annotation would be the same for every series of that name).
         */
        boolean nameChecked;
        Annotations annotations;
        /** extrapolatedRate's timing values of the last window shape (see {@link Extrapolation}). */
        final Extrapolation extrapolation = new Extrapolation();
        /** " (line:col)" of the range argument, for annotations. */
        String position = "";

        int n() {
            return hi - lo;
        }
    }

    interface Fn {
        boolean apply(Window w);
    }

    static final Map<String, Fn> TABLE = new HashMap<>();

    static {
        TABLE.put("count_over_time", w -> set(w, w.n()));
        TABLE.put("present_over_time", w -> set(w, 1));
        TABLE.put("sum_over_time", w -> set(w, kahanSum(w)));
        TABLE.put("avg_over_time", w -> set(w, avg(w)));
        TABLE.put("min_over_time", w -> {
            double m = w.v[w.lo];
            for (int i = w.lo + 1; i < w.hi; i++) if (m > w.v[i] || Double.isNaN(m)) m = w.v[i];
            return set(w, m);
        });
        TABLE.put("max_over_time", w -> {
            double m = w.v[w.lo];
            for (int i = w.lo + 1; i < w.hi; i++) if (m < w.v[i] || Double.isNaN(m)) m = w.v[i];
            return set(w, m);
        });
        TABLE.put("ts_of_min_over_time", w -> {
            int best = w.lo;
            for (int i = w.lo + 1; i < w.hi; i++) {
                if (w.v[best] >= w.v[i] || Double.isNaN(w.v[best])) {
                    if (!Double.isNaN(w.v[i]) || Double.isNaN(w.v[best])) best = i;
                }
            }
            return set(w, w.t[best] / 1000.0);
        });
        TABLE.put("ts_of_max_over_time", w -> {
            int best = w.lo;
            for (int i = w.lo + 1; i < w.hi; i++) {
                if (w.v[best] <= w.v[i] || Double.isNaN(w.v[best])) {
                    if (!Double.isNaN(w.v[i]) || Double.isNaN(w.v[best])) best = i;
                }
            }
            return set(w, w.t[best] / 1000.0);
        });
        TABLE.put("last_over_time", w -> set(w, w.v[w.hi - 1]));
        TABLE.put("first_over_time", w -> set(w, w.v[w.lo]));
        TABLE.put("ts_of_last_over_time", w -> set(w, w.t[w.hi - 1] / 1000.0));
        TABLE.put("ts_of_first_over_time", w -> set(w, w.t[w.lo] / 1000.0));
        TABLE.put("stdvar_over_time", w -> set(w, stdvar(w)));
        TABLE.put("stddev_over_time", w -> set(w, Math.sqrt(stdvar(w))));
        TABLE.put("quantile_over_time", w -> {
            double[] vals = Arrays.copyOfRange(w.v, w.lo, w.hi);
            return set(w, Aggregations.quantile(w.p0, vals));
        });
        TABLE.put("mad_over_time", w -> {
            double[] vals = Arrays.copyOfRange(w.v, w.lo, w.hi);
            for (double x : vals) if (Double.isNaN(x)) return set(w, Double.NaN);
            double med = Aggregations.quantile(0.5, vals);
            double[] dev = new double[vals.length];
            for (int i = 0; i < vals.length; i++) dev[i] = Math.abs(vals[i] - med);
            return set(w, Aggregations.quantile(0.5, dev));
        });
        TABLE.put("changes", w -> {
            int c = 0;
            for (int i = w.lo + 1; i < w.hi; i++) {
                double prev = w.v[i - 1], cur = w.v[i];
                if (!(cur == prev || (Double.isNaN(cur) && Double.isNaN(prev)))) c++;
            }
            return set(w, c);
        });
        TABLE.put("resets", w -> {
            int c = 0;
            for (int i = w.lo + 1; i < w.hi; i++) if (isReset(w, i)) c++;
            return set(w, c);
        });
        TABLE.put("rate", w -> extrapolated(w, true, true));
        TABLE.put("increase", w -> extrapolated(w, true, false));
        TABLE.put("delta", w -> extrapolated(w, false, false));
        TABLE.put("irate", w -> instant(w, true));
        TABLE.put("idelta", w -> instant(w, false));
        TABLE.put("deriv", w -> {
            if (w.n() < 2) return false;
            double[] r = linearRegression(w, w.t[w.lo]);
            return set(w, r[0]);
        });
        TABLE.put("predict_linear", w -> {
            if (w.n() < 2) return false;
            double[] r = linearRegression(w, w.stepTime);
            return set(w, r[1] + r[0] * w.p0);
        });
        TABLE.put("double_exponential_smoothing", Rollups::doubleExponentialSmoothing);
        TABLE.put("holt_winters", w -> {
            w.annotations.info("holt_winters is the Prometheus 2.x name of double_exponential_smoothing"
                    + " (renamed in Prometheus 3.0); evaluated as double_exponential_smoothing" + w.position);
            return doubleExponentialSmoothing(w);
        });
    }

    /** Prometheus 3's double_exponential_smoothing (2.x: holt_winters): smoothing factor p0, trend factor p1. */
    private static boolean doubleExponentialSmoothing(Window w) {
        double sf = w.p0, tf = w.p1;
        if (!(sf > 0 && sf < 1)) {
            throw QueryException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: " + goF(sf));
        }
        if (!(tf > 0 && tf < 1)) {
            throw QueryException.execution("invalid trend factor. Expected: 0 < tf < 1, got: " + goF(tf));
        }
        int n = w.n();
        if (n < 2) return false;
        double s0 = 0, s1 = w.v[w.lo];
        double b = w.v[w.lo + 1] - w.v[w.lo];
        for (int i = 1; i < n; i++) {
            double x = sf * w.v[w.lo + i];
            if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        return set(w, s1);
    }

    private static String goF(double v) {
        return String.format(java.util.Locale.ROOT, "%f", v);
    }

    private static boolean set(Window w, double v) {
        w.result = v;
        return true;
    }

    static double kahanSum(Window w) {
        double s = 0;
        double[] c = new double[1];
        for (int i = w.lo; i < w.hi; i++) s = FloatMath.kahanInc(w.v[i], s, c);
        return s + c[0];
    }

    static double avg(Window w) {
        int n = w.n();
        double s = 0;
        double[] c = new double[1];
        boolean overflow = false;
        for (int i = w.lo; i < w.hi; i++) {
            s = FloatMath.kahanInc(w.v[i], s, c);
            if (Double.isInfinite(s) && !Double.isInfinite(w.v[i])) overflow = true;
        }
        if (!overflow) return (s + c[0]) / n;
        double mean = 0;
        double[] mc = new double[1];
        for (int i = w.lo; i < w.hi; i++) mean = FloatMath.kahanInc(w.v[i] / n, mean, mc);
        return mean + mc[0];
    }

    static double stdvar(Window w) {
        double count = 0, mean = 0, cMean = 0, m2 = 0, cM2 = 0;
        for (int i = w.lo; i < w.hi; i++) {
            count++;
            double x = w.v[i];
            double delta = x - (mean + cMean);
            double[] c = {cMean};
            mean = FloatMath.kahanInc(delta / count, mean, c);
            cMean = c[0];
            double[] c2 = {cM2};
            m2 = FloatMath.kahanInc(delta * (x - (mean + cMean)), m2, c2);
            cM2 = c2[0];
        }
        return (m2 + cM2) / count;
    }

    /** Whether the counter reset between samples i-1 and i: its value dropped, or its start timestamp says so. */
    static boolean isReset(Window w, int i) {
        return w.v[i] < w.v[i - 1] || (w.st != null && StartTimestamps.isReset(w.st[i - 1], w.t[i - 1], w.st[i], w.t[i]));
    }

    /**
     * Prometheus's extrapolatedRate for rate/increase (counters) and delta (gauges). For counters with
     * start timestamps, a start-timestamp reset counts as a reset, and when the first sample's start
     * timestamp lies inside the window (and before the sample) the counter is taken to be 0 there
     * instead of extrapolating to the left; then a single sample is enough.
     */
    static boolean extrapolated(Window w, boolean counter, boolean isRate) {
        int n = w.n();
        long[] st = counter ? w.st : null;
        if (st != null) warnOverlaps(w);
        boolean zeroAtStart = st != null && StartTimestamps.startsInside(st[w.lo], w.t[w.lo], w.rangeStart);
        if (n < 2 && !zeroAtStart) return false;
        // Prometheus checks the name of every series with output (checked here at its first result).
        if (counter && !w.nameChecked) checkCounterName(w);
        w.nameChecked = true;
        double first = w.v[w.lo], last = w.v[w.hi - 1];
        double result = last - first;
        if (counter && (w.resetCounts == null || w.resetCounts[w.hi - 1] != w.resetCounts[w.lo])) {
            for (int i = w.lo + 1; i < w.hi; i++) {
                if (isReset(w, i)) result += w.v[i - 1];
            }
        }
        long firstT = w.t[w.lo], lastT = w.t[w.hi - 1];
        if (zeroAtStart) {
            // The counter was 0 at the start timestamp: count the first value, no extrapolation to the left.
            result += first;
            double avgBetween = n > 1 ? (lastT - firstT) / 1000.0 / (n - 1) : 0;
            double sampledInterval = (lastT - st[w.lo]) / 1000.0;
            double durationToStart = 0;
            double durationToEnd = (w.rangeEnd - lastT) / 1000.0;
            if (durationToEnd >= avgBetween * 1.1) durationToEnd = avgBetween / 2;
            double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
            if (isRate) factor /= w.rangeMs / 1000.0;
            return set(w, result * factor);
        }
        Extrapolation x = w.extrapolation;
        x.update(firstT - w.rangeStart, w.rangeEnd - lastT, lastT - firstT, n, w.rangeMs);
        double factor = isRate ? x.rateFactor : x.factor;
        if (counter && result > 0 && first >= 0) {
            // Counters cannot be negative: do not extrapolate to before the counter's zero point.
            double durationToZero = x.sampledInterval * (first / result);
            if (durationToZero < x.durationToStart) {
                factor = (x.sampledInterval + durationToZero + x.durationToEnd) / x.sampledInterval;
                if (isRate) factor /= w.rangeMs / 1000.0;
            }
        }
        return set(w, result * factor);
    }

    /** Prometheus's info for rate/increase over a metric whose name does not look like a counter's. */
    static void checkCounterName(Window w) {
        String name = w.metricName;
        if (name != null && !name.isEmpty() && !(name.endsWith("_total") || name.endsWith("_sum")
                || name.endsWith("_count") || name.endsWith("_bucket"))) {
            w.annotations.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \""
                    + name + "\"" + w.position);
        }
    }

    /** Warns (once per query, annotations deduplicate) when a sample's start time overlaps the previous sample. */
    private static void warnOverlaps(Window w) {
        for (int i = w.lo + 1; i < w.hi; i++) {
            if (StartTimestamps.overlaps(w.st[i - 1], w.t[i - 1], w.st[i])) {
                w.annotations.warn(StartTimestamps.overlapWarning(w.metricName, w.position));
                return;
            }
        }
    }

    /**
     * The timing part of Prometheus's extrapolatedRate: how far the window's first and last points are
     * from its bounds, where that is too far (more than 1.1 average intervals) half an interval
     * instead, and the resulting factor. It depends only on the gaps, the span and the point count,
     * which repeat from step to step for a regularly scraped series, so it is recomputed only when they
     * change (the same operations on the same inputs: bit-identical results).
     */
    static final class Extrapolation {
        private long startGapMs = Long.MIN_VALUE;
        private long endGapMs;
        private long spanMs;
        private int points;
        private long rangeMs;
        double durationToStart;
        double durationToEnd;
        double sampledInterval;
        /** (sampledInterval + durationToStart + durationToEnd) / sampledInterval. */
        double factor;
        /** factor / range in seconds. */
        double rateFactor;

        void update(long startGapMs, long endGapMs, long spanMs, int points, long rangeMs) {
            if (startGapMs == this.startGapMs && endGapMs == this.endGapMs && spanMs == this.spanMs
                    && points == this.points && rangeMs == this.rangeMs) {
                return;
            }
            this.startGapMs = startGapMs;
            this.endGapMs = endGapMs;
            this.spanMs = spanMs;
            this.points = points;
            this.rangeMs = rangeMs;
            durationToStart = startGapMs / 1000.0;
            durationToEnd = endGapMs / 1000.0;
            sampledInterval = spanMs / 1000.0;
            double avgBetween = sampledInterval / (points - 1);
            double threshold = avgBetween * 1.1;
            if (durationToStart >= threshold) durationToStart = avgBetween / 2;
            if (durationToEnd >= threshold) durationToEnd = avgBetween / 2;
            factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
            rateFactor = factor / (rangeMs / 1000.0);
        }
    }

    static boolean instant(Window w, boolean isRate) {
        if (w.n() < 2) return false;
        double last = w.v[w.hi - 1], prev = w.v[w.hi - 2];
        double r;
        if (isRate && isReset(w, w.hi - 1)) r = last;
        else r = last - prev;
        if (isRate) {
            long dt = w.t[w.hi - 1] - w.t[w.hi - 2];
            if (dt == 0) return false;
            r /= dt / 1000.0;
        }
        return set(w, r);
    }

    /** Returns {slope, intercept} with x in seconds relative to interceptTime (ms). */
    static double[] linearRegression(Window w, long interceptTime) {
        double n = 0;
        double[] cX = new double[1], cY = new double[1], cXY = new double[1], cX2 = new double[1];
        double sumX = 0, sumY = 0, sumXY = 0, sumX2 = 0;
        double initY = w.v[w.lo];
        boolean constY = true;
        for (int i = w.lo; i < w.hi; i++) {
            double y = w.v[i];
            if (constY && i > w.lo && y != initY) constY = false;
            n++;
            double x = (w.t[i] - interceptTime) / 1e3;
            sumX = FloatMath.kahanInc(x, sumX, cX);
            sumY = FloatMath.kahanInc(y, sumY, cY);
            sumXY = FloatMath.kahanInc(x * y, sumXY, cXY);
            sumX2 = FloatMath.kahanInc(x * x, sumX2, cX2);
        }
        if (constY) {
            if (Double.isInfinite(initY)) return new double[] {Double.NaN, Double.NaN};
            return new double[] {0, initY};
        }
        sumX += cX[0];
        sumY += cY[0];
        sumXY += cXY[0];
        sumX2 += cX2[0];
        double covXY = sumXY - sumX * sumY / n;
        double varX = sumX2 - sumX * sumX / n;
        double slope = covXY / varX;
        double intercept = sumY / n - slope * sumX / n;
        return new double[] {slope, intercept};
    }

    static void checkQuantile(Annotations a, double q) {
        if (Double.isNaN(q) || q < 0 || q > 1) {
            a.warn("quantile value should be between 0 and 1, got " + Printer.formatFloat(q));
        }
    }
}

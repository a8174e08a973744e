package dev.strata.query.engine;

/**
 * rate, increase and delta of one series without start timestamps at every step, in one pass: the
 * window bounds slide forward in locals and each window costs O(1) (first and last point, the timing
 * factor of {@link Rollups.Extrapolation}, which repeats from step to step for a regularly scraped
 * series), plus a walk over its points only when the window holds a counter reset.
 *
 * <p>The result at every step is bit-for-bit the one of {@link Rollups#extrapolated} over the same
 * window (the same operations in the same order; checked by a seeded randomized test): that method
 * stays the definition, and serves the series with start timestamps.
 */
final class ExtrapolatedRates {
    private ExtrapolatedRates() {}

    /**
     * Writes the function's value at step i into {@code out[i]} and sets {@code has[i]} for every step
     * whose window (ref[i] - rangeMs, ref[i]] of points {@code t[0..n)}, {@code v[0..n)} holds at least
     * two points; adds each window's point count to {@code windowSamples[i]}. Window ends must not
     * decrease (see {@link #ascending}). {@code resets[i]}: the number
     * of value drops v[j] &lt; v[j-1] for j &lt;= i, or null for none (only read for counters). Returns the number of
     * steps with a value.
     */
    static int eval(long[] t, double[] v, int n, int[] resets, long[] ref, long rangeMs, boolean counter,
                    boolean isRate, Rollups.Extrapolation x, double[] out, boolean[] has, long[] windowSamples) {
        int lo = 0, hi = 0, count = 0;
        double rangeSeconds = rangeMs / 1000.0;
        long lastT0 = n > 0 ? t[n - 1] : Long.MIN_VALUE;
        // The last window shape and its timing values, in locals (x holds the same, as fields).
        long lastStartGap = Long.MIN_VALUE, lastEndGap = 0, lastSpan = 0;
        int lastPoints = 0;
        double plainFactor = 0, sampledInterval = 0, durationToStart = 0, durationToEnd = 0;
        for (int i = 0; i < ref.length; i++) {
            long end = ref[i];
            long from = end - rangeMs;
            if (end < lastT0) {
                // The last point lies after the window, so neither bound can pass it: no bound tests,
                // and the usual one-point advance as a conditional move.
                lo += t[lo] <= from ? 1 : 0;
                while (t[lo] <= from) lo++;
                if (hi < lo) hi = lo;
                hi += t[hi] <= end ? 1 : 0;
                while (t[hi] <= end) hi++;
            } else {
                while (lo < n && t[lo] <= from) lo++;
                if (hi < lo) hi = lo;
                while (hi < n && t[hi] <= end) hi++;
            }
            int points = hi - lo;
            if (points == 0) continue;
            windowSamples[i] += points;
            if (points < 2) continue;
            double first = v[lo], last = v[hi - 1];
            double result = last - first;
            if (counter && resets != null && resets[hi - 1] != resets[lo]) result = addResets(v, lo, hi, result);
            long firstT = t[lo], lastT = t[hi - 1];
            long startGap = firstT - from, endGap = end - lastT, span = lastT - firstT;
            if (startGap != lastStartGap || endGap != lastEndGap || span != lastSpan || points != lastPoints) {
                // A new window shape: its timing values, computed by the one definition of them.
                x.update(startGap, endGap, span, points, rangeMs);
                lastStartGap = startGap;
                lastEndGap = endGap;
                lastSpan = span;
                lastPoints = points;
                plainFactor = isRate ? x.rateFactor : x.factor;
                sampledInterval = x.sampledInterval;
                durationToStart = x.durationToStart;
                durationToEnd = x.durationToEnd;
            }
            double factor = plainFactor;
            if (counter && result > 0 && first >= 0) {
                // Counters cannot be negative: do not extrapolate to before the counter's zero point.
                double durationToZero = sampledInterval * (first / result);
                if (durationToZero < durationToStart) {
                    factor = (sampledInterval + durationToZero + durationToEnd) / sampledInterval;
                    if (isRate) factor /= rangeSeconds;
                }
            }
            out[i] = result * factor;
            has[i] = true;
            count++;
        }
        return count;
    }

    /** Whether the window ends never decrease, as {@link #eval} requires (the evaluator's always do). */
    static boolean ascending(long[] ref) {
        for (int i = 1; i < ref.length; i++) if (ref[i] < ref[i - 1]) return false;
        return true;
    }

    /** Adds, in time order, the value before each drop in [lo, hi): what the counter had counted before resetting. */
    private static double addResets(double[] v, int lo, int hi, double result) {
        for (int i = lo + 1; i < hi; i++) {
            if (v[i] < v[i - 1]) result += v[i - 1];
        }
        return result;
    }

    /**
     * resets[i] = the number of value drops v[j] &lt; v[j-1] for 0 &lt; j &lt;= i, into {@code into} when
     * it is long enough; null when there is no drop at all (most series), which {@link #eval} takes as
     * all zeros.
     */
    static int[] resetCounts(double[] v, int n, int[] into) {
        boolean drop = false;
        for (int i = 1; i < n; i++) drop |= v[i] < v[i - 1];
        if (!drop) return null;
        int[] r = into.length >= n ? into : new int[Math.max(n, 2 * into.length)];
        if (n > 0) r[0] = 0;
        for (int i = 1; i < n; i++) r[i] = r[i - 1] + (v[i] < v[i - 1] ? 1 : 0);
        return r;
    }
}

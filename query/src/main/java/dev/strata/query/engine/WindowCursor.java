package dev.strata.query.engine;

/**
 * The sliding window of one series over the steps: indexes {@code [lo, hi)} of the points with
 * times in (from, end]. Window ends never decrease from step to step (with @ they are constant),
 * so both bounds only move forward and a whole series costs one pass over its points.
 */
final class WindowCursor {
    int lo;
    int hi;

    void reset() {
        lo = 0;
        hi = 0;
    }

    /** Moves to the window (from, end] of {@code t[0..n)}. */
    void moveTo(long[] t, int n, long from, long end) {
        if (hi > 0 && t[hi - 1] > end) {
            // A window end before the previous one (not produced by the evaluator; kept safe).
            lo = 0;
            hi = 0;
        }
        int l = lo;
        while (l < n && t[l] <= from) l++;
        int h = Math.max(hi, l);
        while (h < n && t[h] <= end) h++;
        lo = l;
        hi = h;
    }
}

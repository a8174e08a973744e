package dev.strata.query.engine;

/**
 * Prometheus's query statistic "samples" ({@code totalQueryableSamples}, stats.QuerySamples.TotalSamples
 * in Prometheus): the samples loaded per step, counted as Prometheus's engine counts them, so the
 * figure is comparable with Prometheus's for the same query and data:
 * <ul>
 *   <li>an instant-vector selector: 1 per series and step where it yields a value;</li>
 *   <li>a range function over a selector or subquery: at each step, the points in each series'
 *       window (a sample is counted once for every step whose window holds it, e.g. ~20 times
 *       for [5m] windows over 15 s scrapes at any step &lt;= the range);</li>
 *   <li>a range vector returned by an instant query: the points of every window;</li>
 *   <li>a subquery consumed by a function: only the function's windows count, not the subquery's
 *       inner evaluation; a subquery returned as the result adds its inner evaluation's count.</li>
 * </ul>
 * Per-step counts are kept only for the query's own steps (not for a subquery's inner steps).
 * This differs from the engine's {@link QueryStats#samplesScanned()}: samples decoded from storage,
 * each counted once per selector.
 */
final class SampleStats {
    private long total;
    private final long[] perStep;

    /** {@code steps} &gt; 0: per-step counts for that many steps; 0: the total only. */
    SampleStats(int steps) {
        this.perStep = steps > 0 ? new long[steps] : null;
    }

    void add(int step, long n) {
        total += n;
        if (perStep != null) perStep[step] += n;
    }

    /** Adds {@code n[i]} at step i for every step. */
    void addPerStep(long[] n) {
        for (int i = 0; i < n.length; i++) add(i, n[i]);
    }

    long total() {
        return total;
    }

    /** The per-step counts (not a copy), or null when only the total is kept. */
    long[] perStep() {
        return perStep;
    }
}

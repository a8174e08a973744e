package dev.strata.query.engine;

import java.util.List;

/** Per-query state shared by an evaluator and its subquery children: limits, deadline, counters. */
final class QueryContext {
    final long deadlineNanos;
    final long maxSamples;
    final long queryStepMs;
    final long queryRangeMs;
    final boolean rangeQuery;
    private final dev.strata.query.parser.Parser.Parsed parsed;
    /** Selectors read for histogram count and sum only ({@link HistogramStatsSelectors}). */
    final java.util.Set<dev.strata.query.ast.VectorSelector> histogramStats;
    private final String input;
    long scanned;
    long peak;
    private int checks;

    QueryContext(long timeoutMs, long maxSamples, long queryStepMs, long queryRangeMs, boolean rangeQuery,
                 dev.strata.query.parser.Parser.Parsed parsed, String input) {
        this.rangeQuery = rangeQuery;
        this.parsed = parsed;
        this.histogramStats = parsed == null ? java.util.Set.of() : HistogramStatsSelectors.of(parsed.expr());
        this.input = input;
        this.deadlineNanos = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000 : Long.MAX_VALUE;
        this.maxSamples = maxSamples;
        this.queryStepMs = queryStepMs;
        this.queryRangeMs = queryRangeMs;
    }

    /** " (line:col)" of a node in the query text, or "" when unknown. */
    String position(dev.strata.query.ast.Expr e) {
        return parsed == null ? "" : parsed.position(e, input);
    }

    /** Checks the deadline every 64th call (for per-step loops) and cancellation on every call. */
    void checkDeadline() {
        if ((++checks & 63) == 0 && System.nanoTime() > deadlineNanos) {
            throw new QueryException.Timeout("query execution");
        }
        if (Thread.currentThread().isInterrupted()) throw new QueryException.Canceled("query execution");
    }

    /**
     * Checks the deadline now: for once-per-series loops, where one iteration may read a long range
     * (paged from Cassandra), so sampling every 64th could overrun the timeout by many seconds.
     */
    void checkDeadlineNow() {
        if (System.nanoTime() > deadlineNanos) throw new QueryException.Timeout("query execution");
        if (Thread.currentThread().isInterrupted()) throw new QueryException.Canceled("query execution");
    }

    /** Counts the points a node produced and enforces the max-samples limit. */
    Object account(Object v) {
        if (v instanceof List<?> l) {
            long n = 0;
            for (Object o : l) n += ((StepSeries) o).count();
            limit(n);
        }
        return v;
    }

    void limit(long n) {
        if (n > peak) peak = n;
        if (n > maxSamples) throw new QueryException.TooManySamples();
    }
}

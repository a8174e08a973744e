package dev.strata.query.engine;

/**
 * Limits and defaults of query evaluation.
 *
 * @param lookbackDeltaMs how far back an instant selector looks for the latest sample (Prometheus: 5m)
 * @param maxSamples the most samples one query may hold in memory at once (per node result / window)
 * @param timeoutMs wall-clock budget of one query; 0 = none
 * @param defaultSubqueryStepMs step of subqueries written without one ({@code [5m:]})
 */
public record QueryOptions(long lookbackDeltaMs, long maxSamples, long timeoutMs, long defaultSubqueryStepMs) {
    public static QueryOptions defaults() {
        return new QueryOptions(5 * 60_000, 50_000_000, 120_000, 60_000);
    }

    public QueryOptions withMaxSamples(long n) {
        return new QueryOptions(lookbackDeltaMs, n, timeoutMs, defaultSubqueryStepMs);
    }

    public QueryOptions withTimeoutMs(long ms) {
        return new QueryOptions(lookbackDeltaMs, maxSamples, ms, defaultSubqueryStepMs);
    }

    public QueryOptions withLookbackDeltaMs(long ms) {
        return new QueryOptions(ms, maxSamples, timeoutMs, defaultSubqueryStepMs);
    }
}

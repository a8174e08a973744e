package dev.strata.query.engine;

/**
 * Limits and defaults of query evaluation.
 *
 * @param lookbackDeltaMs how far back an instant selector looks for the latest sample (Prometheus: 5m)
 * @param maxSamples the most samples one query may hold in memory at once (per node result / window)
 * @param timeoutMs wall-clock budget of one query; 0 = none
 * @param defaultSubqueryStepMs step of subqueries written without one ({@code [5m:]})
 * @param partialResponse whether storage that cannot reach some data may answer with what it has (plus
 *                        a warning) instead of failing; the API's {@code partial_response} parameter
 */
public record QueryOptions(long lookbackDeltaMs, long maxSamples, long timeoutMs, long defaultSubqueryStepMs,
                           boolean partialResponse) {
    /** Partial responses allowed. */
    public QueryOptions(long lookbackDeltaMs, long maxSamples, long timeoutMs, long defaultSubqueryStepMs) {
        this(lookbackDeltaMs, maxSamples, timeoutMs, defaultSubqueryStepMs, true);
    }

    public static QueryOptions defaults() {
        return new QueryOptions(5 * 60_000, 50_000_000, 120_000, 60_000);
    }

    public QueryOptions withMaxSamples(long n) {
        return new QueryOptions(lookbackDeltaMs, n, timeoutMs, defaultSubqueryStepMs, partialResponse);
    }

    public QueryOptions withTimeoutMs(long ms) {
        return new QueryOptions(lookbackDeltaMs, maxSamples, ms, defaultSubqueryStepMs, partialResponse);
    }

    public QueryOptions withLookbackDeltaMs(long ms) {
        return new QueryOptions(ms, maxSamples, timeoutMs, defaultSubqueryStepMs, partialResponse);
    }

    public QueryOptions withPartialResponse(boolean allowed) {
        return new QueryOptions(lookbackDeltaMs, maxSamples, timeoutMs, defaultSubqueryStepMs, allowed);
    }
}

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
 * @param delayedNameRemoval false (stock Prometheus): each function, operator and aggregation that drops
 *                           {@code __name__} drops it at once, and a node whose output then holds two
 *                           series with one label set fails the query; true (Prometheus's
 *                           {@code promql-delayed-name-removal} feature, which its test engine always
 *                           enables): the name is only marked and removed when the query finishes
 *                           ({@link NameDropping})
 * @param useStartTimestamps whether rate, increase, irate and resets use the samples' start timestamps
 *                           (and start_timestamp() returns them), Prometheus's {@code use-start-timestamps}
 *                           feature; off, as in stock Prometheus, they are ignored
 */
public record QueryOptions(long lookbackDeltaMs, long maxSamples, long timeoutMs, long defaultSubqueryStepMs,
                           boolean partialResponse, boolean delayedNameRemoval, boolean useStartTimestamps) {
    /** Partial responses allowed, names dropped and start timestamps ignored as stock Prometheus does. */
    public QueryOptions(long lookbackDeltaMs, long maxSamples, long timeoutMs, long defaultSubqueryStepMs) {
        this(lookbackDeltaMs, maxSamples, timeoutMs, defaultSubqueryStepMs, true, false, false);
    }

    /** Names dropped and start timestamps ignored as stock Prometheus does. */
    public QueryOptions(long lookbackDeltaMs, long maxSamples, long timeoutMs, long defaultSubqueryStepMs,
                        boolean partialResponse) {
        this(lookbackDeltaMs, maxSamples, timeoutMs, defaultSubqueryStepMs, partialResponse, false, false);
    }

    public static QueryOptions defaults() {
        return new QueryOptions(5 * 60_000, 50_000_000, 120_000, 60_000);
    }

    public QueryOptions withMaxSamples(long n) {
        return new QueryOptions(lookbackDeltaMs, n, timeoutMs, defaultSubqueryStepMs, partialResponse, delayedNameRemoval, useStartTimestamps);
    }

    public QueryOptions withTimeoutMs(long ms) {
        return new QueryOptions(lookbackDeltaMs, maxSamples, ms, defaultSubqueryStepMs, partialResponse, delayedNameRemoval, useStartTimestamps);
    }

    public QueryOptions withLookbackDeltaMs(long ms) {
        return new QueryOptions(ms, maxSamples, timeoutMs, defaultSubqueryStepMs, partialResponse, delayedNameRemoval, useStartTimestamps);
    }

    public QueryOptions withPartialResponse(boolean allowed) {
        return new QueryOptions(lookbackDeltaMs, maxSamples, timeoutMs, defaultSubqueryStepMs, allowed, delayedNameRemoval, useStartTimestamps);
    }

    public QueryOptions withDelayedNameRemoval(boolean delayed) {
        return new QueryOptions(lookbackDeltaMs, maxSamples, timeoutMs, defaultSubqueryStepMs, partialResponse, delayed, useStartTimestamps);
    }

    public QueryOptions withUseStartTimestamps(boolean use) {
        return new QueryOptions(lookbackDeltaMs, maxSamples, timeoutMs, defaultSubqueryStepMs, partialResponse,
                delayedNameRemoval, use);
    }
}

package dev.strata.node.config;

import dev.strata.query.engine.QueryOptions;
import java.time.Duration;

/** The PromQL engine's limits and mode. {@code threads} = 0 means one per core. */
public record QuerySettings(Duration lookbackDelta, long maxSamples, Duration timeout, int threads,
                            boolean delayedNameRemoval, boolean useStartTimestamps, ResultsCache resultsCache) {
    /** The range-query results cache ({@code query.results-cache.*}). */
    public record ResultsCache(boolean enabled, long maxBytes, Duration splitInterval, Duration ingestLag,
                               Duration timestampOffset) {
        /** Steps newer than now minus this are never cached. */
        public Duration uncachedRecent() {
            return ingestLag.plus(timestampOffset);
        }
    }

    public static QuerySettings from(ResolvedConfig c) {
        return new QuerySettings(c.get(ConfigKeys.QUERY_LOOKBACK_DELTA), c.get(ConfigKeys.QUERY_MAX_SAMPLES),
                c.get(ConfigKeys.QUERY_TIMEOUT), c.get(ConfigKeys.QUERY_THREADS),
                c.get(ConfigKeys.QUERY_DELAYED_NAME_REMOVAL), c.get(ConfigKeys.QUERY_USE_START_TIMESTAMPS),
                new ResultsCache(c.get(ConfigKeys.QUERY_RESULTS_CACHE_ENABLED), c.get(ConfigKeys.QUERY_RESULTS_CACHE_MAX_BYTES),
                        c.get(ConfigKeys.QUERY_RESULTS_CACHE_SPLIT_INTERVAL), c.get(ConfigKeys.QUERY_RESULTS_CACHE_INGEST_LAG),
                        c.get(ConfigKeys.QUERY_RESULTS_CACHE_TIMESTAMP_OFFSET)));
    }

    public QueryOptions toOptions() {
        return QueryOptions.defaults().withLookbackDeltaMs(lookbackDelta.toMillis()).withMaxSamples(maxSamples)
                .withTimeoutMs(timeout.toMillis()).withDelayedNameRemoval(delayedNameRemoval)
                .withUseStartTimestamps(useStartTimestamps);
    }

    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}

package dev.strata.query.cache;

import dev.strata.store.selfmetrics.MetricsRegistry;

/** The results cache's series on {@code /metrics}. */
public final class ResultsCacheMetrics {
    private ResultsCacheMetrics() {}

    public static void register(MetricsRegistry metrics, RangeResultsCache cache) {
        metrics.counter("strata_query_results_cache_hits_total",
                "Range-query parts answered (wholly or up to their fresh tail) from the results cache.", cache::hits);
        metrics.counter("strata_query_results_cache_misses_total",
                "Range-query parts with nothing usable in the results cache (evaluated in full).", cache::misses);
        metrics.counter("strata_query_results_cache_evictions_total",
                "Results cache entries dropped to stay within query.results-cache.max-bytes.", cache::evictions);
        metrics.counter("strata_query_results_cache_invalidations_total",
                "Results cache entries dropped because a late write landed in their range.", cache::invalidations);
        metrics.gauge("strata_query_results_cache_bytes", "Estimated memory held by the results cache.", cache::bytes);
        metrics.gauge("strata_query_results_cache_entries", "Entries (query part extents) in the results cache.", cache::entries);
    }
}

package dev.strata.query.api;

import dev.strata.query.engine.Engine;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;

/**
 * What the API needs from the PromQL engine: evaluate a query at one time or over a range. The API
 * has already checked that the query parses (to word parameter errors as Prometheus does); it passes
 * the text so the engine can give annotations their positions. Failures are
 * {@link dev.strata.query.engine.QueryException} (their {@code errorType()} becomes the API's
 * errorType); anything else is reported as an internal error. Called on the API's executor.
 */
public interface QueryEvaluator {
    QueryResult instant(String query, long timeMs, QueryOptions options);

    QueryResult range(String query, long startMs, long endMs, long stepMs, QueryOptions options);

    /**
     * A range query that may ({@code useCache}) be answered partly from a results cache; false when the
     * caller needs the query's own stats or the client asked for no cache. Without a cache, the same as
     * {@link #range(String, long, long, long, QueryOptions)}.
     */
    default QueryResult range(String query, long startMs, long endMs, long stepMs, QueryOptions options, boolean useCache) {
        return range(query, startMs, endMs, stepMs, options);
    }

    /** The engine of package {@code dev.strata.query.engine}. */
    static QueryEvaluator of(Engine engine) {
        return new QueryEvaluator() {
            @Override
            public QueryResult instant(String query, long timeMs, QueryOptions options) {
                return engine.instantQuery(query, timeMs, options);
            }

            @Override
            public QueryResult range(String query, long startMs, long endMs, long stepMs, QueryOptions options) {
                return engine.rangeQuery(query, startMs, endMs, stepMs, options);
            }
        };
    }
}

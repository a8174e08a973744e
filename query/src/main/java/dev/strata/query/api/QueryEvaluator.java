package dev.strata.query.api;

import dev.strata.query.ast.Expr;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;

/**
 * What the API needs from the PromQL engine: evaluate an already parsed expression at one time or
 * over a range. Failures are {@link dev.strata.query.engine.QueryException} (their
 * {@code errorType()} becomes the API's errorType); anything else is reported as an internal error.
 * Called on the API's query executor, never on an event loop.
 */
public interface QueryEvaluator {
    QueryResult instant(Expr expr, long timeMs, QueryOptions options);

    QueryResult range(Expr expr, long startMs, long endMs, long stepMs, QueryOptions options);
}

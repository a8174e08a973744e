package dev.strata.query.distributed;

import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs each evaluation in a {@link QueryScope} so the {@link ClusterQueryable} knows whether partial
 * answers are allowed ({@link QueryOptions#partialResponse()}), and adds a warning naming the shards
 * that had no ready owner.
 */
public final class PartialResponseEvaluator implements QueryEvaluator {
    public static final String WARNING_PREFIX = "partial data: no ready owner for shards ";

    private final QueryEvaluator delegate;

    public PartialResponseEvaluator(QueryEvaluator delegate) {
        this.delegate = delegate;
    }

    @Override
    public QueryResult instant(String query, long timeMs, QueryOptions options) {
        return scoped(options, () -> delegate.instant(query, timeMs, options));
    }

    @Override
    public QueryResult range(String query, long startMs, long endMs, long stepMs, QueryOptions options) {
        return scoped(options, () -> delegate.range(query, startMs, endMs, stepMs, options));
    }

    private static QueryResult scoped(QueryOptions options, Supplier<QueryResult> body) {
        QueryScope[] scope = new QueryScope[1];
        QueryResult r = QueryScope.run(options.partialResponse(), scope, body);
        Set<Integer> missing = scope[0].missing();
        if (missing.isEmpty()) return r;
        List<String> warnings = new ArrayList<>(r.warnings());
        warnings.add(WARNING_PREFIX + missing);
        return new QueryResult(r.value(), warnings, r.infos(), r.stats());
    }
}

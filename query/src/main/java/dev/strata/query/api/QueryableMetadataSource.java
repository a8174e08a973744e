package dev.strata.query.api;

import dev.strata.index.Matcher;
import dev.strata.query.storage.Queryable;
import dev.strata.query.storage.Series;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@link SeriesMetadataSource} over the engine's {@link Queryable}: correct for any storage, but it
 * reads samples to learn which series exist, so a node should prefer a source backed by its label
 * index. Stops early at {@code limitHint} where the answer's order allows it.
 */
public final class QueryableMetadataSource implements SeriesMetadataSource {
    private final Queryable queryable;

    public QueryableMetadataSource(Queryable queryable) {
        this.queryable = queryable;
    }

    @Override
    public List<Labels> series(List<Matcher> matchers, long minT, long maxT, long limitHint) {
        List<Series> found = queryable.select(matchers, minT, maxT);
        TreeSet<Labels> set = new TreeSet<>();
        for (Series s : found) set.add(s.labels());
        List<Labels> out = new ArrayList<>(set);
        return limitHint > 0 && out.size() > limitHint ? out.subList(0, (int) limitHint) : out;
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers, long minT, long maxT, long limitHint) {
        TreeSet<String> names = new TreeSet<>();
        for (Series s : queryable.select(matchers, minT, maxT)) {
            s.labels().forEach((n, v) -> names.add(n));
        }
        return new ArrayList<>(names);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers, long minT, long maxT, long limitHint) {
        TreeSet<String> values = new TreeSet<>();
        for (Series s : queryable.select(matchers, minT, maxT)) {
            String v = s.labels().get(name);
            if (!v.isEmpty()) values.add(v);
        }
        return new ArrayList<>(values);
    }
}

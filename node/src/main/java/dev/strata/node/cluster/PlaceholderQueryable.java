package dev.strata.node.cluster;

import dev.strata.index.Matcher;
import dev.strata.query.storage.Queryable;
import dev.strata.query.storage.Series;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Storage for the merging node's part of a pushed-down query: a selector
 * {@code {__name__="<placeholder>"}} ({@link AggregationPushdown#placeholderSelector}) returns the merged
 * result of that pushed aggregation; every other selector reads the cluster.
 *
 * <p>A merged result has a point at each query step where the aggregation had a value. So that an
 * instant selector at step t sees exactly the value at t (and nothing when the aggregation had none at
 * t, rather than an earlier step's value within the lookback), every step without a value holds a
 * staleness marker, which selectors treat as "no sample".
 */
final class PlaceholderQueryable implements Queryable {
    /** Prometheus's staleness marker (value.StaleNaN). */
    static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    private final Map<String, List<Series>> placeholders;
    private final Queryable rest;

    PlaceholderQueryable(Map<String, List<Series>> placeholders, Queryable rest) {
        this.placeholders = placeholders;
        this.rest = rest;
    }

    @Override
    public List<Series> select(List<Matcher> matchers, long minT, long maxT) {
        for (Matcher m : matchers) {
            if (m.type() == Matcher.Type.EQ && m.name().equals("__name__") && placeholders.containsKey(m.value())) {
                return placeholders.get(m.value());
            }
        }
        return rest.select(matchers, minT, maxT);
    }

    /** The series of a merged result (sorted by labels), each with a value or a staleness marker at every step. */
    static List<Series> series(Map<Labels, TreeMap<Long, Double>> merged, long[] stepTimes) {
        List<Series> out = new ArrayList<>(merged.size());
        for (Map.Entry<Labels, TreeMap<Long, Double>> e : new TreeMap<>(merged).entrySet()) {
            if (e.getValue().isEmpty()) continue;
            double[] vs = new double[stepTimes.length];
            for (int i = 0; i < stepTimes.length; i++) {
                Double v = e.getValue().get(stepTimes[i]);
                vs[i] = v == null ? STALE_NAN : v;
            }
            out.add(new Series(e.getKey(), stepTimes.clone(), vs));
        }
        return out;
    }
}

package dev.strata.query.engine;

import dev.strata.query.ast.AggregateExpr;
import dev.strata.store.model.Labels;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The group labels of an aggregation for each input series' labels. For {@code by (...)} the labels
 * are built once per distinct combination of the grouping labels' values (many series share a few
 * groups, and building a label set costs more than looking up its values); {@code without (...)}
 * builds them per series.
 */
final class GroupingKeys {
    private final AggregateExpr a;
    private final String[] names;
    private final Map<Values, Labels> byValues = new HashMap<>();

    /** The values of the grouping labels of one series, as a map key. */
    private record Values(String[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Values other && Arrays.equals(v, other.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }

    GroupingKeys(AggregateExpr a) {
        this.a = a;
        List<String> grouping = a.grouping();
        this.names = a.without() ? null : grouping.toArray(new String[0]);
    }

    Labels of(Labels l) {
        if (names == null) return Aggregations.groupingKey(l, a);
        String[] v = new String[names.length];
        for (int i = 0; i < v.length; i++) v[i] = l.get(names[i]);
        return byValues.computeIfAbsent(new Values(v), k -> Aggregations.groupingKey(l, a));
    }
}

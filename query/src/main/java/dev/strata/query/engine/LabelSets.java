package dev.strata.query.engine;

import dev.strata.store.model.Labels;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Label-set helpers with Prometheus's semantics. */
final class LabelSets {
    private LabelSets() {}

    /** Labels restricted to {@code names} (on/by), or all but {@code names} and __name__ (ignoring/without). */
    static Labels project(Labels l, Collection<String> names, boolean on) {
        Labels.Builder b = new Labels.Builder();
        if (on) {
            for (String n : names) {
                String v = l.get(n);
                if (!v.isEmpty()) b.set(n, v);
            }
        } else {
            Set<String> skip = names instanceof Set<String> s ? s : new HashSet<>(names);
            for (Labels.Label lb : l) {
                if (lb.name().equals(Labels.METRIC_NAME) || skip.contains(lb.name())) continue;
                b.set(lb.name(), lb.value());
            }
        }
        return b.build();
    }

    /** Drops the metric name and the type/unit metadata labels that travel with it. */
    static Labels dropName(Labels l) {
        if (!l.has(Labels.METRIC_NAME) && !l.has("__type__") && !l.has("__unit__")) return l;
        return l.without(Labels.METRIC_NAME, "__type__", "__unit__");
    }

    /** Prometheus's labels.String(): {@code {a="1", b="2"}} including __name__. */
    static String format(Labels l) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Labels.Label lb : l) {
            if (!first) sb.append(", ");
            first = false;
            sb.append(lb.name()).append("=").append(dev.strata.query.ast.GoQuote.quote(lb.value()));
        }
        return sb.append('}').toString();
    }
}

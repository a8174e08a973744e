package dev.strata.store.selfmetrics;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of metric and label names against the Prometheus data model. */
final class MetricNames {
    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private MetricNames() {}

    static void checkMetric(String name, MetricType type) {
        if (name == null || !METRIC.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + name + "'");
        }
        if (type == MetricType.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("counter name '" + name + "' must end in _total");
        }
    }

    static List<String> checkLabels(String metric, String... labelNames) {
        Set<String> seen = new HashSet<>();
        for (String l : labelNames) {
            if (l == null || !LABEL.matcher(l).matches() || l.startsWith("__")) {
                throw new IllegalArgumentException("invalid label name '" + l + "' for metric " + metric);
            }
            if (!seen.add(l)) {
                throw new IllegalArgumentException("label '" + l + "' appears twice for metric " + metric);
            }
        }
        return List.of(labelNames);
    }
}

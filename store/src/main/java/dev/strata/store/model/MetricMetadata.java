package dev.strata.store.model;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One metric family's metadata as Prometheus keeps it: the family name ({@code metric}), its type
 * (one of {@link #TYPES}, Prometheus's {@code model.MetricType} spelling), unit and help text ("" when
 * absent). Equal entries are the same fact: the store keeps distinct (type, unit, help) per metric, as
 * Prometheus's {@code /api/v1/metadata} does. Shared by ingestion (decoders, Kafka record), the
 * Cassandra table and the query API.
 */
public record MetricMetadata(String metric, String type, String unit, String help) {
    /**
     * The types by their number in remote write ({@code prometheus.MetricMetadata.MetricType}; remote
     * write 2.0 numbers them the same, with 0 = unspecified), which is also their code in the Kafka record.
     */
    public static final List<String> TYPES = List.of("unknown", "counter", "gauge", "histogram", "gaugehistogram",
            "summary", "info", "stateset");

    /** Sorts by metric, then type, unit and help: the order the API lists entries in. */
    public static final Comparator<MetricMetadata> ORDER = Comparator.comparing(MetricMetadata::metric)
            .thenComparing(MetricMetadata::type).thenComparing(MetricMetadata::unit).thenComparing(MetricMetadata::help);

    public MetricMetadata {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(help, "help");
        if (metric.isEmpty()) throw new IllegalArgumentException("metric metadata needs a metric name");
        if (!TYPES.contains(type)) throw new IllegalArgumentException("unknown metric type \"" + type + "\"; expected one of " + TYPES);
    }

    /** The type named by remote write's number; numbers beyond the known ones are "unknown" (protobuf enums are open). */
    public static String typeOf(long number) {
        return number >= 0 && number < TYPES.size() ? TYPES.get((int) number) : "unknown";
    }

    /** This entry's type number ({@link #TYPES} index). */
    public int typeCode() {
        return TYPES.indexOf(type);
    }
}

package dev.strata.store.selfmetrics;

import java.util.List;

/** A family's state at scrape time: what {@link PrometheusTextFormat} renders as one HELP/TYPE block. */
public record MetricFamilySnapshot(String name, String help, MetricType type, List<Sample> samples) {
    public MetricFamilySnapshot {
        samples = List.copyOf(samples);
    }
}

package dev.strata.store.selfmetrics;

/** The metric types of the Prometheus text format, as written on {@code # TYPE} lines. */
public enum MetricType {
    COUNTER("counter"),
    GAUGE("gauge"),
    HISTOGRAM("histogram");

    private final String text;

    MetricType(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}

package dev.strata.store.selfmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusTextFormatTest {
    @Test
    void exactExposition() {
        MetricsRegistry r = new MetricsRegistry();
        Counter plain = r.counter("strata_test_events_total", "Events seen.");
        plain.inc();
        plain.inc(41);
        Family<Counter> byCode = r.counterFamily("strata_http_requests_total", "Requests by code\nand path \\ slash.",
                "path", "code");
        byCode.labels("/b", "200").inc(2);
        byCode.labels("/a", "500").inc();
        byCode.labels("/a", "200").inc(3);
        r.gauge("strata_queue_depth", "Depth.", () -> 2.5);
        Gauge g = r.gauge("strata_in_flight", "In flight.");
        g.inc();
        g.inc();
        g.dec();
        r.gaugeFamily("strata_weird_labels", "Escaping.", "z", "a").labels("q\"uote\\back\nline", "x").set(-1);
        r.counterFamily("strata_empty_total", "No children yet.", "x");
        Histogram h = r.histogram("strata_latency_seconds", "Latency.", 0.1, 1);
        h.observe(0.05);
        h.observe(0.1);
        h.observe(0.5);
        h.observe(7);

        String expected = """
                # HELP strata_empty_total No children yet.
                # TYPE strata_empty_total counter
                # HELP strata_http_requests_total Requests by code\\nand path \\\\ slash.
                # TYPE strata_http_requests_total counter
                strata_http_requests_total{code="200",path="/a"} 3
                strata_http_requests_total{code="500",path="/a"} 1
                strata_http_requests_total{code="200",path="/b"} 2
                # HELP strata_in_flight In flight.
                # TYPE strata_in_flight gauge
                strata_in_flight 1
                # HELP strata_latency_seconds Latency.
                # TYPE strata_latency_seconds histogram
                strata_latency_seconds_bucket{le="0.1"} 2
                strata_latency_seconds_bucket{le="1"} 3
                strata_latency_seconds_bucket{le="+Inf"} 4
                strata_latency_seconds_sum 7.65
                strata_latency_seconds_count 4
                # HELP strata_queue_depth Depth.
                # TYPE strata_queue_depth gauge
                strata_queue_depth 2.5
                # HELP strata_test_events_total Events seen.
                # TYPE strata_test_events_total counter
                strata_test_events_total 42
                # HELP strata_weird_labels Escaping.
                # TYPE strata_weird_labels gauge
                strata_weird_labels{a="x",z="q\\"uote\\\\back\\nline"} -1
                """;
        assertEquals(expected, r.scrape());
    }

    @Test
    void labeledHistogramPutsLeAmongSortedLabels() {
        MetricsRegistry r = new MetricsRegistry();
        Family<Histogram> f = r.histogramFamily("strata_op_seconds", "Op.", new double[] {0.5}, "op");
        f.labels("write").observe(0.5);
        f.labels("read").observe(2);
        assertEquals("""
                # HELP strata_op_seconds Op.
                # TYPE strata_op_seconds histogram
                strata_op_seconds_bucket{le="0.5",op="read"} 0
                strata_op_seconds_bucket{le="+Inf",op="read"} 1
                strata_op_seconds_sum{op="read"} 2
                strata_op_seconds_count{op="read"} 1
                strata_op_seconds_bucket{le="0.5",op="write"} 1
                strata_op_seconds_bucket{le="+Inf",op="write"} 1
                strata_op_seconds_sum{op="write"} 0.5
                strata_op_seconds_count{op="write"} 1
                """, r.scrape());
    }

    @Test
    void values() {
        assertEquals("0", PrometheusTextFormat.formatValue(0));
        assertEquals("-3", PrometheusTextFormat.formatValue(-3));
        assertEquals("0.25", PrometheusTextFormat.formatValue(0.25));
        assertEquals("1.0E-9", PrometheusTextFormat.formatValue(1e-9));
        assertEquals("1.0E15", PrometheusTextFormat.formatValue(1e15));
        assertEquals("123456789012345", PrometheusTextFormat.formatValue(123456789012345d));
        assertEquals("NaN", PrometheusTextFormat.formatValue(Double.NaN));
        assertEquals("+Inf", PrometheusTextFormat.formatValue(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PrometheusTextFormat.formatValue(Double.NEGATIVE_INFINITY));
    }

    @Test
    void emptyRegistryWritesNothing() {
        assertEquals("", PrometheusTextFormat.write(List.of()));
    }
}

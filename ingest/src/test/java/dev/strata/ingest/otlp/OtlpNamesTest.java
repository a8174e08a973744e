package dev.strata.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strata.ingest.otlp.OtlpNames.Kind;
import org.junit.jupiter.api.Test;

/** Prometheus 3's OTLP name translation, case by case (expected names as Prometheus 3 documents and produces them). */
class OtlpNamesTest {
    private static String escaped(String name, String unit, Kind kind) {
        return OtlpNames.metricName(name, unit, kind, false);
    }

    private static String utf8(String name, String unit, Kind kind) {
        return OtlpNames.metricName(name, unit, kind, true);
    }

    @Test
    void escapedMetricNames() {
        assertEquals("http_server_duration_seconds", escaped("http.server.duration", "s", Kind.HISTOGRAM));
        assertEquals("requests_count_total", escaped("requests.count", "1", Kind.COUNTER));
        assertEquals("memory_usage_bytes", escaped("memory.usage", "By", Kind.GAUGE));
        assertEquals("cpu_utilization_ratio", escaped("cpu.utilization", "1", Kind.GAUGE));
        assertEquals("network_io_bytes_per_second", escaped("network.io", "By/s", Kind.GAUGE));
        assertEquals("requests_per_second", escaped("requests", "1/s", Kind.GAUGE));
        assertEquals("queue_size", escaped("queue.size", "{item}", Kind.GAUGE));
        assertEquals("jobs_total", escaped("jobs_total", "", Kind.COUNTER));       // total moved to the end, once
        assertEquals("a_b_c_seconds", escaped("a__b..c", "s", Kind.GAUGE));        // runs of invalid chars collapse
        assertEquals("duration_seconds", escaped("duration_seconds", "s", Kind.GAUGE)); // unit not repeated
        assertEquals("_2xx_responses_total", escaped("2xx.responses", "", Kind.COUNTER));
        assertEquals("temp_celsius", escaped("temp", "Cel", Kind.GAUGE));
        assertEquals("size_furlongs", escaped("size", "furlongs", Kind.GAUGE)); // unknown unit kept
        assertEquals("http:requests_total", escaped("http:requests", "", Kind.COUNTER));
        assertThrows(IllegalArgumentException.class, () -> escaped("...", "", Kind.GAUGE));
    }

    @Test
    void utf8MetricNames() {
        assertEquals("http.server.duration_seconds", utf8("http.server.duration", "s", Kind.HISTOGRAM));
        assertEquals("requests.count_total", utf8("requests.count", "1", Kind.COUNTER));
        assertEquals("cpu.utilization_ratio", utf8("cpu.utilization", "1", Kind.GAUGE));
        assertEquals("io_bytes_per_second", utf8("io", "By/s", Kind.GAUGE));
        assertEquals("jobs_total", utf8("jobs_total", "", Kind.COUNTER));
    }

    @Test
    void labelNames() {
        assertEquals("http_method", OtlpNames.labelName("http.method", false));
        assertEquals("key_123invalid", OtlpNames.labelName("123invalid", false));
        assertEquals("key_private", OtlpNames.labelName("_private", false));
        assertEquals("__reserved__", OtlpNames.labelName("__reserved__", false));
        assertEquals("http.method", OtlpNames.labelName("http.method", true));
        assertEquals("k8s_pod_name", OtlpNames.labelName("k8s.pod.name", false));
    }
}

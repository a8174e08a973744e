package dev.strata.query.api;

import static dev.strata.query.api.ApiTestSupport.call;
import static dev.strata.query.api.ApiTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.query.engine.QueryOptions;
import dev.strata.store.model.MetricMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/metadata} over a metadata source: Prometheus 3's shape, metric, limit and limit_per_metric. */
class MetricMetadataEndpointTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<String> asked = new ArrayList<>();
    private final List<MetricMetadata> stored = List.of(
            new MetricMetadata("up", "gauge", "", "1 if the target is up."),
            new MetricMetadata("http_requests_total", "counter", "", "Requests \"served\"."),
            new MetricMetadata("http_requests_total", "counter", "", "Requests served (old help)."),
            new MetricMetadata("go_gc_duration_seconds", "summary", "seconds", "GC pauses."));
    private final MetricMetadataSource source = metric -> {
        asked.add(metric);
        return stored.stream().filter(m -> metric.isEmpty() || m.metric().equals(metric)).toList();
    };
    private final PrometheusApi api = new PrometheusApi(QueryEvaluator.of(null), null, source,
            new ApiSettings(QueryOptions.defaults(), BuildInfo.of("0", "", "", "", ""), Map.of(), "15d", 0, ApiSettings.ANY_ORIGIN),
            executor, () -> 0L);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private String data(String query) {
        String body = call(api, get("/api/v1/metadata" + query)).body();
        String prefix = "{\"status\":\"success\",\"data\":";
        assertEquals(prefix, body.substring(0, prefix.length()), body);
        return body.substring(prefix.length(), body.length() - 1);
    }

    @Test
    void everyMetricWithItsDistinctEntriesSortedByName() {
        assertEquals("{\"go_gc_duration_seconds\":[{\"type\":\"summary\",\"help\":\"GC pauses.\",\"unit\":\"seconds\"}],"
                + "\"http_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests \\\"served\\\".\",\"unit\":\"\"},"
                + "{\"type\":\"counter\",\"help\":\"Requests served (old help).\",\"unit\":\"\"}],"
                + "\"up\":[{\"type\":\"gauge\",\"help\":\"1 if the target is up.\",\"unit\":\"\"}]}", data(""));
    }

    @Test
    void metricLimitAndLimitPerMetric() {
        assertEquals("{\"up\":[{\"type\":\"gauge\",\"help\":\"1 if the target is up.\",\"unit\":\"\"}]}", data("?metric=up"));
        assertEquals("up", asked.get(asked.size() - 1), "the metric is passed to the source");
        assertEquals("{}", data("?metric=absent"));
        assertEquals("{}", data("?limit=0"), "Prometheus: limit=0 keeps no metric");
        assertEquals(data(""), data("?limit=-1"), "a negative limit is none");
        assertEquals("{\"go_gc_duration_seconds\":[{\"type\":\"summary\",\"help\":\"GC pauses.\",\"unit\":\"seconds\"}]}", data("?limit=1"));
        String perMetric = data("?limit_per_metric=1");
        assertEquals("{\"go_gc_duration_seconds\":[{\"type\":\"summary\",\"help\":\"GC pauses.\",\"unit\":\"seconds\"}],"
                + "\"http_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests \\\"served\\\".\",\"unit\":\"\"}],"
                + "\"up\":[{\"type\":\"gauge\",\"help\":\"1 if the target is up.\",\"unit\":\"\"}]}", perMetric);
        assertEquals(data(""), data("?limit_per_metric=0"), "limit_per_metric <= 0 is none");
        assertEquals("{\"go_gc_duration_seconds\":[{\"type\":\"summary\",\"help\":\"GC pauses.\",\"unit\":\"seconds\"}],"
                + "\"http_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests \\\"served\\\".\",\"unit\":\"\"}]}",
                data("?limit=2&limit_per_metric=1"));
    }

    @Test
    void badNumbersAndAnUnreadableStore() {
        assertEquals(new ApiTestSupport.Resp(400, "application/json",
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"limit must be a number\"}"),
                call(api, get("/api/v1/metadata?limit=ten")));
        assertEquals(400, call(api, get("/api/v1/metadata?limit_per_metric=1.5")).status());
        PrometheusApi down = new PrometheusApi(QueryEvaluator.of(null), null, metric -> {
            throw new ApiException(ErrorType.UNAVAILABLE, "metric metadata is unavailable: Cassandra is not connected yet");
        }, new ApiSettings(QueryOptions.defaults(), BuildInfo.of("0", "", "", "", ""), Map.of(), "15d", 0, ApiSettings.ANY_ORIGIN),
                executor, () -> 0L);
        ApiTestSupport.Resp r = call(down, get("/api/v1/metadata"));
        assertEquals(ErrorType.UNAVAILABLE.httpStatus(), r.status());
        assertEquals("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"metric metadata is unavailable: Cassandra is not connected yet\"}",
                r.body());
    }

    @Test
    void targetMetadataIsNotServedAsInMimirAndThanos() {
        // Strata scrapes no targets: like Mimir and Thanos, the route does not exist (Prometheus's router 404).
        ApiTestSupport.Resp r = call(api, get("/api/v1/targets/metadata?metric=up"));
        assertEquals(404, r.status());
        assertEquals("404 page not found\n", r.body());
    }
}

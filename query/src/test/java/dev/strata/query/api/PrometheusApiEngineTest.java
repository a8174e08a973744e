package dev.strata.query.api;

import static dev.strata.query.api.ApiTestSupport.call;
import static dev.strata.query.api.ApiTestSupport.enc;
import static dev.strata.query.api.ApiTestSupport.get;
import static dev.strata.query.api.ApiTestSupport.postForm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.api.ApiTestSupport.Resp;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end: HTTP request -> API -> real parser and engine -> in-memory storage -> Prometheus JSON. */
class PrometheusApiEngineTest {
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "api-e2e-query"));
    private final InMemoryQueryable store = new InMemoryQueryable();
    private PrometheusApi api;

    @BeforeEach
    void load() {
        // Two counters scraped every 15 s for 10 minutes: api grows 10 per scrape, db 20.
        for (int i = 0; i <= 40; i++) {
            long t = i * 15_000L;
            store.append(Labels.of("__name__", "http_requests_total", "job", "api"), t, 10 * i);
            store.append(Labels.of("__name__", "http_requests_total", "job", "db"), t, 20 * i);
            store.append(Labels.of("__name__", "temperature_celsius", "room", "a"), t, 20.5);
        }
        QueryOptions opts = QueryOptions.defaults();
        Engine engine = new Engine(store, opts);
        api = new PrometheusApi(QueryEvaluator.of(engine), new QueryableMetadataSource(store),
                new ApiSettings(opts, BuildInfo.of("0.1.0", "rev", "main", "me", "now"), Map.of(), "15d", 0, ApiSettings.ANY_ORIGIN),
                executor, () -> 600_000L);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void instantVector() {
        Resp r = call(api, get("/api/v1/query?query=" + enc("sum by (job) (http_requests_total)")));
        assertEquals(200, r.status(), r.body());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"job\":\"api\"},\"value\":[600,\"400\"]},"
                + "{\"metric\":{\"job\":\"db\"},\"value\":[600,\"800\"]}]}}", sortedVector(r.body()));
    }

    /** The engine may order an aggregation's groups freely; the test fixes the order by job. */
    private static String sortedVector(String body) {
        int api = body.indexOf("{\"metric\":{\"job\":\"api\"}");
        int db = body.indexOf("{\"metric\":{\"job\":\"db\"}");
        if (db > api) return body;
        String a = body.substring(api, body.indexOf("]}", api) + 2);
        String d = body.substring(db, body.indexOf("]}", db) + 2);
        return body.replace(d + "," + a, a + "," + d);
    }

    /** A histogram with a negative bucket, a zero bucket and two positive buckets (schema 0: bounds are powers of 2). */
    private static final FloatHistogram HIST = new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, 0, 0.001, 1, 7, 7.5,
            new int[] {0}, new int[] {2}, new double[] {2, 3}, new int[] {0}, new int[] {1}, new double[] {1}, null);
    private static final String HIST_JSON = "{\"count\":\"7\",\"sum\":\"7.5\",\"buckets\":[[1,\"-1\",\"-0.5\",\"1\"],"
            + "[3,\"-0.001\",\"0.001\",\"1\"],[0,\"0.5\",\"1\",\"2\"],[0,\"1\",\"2\",\"3\"]]}";

    @Test
    void nativeHistogramsAsPrometheusEncodesThem() {
        store.append(Labels.of("__name__", "rpc_seconds"), 600_000, HIST);
        store.append(Labels.of("__name__", "mixed"), 540_000, 1);
        store.append(Labels.of("__name__", "mixed"), 570_000, HIST);
        Resp r = call(api, get("/api/v1/query?query=rpc_seconds"));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"__name__\":\"rpc_seconds\"},\"histogram\":[600," + HIST_JSON + "]}]}}", r.body());
        // A series mixing floats and histograms: its float points under values, its histograms under histograms.
        r = call(api, get("/api/v1/query_range?query=mixed&start=540&end=570&step=30s"));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"mixed\"},\"values\":[[540,\"1\"]],\"histograms\":[[570," + HIST_JSON + "]]}]}}",
                r.body());
        // Arithmetic on the histogram: halved counts and sum, same buckets.
        r = call(api, get("/api/v1/query?query=" + enc("histogram_count(rpc_seconds / 2)")));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{},\"value\":[600,\"3.5\"]}]}}", r.body());
    }

    @Test
    void rangeMatrix() {
        Resp r = call(api, get("/api/v1/query_range?query=" + enc("http_requests_total{job=\"api\"}")
                + "&start=540&end=600&step=30s"));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"http_requests_total\",\"job\":\"api\"},"
                + "\"values\":[[540,\"360\"],[570,\"380\"],[600,\"400\"]]}]}}", r.body());
        Resp p = call(api, postForm("/api/v1/query_range", "query=" + enc("http_requests_total{job=\"api\"}")
                + "&start=1970-01-01T00:09:00Z&end=1970-01-01T00:10:00.000Z&step=30"));
        assertEquals(r, p);
    }

    @Test
    void rangeOfScalarIsASeriesWithoutLabels() {
        Resp r = call(api, get("/api/v1/query_range?query=" + enc("1.5") + "&start=0&end=1&step=0.5"));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{},\"values\":[[0,\"1.5\"],[0.500,\"1.5\"],[1,\"1.5\"]]}]}}", r.body());
    }

    @Test
    void scalarStringAndRangeVectorAtAnInstant() {
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[600,\"2\"]}}",
                call(api, get("/api/v1/query?query=" + enc("1+1"))).body());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[600,\"hello\"]}}",
                call(api, get("/api/v1/query?query=" + enc("\"hello\""))).body());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"http_requests_total\",\"job\":\"api\"},"
                + "\"values\":[[585,\"390\"],[600,\"400\"]]}]}}", // (600-30, 600]: left-open as in Prometheus 3
                call(api, get("/api/v1/query?query=" + enc("http_requests_total{job=\"api\"}[30s]"))).body());
    }

    @Test
    void annotationsTravelAsInfos() {
        Resp r = call(api, get("/api/v1/query?query=" + enc("rate(temperature_celsius[5m])")));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("\"infos\":[\"PromQL info: metric might not be a counter"), r.body());
    }

    @Test
    void engineErrorsAreExecutionErrors() {
        store.append(Labels.of("__name__", "x", "a", "1"), 600_000, 1);
        store.append(Labels.of("__name__", "y", "a", "1"), 600_000, 1);
        Resp r = call(api, get("/api/v1/query?query=" + enc("{a=\"1\"} * 2")));
        assertEquals(422, r.status(), r.body());
        assertEquals("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":"
                + "\"vector cannot contain metrics with the same labelset\"}", r.body());
    }

    @Test
    void labelsAndSeriesFromTheStore() {
        assertEquals("{\"status\":\"success\",\"data\":[\"api\",\"db\"]}",
                call(api, get("/api/v1/label/job/values?match[]=http_requests_total")).body());
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"temperature_celsius\",\"room\":\"a\"}]}",
                call(api, get("/api/v1/series?match[]=" + enc("{room!=\"\"}"))).body());
    }
}

package dev.strata.query.api;

import static dev.strata.query.api.ApiTestSupport.call;
import static dev.strata.query.api.ApiTestSupport.enc;
import static dev.strata.query.api.ApiTestSupport.get;
import static dev.strata.query.api.ApiTestSupport.postForm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.api.ApiTestSupport.Resp;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryException;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.QueryStats;
import dev.strata.query.engine.Sample;
import dev.strata.query.engine.Scalar;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.engine.StringValue;
import dev.strata.query.engine.Vector;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.Labels;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API's routing, parameters and JSON, with a scripted evaluator standing in for the engine so
 * every result shape and failure can be produced on purpose.
 */
class PrometheusApiTest {
    private static final long NOW = 1_435_781_451_781L;

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "api-test-query"));
    private final InMemoryQueryable store = new InMemoryQueryable();

    /** What the scripted evaluator saw last, and what it answers. */
    private final List<String> calls = new ArrayList<>();
    private Function<String, QueryResult> answer = q -> new QueryResult(new Vector(List.of()), List.of(), List.of(),
            new QueryStats(0, 0, 0));

    private final QueryEvaluator evaluator = new QueryEvaluator() {
        @Override
        public QueryResult instant(String expr, long timeMs, QueryOptions o) {
            calls.add("instant " + expr + " @" + timeMs + " timeout=" + (o.timeoutMs() + 499) / 500 * 500 + " lookback=" + o.lookbackDeltaMs()
                    + " on " + Thread.currentThread().getName());
            return answer.apply(expr);
        }

        @Override
        public QueryResult range(String expr, long startMs, long endMs, long stepMs, QueryOptions o) {
            calls.add("range " + expr + " " + startMs + ".." + endMs + "/" + stepMs + " timeout=" + (o.timeoutMs() + 499) / 500 * 500
                    + " on " + Thread.currentThread().getName());
            return answer.apply(expr);
        }
    };

    private final PrometheusApi api = new PrometheusApi(evaluator, new QueryableMetadataSource(store),
            new ApiSettings(QueryOptions.defaults(), new BuildInfo("0.1.0", "abc123", "main", "ci", "20261121-22:00:00", "java17"),
                    Map.of("query.timeout", "2m", "http.port", "9090"), "15d", 1_700_000_000_000L, ApiSettings.ANY_ORIGIN),
            executor, () -> NOW);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static QueryResult result(dev.strata.query.engine.Value v) {
        return new QueryResult(v, List.of(), List.of(), new QueryStats(11, 3, 1_500_000, 7, new long[] {7}, NOW, 0));
    }

    @Test
    void vectorJson() {
        answer = q -> result(new Vector(List.of(
                new Sample(Labels.of("__name__", "up", "job", "prometheus", "instance", "localhost:9090"), NOW, 1),
                new Sample(Labels.of("job", "node"), 1_435_781_451_780L, 0.5))));
        Resp r = call(api, get("/api/v1/query?query=up&time=1435781451.781"));
        assertEquals(200, r.status());
        assertEquals("application/json", r.contentType());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"localhost:9090\",\"job\":\"prometheus\"},\"value\":[1435781451.781,\"1\"]},"
                + "{\"metric\":{\"job\":\"node\"},\"value\":[1435781451.780,\"0.5\"]}]}}", r.body());
        assertEquals("instant up @1435781451781 timeout=120000 lookback=300000 on api-test-query", calls.get(0));
    }

    @Test
    void emptyVectorJson() {
        Resp r = call(api, get("/api/v1/query?query=nothing"));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", r.body());
        assertTrue(calls.get(0).contains("@" + NOW), "time defaults to now: " + calls);
    }

    @Test
    void matrixJson() {
        answer = q -> result(new Matrix(List.of(
                new SeriesPoints(Labels.of("__name__", "up", "job", "a"), new long[] {1_435_781_430_781L, 1_435_781_445_781L},
                        new double[] {1, Double.NaN}),
                new SeriesPoints(Labels.of("job", "b"), new long[] {1_435_781_430_000L}, new double[] {Double.POSITIVE_INFINITY}))));
        Resp r = call(api, get("/api/v1/query_range?query=up&start=1435781430.781&end=1435781460.781&step=15s"));
        assertEquals(200, r.status(), r.body());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"values\":[[1435781430.781,\"1\"],[1435781445.781,\"NaN\"]]},"
                + "{\"metric\":{\"job\":\"b\"},\"values\":[[1435781430,\"+Inf\"]]}]}}", r.body());
        assertEquals("range up 1435781430781..1435781460781/15000 timeout=120000 on api-test-query", calls.get(0));
    }

    @Test
    void scalarAndStringJson() {
        answer = q -> result(new Scalar(NOW, -1.5e-7));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1435781451.781,\"-1.5e-07\"]}}",
                call(api, get("/api/v1/query?query=1")).body());
        answer = q -> result(new StringValue(NOW, "a \"quoted\" <string>\n"));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1435781451.781,"
                        + "\"a \\\"quoted\\\" \\u003cstring\\u003e\\n\"]}}",
                call(api, get("/api/v1/query?query=" + enc("\"x\""))).body());
    }

    @Test
    void warningsInfosAndLimit() {
        answer = q -> new QueryResult(new Vector(List.of(
                new Sample(Labels.of("a", "1"), NOW, 1), new Sample(Labels.of("a", "2"), NOW, 2),
                new Sample(Labels.of("a", "3"), NOW, 3))),
                List.of("PromQL warning: something"), List.of("PromQL info: metric might not be a counter"), null);
        Resp r = call(api, get("/api/v1/query?query=x&limit=2&time=1435781451.781"));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"a\":\"1\"},\"value\":[1435781451.781,\"1\"]},{\"metric\":{\"a\":\"2\"},\"value\":[1435781451.781,\"2\"]}]},"
                + "\"warnings\":[\"PromQL warning: something\",\"results truncated due to limit\"],"
                + "\"infos\":[\"PromQL info: metric might not be a counter\"]}", r.body());
        // Exactly at the limit: nothing cut, no warning.
        r = call(api, get("/api/v1/query?query=x&limit=3"));
        assertTrue(!r.body().contains("truncated"), r.body());
    }

    @Test
    void moreThanTenAnnotationsAreCapped() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 13; i++) many.add("PromQL warning: w" + i);
        answer = q -> new QueryResult(new Vector(List.of()), many, List.of(), null);
        String body = call(api, get("/api/v1/query?query=x")).body();
        assertTrue(body.endsWith("\"PromQL warning: w9\",\"3 more warning annotations omitted\"]}"), body);
    }

    @Test
    void statsWhenAsked() {
        answer = q -> result(new Scalar(NOW, 1));
        String body = call(api, get("/api/v1/query?query=1&stats=1")).body();
        assertTrue(body.matches("\\{\"status\":\"success\",\"data\":\\{\"resultType\":\"scalar\",\"result\":\\[1435781451.781,\"1\"],"
                + "\"stats\":\\{\"timings\":\\{\"evalTotalTime\":0.0015,\"resultSortTime\":0,\"queryPreparationTime\":0,"
                + "\"innerEvalTime\":0.0015,\"execQueueTime\":[0-9.e-]+,\"execTotalTime\":[0-9.e-]+},"
                + "\"samples\":\\{\"totalQueryableSamples\":7,\"peakSamples\":3}}}}"), body);
        assertTrue(!call(api, get("/api/v1/query?query=1")).body().contains("stats"));
    }

    @Test
    void statsAllAddsSamplesPerStep() {
        answer = q -> new QueryResult(new Scalar(NOW, 1), List.of(), List.of(),
                new QueryStats(11, 3, 1_500_000, 12, new long[] {5, 0, 7}, 1_435_781_450_000L, 780));
        String body = call(api, get("/api/v1/query?query=1&stats=all")).body();
        assertTrue(body.contains("\"samples\":{\"totalQueryableSamplesPerStep\":[[1435781450,5],[1435781450.78,0],"
                + "[1435781451.56,7]],\"totalQueryableSamples\":12,\"peakSamples\":3}}"), body);
        assertTrue(call(api, get("/api/v1/query?query=1&stats=1")).body()
                .contains("\"samples\":{\"totalQueryableSamples\":12,\"peakSamples\":3}}"));
    }

    @Test
    void getAndPostAreEquivalent() {
        answer = q -> result(new Vector(List.of(new Sample(Labels.of("__name__", q), NOW, 42))));
        String[][] cases = {
            {"/api/v1/query", "query=" + enc("sum(rate(http_requests_total{job=\"api\"}[5m]))") + "&time=1435781451.781"},
            {"/api/v1/query_range", "query=up&start=2015-07-01T20:10:30.781Z&end=2015-07-01T20:11:00.781Z&step=15"},
            {"/api/v1/format_query", "query=" + enc("sum(up)by(job)")},
            {"/api/v1/series", "match[]=up&match[]=" + enc("{job=\"x\"}")},
            {"/api/v1/labels", "match[]=up"},
        };
        store.append(Labels.of("__name__", "up", "job", "x"), NOW, 1);
        for (String[] c : cases) {
            calls.clear();
            Resp g = call(api, get(c[0] + "?" + c[1]));
            List<String> getCalls = new ArrayList<>(calls);
            calls.clear();
            Resp p = call(api, postForm(c[0], c[1]));
            assertEquals(200, g.status(), c[0] + " " + g.body());
            assertEquals(g, p, c[0]);
            assertEquals(getCalls, calls, c[0]);
        }
    }

    @Test
    void formBodyWithCharsetParameter() {
        var req = postForm("/api/v1/query", "query=" + enc("rate(x[5m])"));
        req.headers().set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        assertEquals(200, call(api, req).status());
        assertEquals("instant rate(x[5m]) @" + NOW + " timeout=120000 lookback=300000 on api-test-query", calls.get(0));
    }

    @Test
    void postBodyWinsOverUrlParameters() {
        call(api, postForm("/api/v1/query?query=from_url&time=1", "query=from_body"));
        assertEquals("instant from_body @1000 timeout=120000 lookback=300000 on api-test-query", calls.get(0));
    }

    @Test
    void requestTimeoutAndLookbackReachTheEngine() {
        call(api, get("/api/v1/query?query=up&timeout=1.5&lookback_delta=1m"));
        assertEquals("instant up @" + NOW + " timeout=1500 lookback=60000 on api-test-query", calls.get(0));
        calls.clear();
        call(api, get("/api/v1/query?query=up&timeout=1h")); // never longer than the configured timeout
        assertTrue(calls.get(0).contains("timeout=120000"), calls.get(0));
    }

    @Test
    void timeWaitedForTheExecutorCountsAgainstTheTimeout() throws Exception {
        answer = q -> {
            try {
                Thread.sleep(q.equals("slow") ? 400 : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return result(new Vector(List.of()));
        };
        var slow = api.handle(get("/api/v1/query?query=slow")); // occupies the only executor thread
        Resp r = call(api, get("/api/v1/query?query=fast&timeout=0.1"));
        assertEquals(503, r.status(), r.body());
        assertEquals("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in query queue\"}", r.body());
        assertEquals(200, slow.get().status().code());
    }

    @Test
    void badParameters() {
        assertError(get("/api/v1/query?query=up&time=x"), 400, "bad_data",
                "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"x\" to a valid timestamp");
        assertError(get("/api/v1/query?query=up&timeout=x"), 400, "bad_data",
                "invalid parameter \"timeout\": cannot parse \"x\" to a valid duration");
        assertError(get("/api/v1/query?query=up&limit=x"), 400, "bad_data",
                "invalid parameter \"limit\": strconv.Atoi: parsing \"x\": invalid syntax");
        assertError(get("/api/v1/query?query=up&limit=-1"), 400, "bad_data",
                "invalid parameter \"limit\": limit must be non-negative");
        assertError(get("/api/v1/query?query=up&lookback_delta=x"), 400, "bad_data",
                "error parsing lookback delta duration: cannot parse \"x\" to a valid duration");
        assertError(get("/api/v1/query?query=" + enc("sum(")), 400, "bad_data",
                "invalid parameter \"query\": " + parseError("sum("));
        assertError(get("/api/v1/query"), 400, "bad_data", "invalid parameter \"query\": " + parseError(""));
        assertError(get("/api/v1/query_range?query=up&start=x&end=2&step=1"), 400, "bad_data",
                "invalid parameter \"start\": cannot parse \"x\" to a valid timestamp");
        assertError(get("/api/v1/query_range?query=up&start=1&step=1"), 400, "bad_data",
                "invalid parameter \"end\": cannot parse \"\" to a valid timestamp");
        assertError(get("/api/v1/query_range?query=up&start=2&end=1&step=1"), 400, "bad_data",
                "invalid parameter \"end\": end timestamp must not be before start time");
        assertError(get("/api/v1/query_range?query=up&start=1&end=2&step=0"), 400, "bad_data",
                "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer");
        assertError(get("/api/v1/query_range?query=up&start=1&end=2&step=-1s"), 400, "bad_data",
                "invalid parameter \"step\": cannot parse \"-1s\" to a valid duration");
        assertError(get("/api/v1/query_range?query=up&start=0&end=11001&step=1"), 400, "bad_data",
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        assertEquals(200, call(api, get("/api/v1/query_range?query=up&start=0&end=11000&step=1")).status());
        assertError(get("/api/v1/query_range?query=" + enc("up[5m]") + "&start=1&end=2&step=1"), 400, "bad_data",
                "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector");
        assertError(get("/api/v1/query_range?query=" + enc("sum(") + "&start=1&end=2&step=1"), 400, "bad_data",
                parseError("sum("));
        assertTrue(calls.stream().noneMatch(c -> !c.contains("11000")), "no query ran for bad input: " + calls);
    }

    private static String parseError(String q) {
        try {
            dev.strata.query.parser.Parser.parse(q);
        } catch (dev.strata.query.parser.ParseException e) {
            return e.getMessage();
        }
        throw new AssertionError("parses: " + q);
    }

    @Test
    void engineFailuresMapToPrometheusErrorTypes() {
        answer = q -> { throw new QueryException.Timeout("query execution"); };
        assertError(get("/api/v1/query?query=up"), 503, "timeout", "query timed out in query execution");
        answer = q -> { throw new QueryException.Canceled("query execution"); };
        assertError(get("/api/v1/query?query=up"), 499, "canceled", "query was canceled in query execution");
        answer = q -> { throw new QueryException.TooManySamples(); };
        assertError(get("/api/v1/query?query=up"), 422, "execution",
                "query processing would load too many samples into memory in query execution");
        answer = q -> { throw new IllegalStateException("bug in engine"); };
        assertError(get("/api/v1/query?query=up"), 500, "internal", "bug in engine");
        assertError(get("/api/v1/query?query=up&timeout=0"), 503, "timeout", "query timed out in query queue");
    }

    private void assertError(io.netty.handler.codec.http.FullHttpRequest req, int status, String type, String message) {
        Resp r = call(api, req);
        assertEquals(status, r.status(), r.body());
        assertEquals("application/json", r.contentType());
        assertEquals(new String(ApiResponses.errorBody(ErrorType.valueOf(type.toUpperCase()), message).toByteArray(),
                java.nio.charset.StandardCharsets.UTF_8), r.body());
        assertTrue(r.body().startsWith("{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":"), r.body());
    }

    @Test
    void errorJsonIsExact() {
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"time\\\": x\"}",
                ApiResponses.errorBody(ErrorType.BAD_DATA, "invalid parameter \"time\": x").toString());
    }

    @Test
    void seriesLabelsAndValues() {
        store.append(Labels.of("__name__", "up", "job", "api", "instance", "a"), 1_000, 1);
        store.append(Labels.of("__name__", "up", "job", "db", "instance", "b"), 2_000, 1);
        store.append(Labels.of("__name__", "http_requests_total", "job", "api", "code", "200"), 3_000, 5);
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},"
                + "{\"__name__\":\"up\",\"instance\":\"b\",\"job\":\"db\"}]}", call(api, get("/api/v1/series?match[]=up")).body());
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"job\":\"api\"},"
                        + "{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"}]}",
                call(api, get("/api/v1/series?match[]=" + enc("{job=\"api\"}"))).body());
        // Time range filters series by their samples.
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"b\",\"job\":\"db\"}]}",
                call(api, get("/api/v1/series?match[]=up&start=1.5&end=2")).body());
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"job\":\"api\"}],"
                        + "\"warnings\":[\"results truncated due to limit\"]}",
                call(api, get("/api/v1/series?match[]=" + enc("{job=~\".+\"}") + "&limit=1")).body());
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"code\",\"instance\",\"job\"]}",
                call(api, get("/api/v1/labels")).body());
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}",
                call(api, get("/api/v1/labels?match[]=up")).body());
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"code\"],\"warnings\":[\"results truncated due to limit\"]}",
                call(api, get("/api/v1/labels?limit=2")).body());
        assertEquals("{\"status\":\"success\",\"data\":[\"api\",\"db\"]}", call(api, get("/api/v1/label/job/values")).body());
        assertEquals("{\"status\":\"success\",\"data\":[\"db\"]}",
                call(api, get("/api/v1/label/job/values?match[]=up&start=1.5")).body());
        assertEquals("{\"status\":\"success\",\"data\":[\"http_requests_total\",\"up\"]}",
                call(api, get("/api/v1/label/__name__/values")).body());
        assertEquals("{\"status\":\"success\",\"data\":[]}", call(api, get("/api/v1/label/nope/values")).body());
    }

    @Test
    void utf8LabelNamesInThePath() {
        store.append(Labels.of("__name__", "m", "service.name", "checkout"), 1_000, 1);
        assertEquals("{\"status\":\"success\",\"data\":[\"checkout\"]}",
                call(api, get("/api/v1/label/U__service_2e_name/values")).body());
        assertEquals("{\"status\":\"success\",\"data\":[\"checkout\"]}",
                call(api, get("/api/v1/label/service.name/values")).body());
    }

    @Test
    void seriesAndLabelErrors() {
        assertError(get("/api/v1/series"), 400, "bad_data", "no match[] parameter provided");
        assertError(get("/api/v1/series?match[]=" + enc("{job=~\".*\"}")), 400, "bad_data",
                "match[] must contain at least one non-empty matcher");
        assertError(get("/api/v1/series?match[]=up&start=x"), 400, "bad_data",
                "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" to a valid timestamp");
        assertError(get("/api/v1/labels?match[]=" + enc("up{")), 400, "bad_data", parseError("up{"));
        assertError(get("/api/v1/label/job/values?limit=-3"), 400, "bad_data",
                "invalid parameter \"limit\": limit must be non-negative");
    }

    @Test
    void metadataIsEmptyWhenNoneIsKept() {
        assertEquals("{\"status\":\"success\",\"data\":{}}", call(api, get("/api/v1/metadata")).body());
        assertEquals("{\"status\":\"success\",\"data\":{}}", call(api, get("/api/v1/metadata?metric=up&limit=5&limit_per_metric=1")).body());
        assertError(get("/api/v1/metadata?limit=x"), 400, "bad_data", "limit must be a number");
        assertError(get("/api/v1/metadata?limit_per_metric=x"), 400, "bad_data", "limit_per_metric must be a number");
    }

    @Test
    void statusEndpoints() {
        assertEquals("{\"status\":\"success\",\"data\":{\"version\":\"0.1.0\",\"revision\":\"abc123\",\"branch\":\"main\","
                + "\"buildUser\":\"ci\",\"buildDate\":\"20261121-22:00:00\",\"goVersion\":\"java17\"}}",
                call(api, get("/api/v1/status/buildinfo")).body());
        assertEquals("{\"status\":\"success\",\"data\":{\"http.port\":\"9090\",\"query.timeout\":\"2m\"}}",
                call(api, get("/api/v1/status/flags")).body());
        String rt = call(api, get("/api/v1/status/runtimeinfo")).body();
        assertTrue(rt.startsWith("{\"status\":\"success\",\"data\":{\"startTime\":\"2023-11-14T"), rt);
        assertTrue(rt.contains("\"reloadConfigSuccess\":true") && rt.contains("\"storageRetention\":\"15d\""), rt);
    }

    @Test
    void formatQuery() {
        assertEquals("{\"status\":\"success\",\"data\":\"sum by (job) (rate(http_requests_total[5m]))\"}",
                call(api, get("/api/v1/format_query?query=" + enc("sum(rate(http_requests_total[5m]))by(job)"))).body());
        assertError(get("/api/v1/format_query?query=" + enc("sum(")), 400, "bad_data",
                "invalid parameter \"query\": " + parseError("sum("));
    }

    @Test
    void corsHeadersForAMatchingOrigin() throws Exception {
        var req = get("/api/v1/status/buildinfo");
        req.headers().set("Origin", "https://grafana.example");
        var resp = api.handle(req).get();
        assertEquals("https://grafana.example", resp.headers().get("Access-Control-Allow-Origin"));
        assertEquals("GET, POST, OPTIONS", resp.headers().get("Access-Control-Allow-Methods"));
        resp.release();
        resp = api.handle(get("/api/v1/status/buildinfo")).get();
        assertEquals(null, resp.headers().get("Access-Control-Allow-Origin"));
        resp.release();
    }

    @Test
    void exemplarsAreAlwaysEmpty() {
        assertEquals("{\"status\":\"success\",\"data\":[]}", call(api, get("/api/v1/query_exemplars?query=up&start=1&end=2")).body());
        assertError(get("/api/v1/query_exemplars?query=up&start=2&end=1"), 400, "bad_data",
                "end timestamp must not be before start timestamp");
        assertError(get("/api/v1/query_exemplars?query=" + enc("up{")), 400, "bad_data", parseError("up{"));
    }

    @Test
    void routing() {
        Resp r = call(api, get("/api/v1/nope"));
        assertEquals(404, r.status());
        assertEquals("404 page not found\n", r.body());
        r = call(api, ApiTestSupport.request(HttpMethod.DELETE, "/api/v1/query"));
        assertEquals(405, r.status());
        r = call(api, ApiTestSupport.postForm("/api/v1/status/buildinfo", ""));
        assertEquals(405, r.status());
        r = call(api, ApiTestSupport.request(HttpMethod.OPTIONS, "/api/v1/query"));
        assertEquals(204, r.status());
        assertEquals(404, call(api, get("/api/v1/label//values")).status());
    }

    @Test
    void saturatedExecutorAnswersUnavailable() {
        ExecutorService dead = Executors.newSingleThreadExecutor();
        dead.shutdown();
        PrometheusApi a = new PrometheusApi(evaluator, new QueryableMetadataSource(store),
                new ApiSettings(QueryOptions.defaults(), BuildInfo.of("0", "", "", "", ""), Map.of(), "", 0, null), dead, () -> NOW);
        Resp r = call(a, get("/api/v1/query?query=up"));
        assertEquals(503, r.status());
        assertEquals("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"too many concurrent queries (query.max-concurrency); retry later\"}", r.body());
    }
}

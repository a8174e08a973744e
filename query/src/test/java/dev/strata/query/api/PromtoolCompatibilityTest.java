package dev.strata.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.query.engine.Engine;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.Labels;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs Prometheus's own client, {@code promtool query ...}, against the API over real HTTP. Needs
 * {@code promtool} on the PATH (Debian: {@code apt-get install prometheus}); without it the test is
 * skipped (JUnit reports it as such).
 */
class PromtoolCompatibilityTest {
    private static ExecutorService executor;
    private static NettyApiServer server;
    private static String promtool;

    @BeforeAll
    static void start() throws Exception {
        promtool = findOnPath("promtool");
        assumeTrue(promtool != null, "promtool not installed");
        InMemoryQueryable store = new InMemoryQueryable();
        for (int i = 0; i <= 40; i++) {
            long t = 1_700_000_000_000L + i * 15_000L;
            store.append(Labels.of("__name__", "http_requests_total", "job", "api"), t, 10 * i);
            store.append(Labels.of("__name__", "http_requests_total", "job", "db"), t, 20 * i);
        }
        executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "promtool-test-query"));
        QueryOptions opts = QueryOptions.defaults();
        PrometheusApi api = new PrometheusApi(QueryEvaluator.of(new Engine(store, opts)), new QueryableMetadataSource(store),
                new ApiSettings(opts, BuildInfo.of("0.1.0", "rev", "main", "me", "now"), Map.of(), "15d", 0, ApiSettings.ANY_ORIGIN),
                executor, System::currentTimeMillis);
        server = new NettyApiServer(api);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (executor != null) executor.shutdownNow();
    }

    private static String findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    private static String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(promtool);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool hung: " + cmd);
        }
        assertEquals(0, p.exitValue(), "promtool " + cmd + " failed: " + out);
        return out;
    }

    private static String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void instantQuery() throws Exception {
        String out = run("query", "instant", "--time=1700000600", url(), "http_requests_total");
        assertEquals("http_requests_total{job=\"api\"} => 400 @[1700000600]\n"
                + "http_requests_total{job=\"db\"} => 800 @[1700000600]\n", out);
    }

    @Test
    void instantQueryAsJson() throws Exception {
        String out = run("query", "instant", "-o", "json", "--time=1700000600.5", url(), "sum(http_requests_total) / 2");
        assertEquals("[{\"metric\":{},\"value\":[1700000600.5,\"600\"]}]\n", out);
    }

    @Test
    void rangeQuery() throws Exception {
        String out = run("query", "range", "--start=1700000570", "--end=1700000600", "--step=15s", url(),
                "http_requests_total{job=\"api\"}");
        assertEquals("http_requests_total{job=\"api\"} =>\n380 @[1700000570]\n390 @[1700000585]\n400 @[1700000600]\n", out);
    }

    @Test
    void seriesAndLabels() throws Exception {
        String series = run("query", "series", "--match=http_requests_total", "--start=1700000000", "--end=1700000600", url());
        assertEquals("{__name__=\"http_requests_total\", job=\"api\"}\n{__name__=\"http_requests_total\", job=\"db\"}\n", series);
        String values = run("query", "labels", "--start=1700000000", "--end=1700000600", url(), "job");
        assertEquals("api\ndb\n", values);
    }
}

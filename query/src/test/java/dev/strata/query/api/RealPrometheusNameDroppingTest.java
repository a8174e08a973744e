package dev.strata.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.query.engine.Engine;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.Labels;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the metric name is dropped, against a REAL Prometheus 2.42 (the Debian package's binary, which
 * .ci/run installs; skipped where it is absent). Both are fed the same node_exporter-like samples:
 * Prometheus through {@code promtool tsdb create-blocks-from openmetrics} (exact timestamps, no scrape
 * timing), Strata through its in-memory store; the same queries go over HTTP to Prometheus's API and to
 * Strata's, and the response bodies must be equal byte for byte (status, error text, labels, values).
 *
 * <p>Prometheus 2.42 has no delayed name removal: it drops the name where Prometheus 3 does with the
 * feature off, which is Strata's default. Where 2.42 and 3.x differ on purpose, the data stays clear of
 * it: 3.x windows are left-open ({@code (t - range, t]}, 2.x {@code [t - range, t]}) and its lookback
 * is left-open too, so no sample lies on a window or lookback boundary (samples at 3 s past each 15 s,
 * queries on 15 s boundaries); 3.x adds info annotations ("metric might not be a counter"), which 2.42
 * lacks, so range functions that need counters read {@code _total} series only and no query here draws
 * an annotation from Strata.
 */
class RealPrometheusNameDroppingTest {
    /** 2023-11-14T22:13:20Z: data from T0 to T0 + 10 m, queried at {@link #AT}. */
    private static final long T0 = 1_700_000_000L;
    private static final long AT = T0 + 300;
    private static final String DUPLICATE = "{\"status\":\"error\",\"errorType\":\"execution\","
            + "\"error\":\"vector cannot contain metrics with the same labelset\"}";

    @TempDir
    static Path dir;

    private static Process prometheus;
    private static String prometheusUrl;
    private static ExecutorService executor;
    private static NettyApiServer strata;
    private static NettyApiServer strataDelayed;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        String prom = onPath("prometheus");
        String promtool = onPath("promtool");
        assumeTrue(prom != null && promtool != null, "prometheus/promtool not installed (apt-get install prometheus); skipping");
        InMemoryQueryable store = new InMemoryQueryable();
        StringBuilder openMetrics = new StringBuilder();
        feed(store, openMetrics);
        Path input = dir.resolve("samples.om");
        Files.writeString(input, openMetrics.append("# EOF\n"));
        Path data = dir.resolve("data");
        run(promtool, "tsdb", "create-blocks-from", "openmetrics", input.toString(), data.toString());
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global: {}\n");
        int port = freePort();
        prometheus = new ProcessBuilder(prom, "--config.file=" + config, "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        prometheusUrl = "http://127.0.0.1:" + port;
        executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "name-dropping-test-query"));
        strata = new NettyApiServer(api(store, QueryOptions.defaults()));
        strataDelayed = new NettyApiServer(api(store, QueryOptions.defaults().withDelayedNameRemoval(true)));
        awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
        }
        if (strata != null) strata.close();
        if (strataDelayed != null) strataDelayed.close();
        if (executor != null) executor.shutdownNow();
    }

    /** Every 15 s from T0 + 3 s for 10 minutes: CPU and network counters, load gauges, one instance. */
    private static void feed(InMemoryQueryable store, StringBuilder om) {
        for (String mode : List.of("idle", "user")) {
            for (String cpu : List.of("0", "1")) {
                double perStep = (mode.equals("idle") ? 12 : 2.5) + Integer.parseInt(cpu);
                series(store, om, Labels.of("__name__", "node_cpu_seconds_total", "job", "node", "instance", "n1",
                        "cpu", cpu, "mode", mode), i -> 1000 + perStep * i);
            }
        }
        series(store, om, Labels.of("__name__", "node_network_receive_bytes_total", "job", "node", "instance", "n1",
                "device", "eth0"), i -> 5000 + 1500.0 * i);
        series(store, om, Labels.of("__name__", "node_network_transmit_bytes_total", "job", "node", "instance", "n1",
                "device", "eth0"), i -> 7000 + 250.0 * i);
        series(store, om, Labels.of("__name__", "node_load1", "job", "node", "instance", "n1"), i -> 1.5 + (i % 7) * 0.25);
        series(store, om, Labels.of("__name__", "node_load5", "job", "node", "instance", "n1"), i -> 0.75 + (i % 5) * 0.5);
    }

    private static void series(InMemoryQueryable store, StringBuilder om, Labels l, java.util.function.IntToDoubleFunction v) {
        StringBuilder sel = new StringBuilder(l.get("__name__")).append('{');
        boolean first = true;
        for (Labels.Label lb : l) {
            if (lb.name().equals("__name__")) continue;
            if (!first) sel.append(',');
            first = false;
            sel.append(lb.name()).append("=\"").append(lb.value()).append('"');
        }
        sel.append('}');
        for (int i = 0; i < 40; i++) {
            long t = T0 + 3 + 15L * i;
            double value = v.applyAsDouble(i);
            store.append(l, t * 1000, value);
            om.append(sel).append(' ').append(value).append(' ').append(t).append('\n');
        }
    }

    private static PrometheusApi api(InMemoryQueryable store, QueryOptions opts) {
        return new PrometheusApi(QueryEvaluator.of(new Engine(store, opts)), new QueryableMetadataSource(store),
                new ApiSettings(opts, BuildInfo.of("0.1.0", "rev", "main", "me", "now"), Map.of(), "15d", 0,
                        ApiSettings.ANY_ORIGIN), executor, System::currentTimeMillis);
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (!prometheus.isAlive()) break;
            Thread.sleep(200);
        }
        throw new AssertionError("prometheus did not become ready; log:\n" + Files.readString(dir.resolve("prometheus.log")));
    }

    private static String instant(String base, String query) throws Exception {
        return get(base + "/api/v1/query?query=" + ApiTestSupport.enc(query) + "&time=" + AT);
    }

    private static String range(String base, String query) throws Exception {
        return get(base + "/api/v1/query_range?query=" + ApiTestSupport.enc(query) + "&start=" + (AT - 120) + "&end=" + AT
                + "&step=30");
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String strata() {
        return "http://127.0.0.1:" + strata.port();
    }

    private static String strataDelayed() {
        return "http://127.0.0.1:" + strataDelayed.port();
    }

    /** The issue's four queries: Prometheus's answers by default, today's (delayed) with the setting on. */
    @Test
    void theFourQueriesOfTheIssue() throws Exception {
        String q1 = "sum(rate({job=\"node\"}[30s]))";
        String q2 = "sum(count_over_time({job=\"node\"}[30s]))";
        String q3 = "label_replace(rate(node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}[30s]), \"m\", \"$1\", \"__name__\", \"(.*)\")";
        String q4 = "label_join(abs(node_load1), \"m\", \",\", \"__name__\")";
        assertEquals(DUPLICATE, instant(prometheusUrl, q1));
        assertEquals(DUPLICATE, instant(prometheusUrl, q2));
        for (String q : List.of(q1, q2, q3, q4)) assertEquals(instant(prometheusUrl, q), instant(strata(), q), q);
        assertTrue(instant(prometheusUrl, q3).contains("\"metric\":{\"cpu\":\"0\",\"instance\":\"n1\",\"job\":\"node\",\"mode\":\"idle\"}"),
                instant(prometheusUrl, q3));

        // query.delayed-name-removal=true: the answers Strata gave before the setting existed.
        double perMetric = 0;
        for (String name : List.of("node_cpu_seconds_total", "node_network_receive_bytes_total",
                "node_network_transmit_bytes_total", "node_load1", "node_load5")) {
            perMetric += Double.parseDouble(number(instant(strata(), "sum(rate(" + name + "{job=\"node\"}[30s]))")));
        }
        assertEquals(perMetric, Double.parseDouble(number(instant(strataDelayed(), q1))), 1e-9 * perMetric);
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[1700000300,\"16\"]}]}}", instant(strataDelayed(), q2));
        assertTrue(instant(strataDelayed(), q3).contains("\"m\":\"node_cpu_seconds_total\""), instant(strataDelayed(), q3));
        assertTrue(instant(strataDelayed(), q4).contains("\"m\":\"node_load1\""), instant(strataDelayed(), q4));
        for (String q : List.of(q1, q2, q3, q4)) assertNotEquals(instant(prometheusUrl, q), instant(strataDelayed(), q), q);
    }

    /** The value of a one-sample vector answer, as the API wrote it (a failing query fails the test). */
    private static String number(String body) {
        String head = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                + AT + ",\"";
        assertTrue(body.startsWith(head), body);
        return body.substring(head.length(), body.indexOf('"', head.length()));
    }

    /** Queries that exercise name dropping: the same bodies as Prometheus 2.42, instant and range. */
    @Test
    void nameDroppingAgreesWithPrometheus() throws Exception {
        List<String> queries = List.of(
                // several metric names through range functions
                "rate({job=\"node\", __name__=~\"node_network_.*_bytes_total\"}[1m])",
                "sum(rate({__name__=~\"node_network_.*_bytes_total\"}[1m]))",
                "rate(node_cpu_seconds_total{mode=\"idle\"}[1m])",
                "sum by (__name__) (rate(node_cpu_seconds_total[1m]))",
                "max_over_time({__name__=~\"node_load1|node_load5\"}[1m])",
                "last_over_time({__name__=~\"node_load1|node_load5\"}[1m])",
                // label_replace / label_join on __name__ after a function
                "label_replace(rate(node_network_receive_bytes_total[1m]), \"m\", \"$1\", \"__name__\", \"(.*)\")",
                "label_join(rate(node_cpu_seconds_total{mode=\"idle\"}[1m]), \"m\", \"-\", \"__name__\", \"cpu\")",
                "label_replace(node_load1, \"m\", \"$1\", \"__name__\", \"(.*)\")",
                "label_replace(rate(node_network_receive_bytes_total[1m]), \"__name__\", \"rx\", \"\", \"\")",
                // operators
                "{__name__=~\"node_load1|node_load5\"} * 2",
                "{__name__=~\"node_load1|node_load5\"} > 1",
                "{__name__=~\"node_load1|node_load5\"} > bool 1",
                "-{__name__=~\"node_load1|node_load5\"}",
                "-node_load1",
                "node_load1 + node_load5",
                "node_load1 > on(job, instance) node_load5",
                "node_load1 > bool node_load5",
                // functions, aggregations, absent, subqueries
                "abs({__name__=~\"node_load1|node_load5\"})",
                "ceil(node_load1)",
                "timestamp(node_load1)",
                "topk(1, rate(node_cpu_seconds_total[1m]))",
                "count_values(\"v\", floor(node_load5))",
                "absent(nonexistent{job=\"node\"})",
                "absent(rate(node_cpu_seconds_total{cpu=\"9\"}[1m]))",
                "max_over_time(rate(node_network_receive_bytes_total[1m])[2m:30s])",
                "sum(max_over_time(abs({__name__=~\"node_load1|node_load5\"})[2m:30s]))");
        List<String> differences = new ArrayList<>();
        for (String q : queries) {
            String want = instant(prometheusUrl, q), got = instant(strata(), q);
            if (!want.equals(got)) differences.add("instant " + q + "\n  prometheus: " + want + "\n  strata:     " + got);
            want = range(prometheusUrl, q);
            got = range(strata(), q);
            if (!want.equals(got)) differences.add("range " + q + "\n  prometheus: " + want + "\n  strata:     " + got);
        }
        assertEquals(List.of(), differences, String.join("\n", differences));
    }

    private static String onPath(String name) {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(p, name);
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    }
}

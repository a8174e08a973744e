package dev.strata.node.cluster;

import dev.strata.store.json.SampleValueFormat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.node.config.HttpSettings;
import dev.strata.node.http.HttpServer;
import dev.strata.node.http.Router;
import dev.strata.query.api.ApiSettings;
import dev.strata.query.api.BuildInfo;
import dev.strata.query.api.FederateEndpoint;
import dev.strata.query.api.PrometheusApi;
import dev.strata.query.engine.QueryOptions;
import dev.strata.store.selfmetrics.MetricsRegistry;
import dev.strata.store.model.Labels;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REAL Prometheus 2.42 scrapes Strata's {@code /federate} (served by node 0 of a 3-node cluster) with two
 * jobs, one with {@code honor_labels: true}, one without; the series it stores are the ones written
 * down here (Prometheus's honor-labels semantics) with the latest samples Strata holds.
 */
class RealPrometheusFederateTest {
    @TempDir
    Path dir;

    @Test
    void prometheusScrapesFederation() throws Exception {
        String bin = RealPrometheusRemoteReadTest.prometheusBinary();
        assumeTrue(bin != null, "the prometheus binary is not on PATH (apt-get install prometheus); skipping");
        long now = System.currentTimeMillis();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        Process prom = null;
        try (InProcessCluster cluster = new InProcessCluster(3, 8, 1, QueryOptions.defaults())) {
            for (int s = 0; s < 10; s++) {
                long t = now - 100_000 + s * 10_000L;
                cluster.append(Labels.of("__name__", "fed_up", "job", "app", "instance", "host:1", "env", "prod"), t, 1);
                cluster.append(Labels.of("__name__", "fed_up", "job", "db", "instance", "host:2"), t, 0);
                cluster.append(Labels.of("__name__", "fed_temp", "job", "sensor", "room", "a \"big\" one"), t, 20.5 + s);
                cluster.append(Labels.of("__name__", "other_metric", "job", "app"), t, 5);
            }
            long lastT = now - 100_000 + 9 * 10_000L;
            FederateEndpoint federate = new FederateEndpoint(cluster.nodes.get(0).data, executor, 300_000,
                    System::currentTimeMillis);
            Router router = Router.builder().get("/federate", federate::handle).build();
            try (HttpServer strata = new HttpServer(new HttpSettings("127.0.0.1", 0, 1 << 20, Duration.ofMinutes(1), 1),
                    router, new MetricsRegistry())) {
                strata.start();
                HttpClient client = HttpClient.newHttpClient();
                String target = "127.0.0.1:" + strata.port();
                String body = get(client, "http://" + target + "/federate?match[]=" + enc("{__name__=~\"fed_.*\"}")
                        + "&match[]=" + enc("fed_up{job=\"app\"}"));
                assertEquals("""
                        # TYPE fed_temp untyped
                        fed_temp{job="sensor",room="a \\"big\\" one",instance=""} 29.5 %d
                        # TYPE fed_up untyped
                        fed_up{env="prod",instance="host:1",job="app"} 1 %1$d
                        fed_up{instance="host:2",job="db"} 0 %1$d
                        """.formatted(lastT), body);
                int promPort = RealPrometheusRemoteReadTest.freePort();
                Files.writeString(dir.resolve("prometheus.yml"), """
                        global:
                          scrape_interval: 1s
                        scrape_configs:
                          - job_name: fed-honor
                            honor_labels: true
                            metrics_path: /federate
                            params:
                              'match[]': ['{__name__=~"fed_.*"}']
                            static_configs:
                              - targets: ['%1$s']
                          - job_name: fed-plain
                            metrics_path: /federate
                            params:
                              'match[]': ['fed_up']
                            static_configs:
                              - targets: ['%1$s']
                        """.formatted(target));
                prom = new ProcessBuilder(bin, "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
                String promBase = "http://127.0.0.1:" + promPort;
                String query = promBase + "/api/v1/query?query=" + enc("last_over_time({__name__=~\"fed_.*\"}[10m])")
                        + "&time=" + (now / 1000.0);
                String expected = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        // honor_labels: the federated labels as they are; a series without instance gets
                        // none (federation's instance="" is an empty, i.e. absent, label).
                        + "{\"metric\":{\"__name__\":\"fed_temp\",\"job\":\"sensor\",\"room\":\"a \\\"big\\\" one\"},\"value\":[%1$s,\"29.5\"]},"
                        + "{\"metric\":{\"__name__\":\"fed_up\",\"env\":\"prod\",\"instance\":\"host:1\",\"job\":\"app\"},\"value\":[%1$s,\"1\"]},"
                        + "{\"metric\":{\"__name__\":\"fed_up\",\"instance\":\"host:2\",\"job\":\"db\"},\"value\":[%1$s,\"0\"]},"
                        // without: the scrape's job and instance win, the federated ones become exported_*.
                        + "{\"metric\":{\"__name__\":\"fed_up\",\"env\":\"prod\",\"exported_instance\":\"host:1\",\"exported_job\":\"app\",\"instance\":\"%2$s\",\"job\":\"fed-plain\"},\"value\":[%1$s,\"1\"]},"
                        + "{\"metric\":{\"__name__\":\"fed_up\",\"exported_instance\":\"host:2\",\"exported_job\":\"db\",\"instance\":\"%2$s\",\"job\":\"fed-plain\"},\"value\":[%1$s,\"0\"]}"
                        + "]}}").formatted(seconds(now), target);
                long deadline = System.currentTimeMillis() + 90_000;
                String got = "";
                while (System.currentTimeMillis() < deadline) {
                    try {
                        got = get(client, query);
                        if (got.split("\"metric\"").length - 1 >= 5) break;
                    } catch (java.io.IOException | AssertionError e) {
                        // not up yet
                    }
                    Thread.sleep(500);
                }
                assertEquals(normalize(expected), normalize(got), "prometheus log:\n" + Files.readString(dir.resolve("prometheus.log")));
            }
        } finally {
            if (prom != null) {
                prom.destroy();
                if (!prom.waitFor(10, TimeUnit.SECONDS)) prom.destroyForcibly().waitFor();
            }
            executor.shutdownNow();
        }
    }

    /**
     * A REAL Prometheus 2.42 with {@code --enable-feature=native-histograms} asks {@code /federate} for the
     * protobuf exposition format (it does so with the feature on) and stores the native histograms Strata
     * serves: a counter histogram and a gauge histogram with whole counts (sent in the integer form), a
     * histogram with fractional counts (the float form, which 2.42's scrape stores too), and floats, new
     * samples appended every second while it scrapes every second, until it has stored six (at most 60 s). Every histogram sample Prometheus
     * stored must equal Strata's sample at the same timestamp (its query API, JSON compared exactly), and
     * it must have stored several of each. Before federation carried histograms, Prometheus stored none.
     */
    @Test
    void prometheusScrapesNativeHistogramsThroughFederation() throws Exception {
        String bin = RealPrometheusRemoteReadTest.prometheusBinary();
        assumeTrue(bin != null, "the prometheus binary is not on PATH (apt-get install prometheus); skipping");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        Process prom = null;
        try (InProcessCluster cluster = new InProcessCluster(3, 8, 1, QueryOptions.defaults())) {
            Labels counter = Labels.of("__name__", "fedh_latency_seconds", "job", "app", "instance", "host:1");
            Labels gauge = Labels.of("__name__", "fedh_queue_sizes", "job", "app", "instance", "host:1");
            Labels floats = Labels.of("__name__", "fedh_up", "job", "app", "instance", "host:1");
            Labels fractional = Labels.of("__name__", "fedh_ratio", "job", "app", "instance", "host:1");
            InProcessCluster.Node node = cluster.nodes.get(0);
            FederateEndpoint federate = new FederateEndpoint(node.data, executor, 300_000, System::currentTimeMillis);
            PrometheusApi api = new PrometheusApi(node.evaluator, node.metadata,
                    new ApiSettings(QueryOptions.defaults(), BuildInfo.of("0", "", "", "", ""),
                            Map.of(), "", System.currentTimeMillis()), executor, System::currentTimeMillis);
            Router router = Router.builder().get("/federate", federate::handle)
                    .prefix(HttpMethod.GET, "/api/v1/", api::handle).build();
            try (HttpServer strata = new HttpServer(new HttpSettings("127.0.0.1", 0, 1 << 20, Duration.ofMinutes(1), 1),
                    router, new MetricsRegistry())) {
                strata.start();
                HttpClient client = HttpClient.newHttpClient();
                String target = "127.0.0.1:" + strata.port();
                int promPort = RealPrometheusRemoteReadTest.freePort();
                Files.writeString(dir.resolve("prometheus.yml"), """
                        global:
                          scrape_interval: 1s
                        scrape_configs:
                          - job_name: fed-histograms
                            honor_labels: true
                            metrics_path: /federate
                            params:
                              'match[]': ['{__name__=~"fedh_.*"}']
                            static_configs:
                              - targets: ['%s']
                        """.formatted(target));
                int step = 0;
                long t0 = System.currentTimeMillis();
                cluster.append(counter, t0, HistogramSamples.counter(step));
                cluster.append(gauge, t0, HistogramSamples.gauge(step));
                cluster.append(floats, t0, step);
                prom = new ProcessBuilder(bin, "--config.file=" + dir.resolve("prometheus.yml"), "--enable-feature=native-histograms",
                        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
                String promBase = "http://127.0.0.1:" + promPort;
                RealPrometheusRemoteReadTest.waitReady(client, promBase + "/-/ready");
                // A new sample per series every second while Prometheus scrapes every second, until it has
                // stored 6 of the float series (its scrapes start a few seconds after it is ready), at most 60 s.
                long until = System.currentTimeMillis() + 60_000;
                String storedCount = promBase + "/api/v1/query?query=" + enc("count_over_time(fedh_up[5m])");
                while (System.currentTimeMillis() < until && count(client, storedCount) < 6) {
                    Thread.sleep(1000);
                    step++;
                    long t = System.currentTimeMillis();
                    cluster.append(counter, t, HistogramSamples.counter(step));
                    cluster.append(gauge, t, HistogramSamples.gauge(step));
                    cluster.append(floats, t, step);
                    cluster.append(fractional, t, HistogramSamples.floatCounts(step));
                }
                Thread.sleep(2500);
                double at = System.currentTimeMillis() / 1000.0;
                String log = "prometheus log:\n" + Files.readString(dir.resolve("prometheus.log"));
                for (String name : List.of("fedh_ratio", "fedh_latency_seconds", "fedh_queue_sizes", "fedh_up")) {
                    String q = "/api/v1/query?query=" + enc(name + "[1m]") + "&time=" + at;
                    ObjectMapper json = new ObjectMapper();
                    JsonNode theirs = json.readTree(get(client, promBase + q)).get("data").get("result");
                    JsonNode ours = json.readTree(get(client, "http://" + target + q)).get("data").get("result");
                    assertEquals(1, theirs.size(), name + ": Prometheus stored one series: " + theirs + "\n" + log);
                    assertEquals(1, ours.size(), name + ": " + ours);
                    assertEquals(ours.get(0).get("metric"), theirs.get(0).get("metric"), name);
                    String field = name.equals("fedh_up") ? "values" : "histograms";
                    Map<String, JsonNode> strataByTime = new HashMap<>();
                    for (JsonNode p : ours.get(0).get(field)) strataByTime.put(p.get(0).asText(), p.get(1));
                    JsonNode stored = theirs.get(0).get(field);
                    assertTrue(stored != null && stored.size() >= 5, name + ": Prometheus stored too few samples: " + theirs + "\n" + log);
                    for (JsonNode p : stored) {
                        assertTrue(samePoint(strataByTime.get(p.get(0).asText()), p.get(1)),
                                name + " at " + p.get(0) + ": Prometheus " + p.get(1) + " (Strata has " + ours + ")");
                    }
                    System.out.println(name + ": " + stored.size() + " federated samples equal Strata's");
                }
            }
        } finally {
            if (prom != null) {
                prom.destroy();
                if (!prom.waitFor(10, TimeUnit.SECONDS)) prom.destroyForcibly().waitFor();
            }
            executor.shutdownNow();
        }
    }

    /**
     * Whether a point of Strata's and one of Prometheus's agree: a float exactly; a histogram with the same
     * count, sum, buckets and bucket counts exactly and the same bucket bounds within 1e-9 relative. Only
     * the bounds may differ in the last digits: 2.42 computes them with a power function, 3.x (and Strata)
     * exactly (RealPrometheusNativeHistogramTest compares bounds the same way).
     */
    static boolean samePoint(JsonNode strata, JsonNode prom) {
        if (strata == null) return false;
        if (strata.isTextual()) return strata.equals(prom);
        if (!strata.get("count").equals(prom.get("count")) || !strata.get("sum").equals(prom.get("sum"))) return false;
        JsonNode a = strata.path("buckets"), b = prom.path("buckets");
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).get(0).equals(b.get(i).get(0)) || !a.get(i).get(3).equals(b.get(i).get(3))) return false;
            for (int k = 1; k <= 2; k++) {
                double x = a.get(i).get(k).asDouble(), y = b.get(i).get(k).asDouble();
                if (Math.abs(x - y) > 1e-9 * Math.max(Math.abs(x), Math.abs(y))) return false;
            }
        }
        return true;
    }

    /** The value of a one-series instant query's answer, 0 when it has none. */
    private static double count(HttpClient client, String url) throws Exception {
        JsonNode result = new ObjectMapper().readTree(get(client, url))
                .get("data").get("result");
        return result.isEmpty() ? 0 : result.get(0).get("value").get(1).asDouble();
    }

    /** Prometheus's result order is by its series hash; compare the sorted list of results. */
    private static List<String> normalize(String json) {
        String[] parts = json.split("\\{\"metric\":");
        List<String> out = new java.util.ArrayList<>();
        for (int i = 1; i < parts.length; i++) out.add(parts[i].replaceAll("[,\\]}]+$", ""));
        java.util.Collections.sort(out);
        return out;
    }

    private static String seconds(long ms) {
        StringBuilder s = new StringBuilder();
        dev.strata.store.json.SampleValueFormat.appendTimestamp(ms, s);
        return s.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String get(HttpClient client, String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        assertTrue(r.body() != null);
        return r.body();
    }
}

package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.node.config.NodeConfig;
import dev.strata.node.diff.HistogramEstimates;
import dev.strata.store.concurrent.NamedThreads;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #15, the real-client test: a REAL Prometheus 2.42 with {@code --enable-feature=native-histograms}
 * scrapes (1 s) a target built with the Prometheus Java client, which serves a native-only histogram with
 * three label combinations in the protobuf exposition format, fed by a seeded random source while the test
 * runs; Prometheus remote-writes to a Strata node (real Kafka + Cassandra). After ~75 s, range queries of
 * {@code histogram_count}, {@code rate(..[1m])} and {@code sum by (path)} over the run must give the same
 * series, the same timestamps, and values within 1e-9 relative (histogram results bucket by bucket);
 * {@code histogram_quantile(0.9, rate(..[1m]))} is checked against the 3.x interpolation (see below).
 * The range ends well before the last remote-write flush (Prometheus 2.42 sends a batch within 5 s), so
 * every sample it covers has been sent. Prometheus sends native histograms only
 * with {@code send_native_histograms: true} in its remote_write section (2.42 as 3.x).
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class RealPrometheusNativeHistogramTest {
    private static final double TOLERANCE = 1e-9;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void nativeHistogramsScrapedAndRemoteWrittenByPrometheusQueryLikePrometheus(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        String bin = RealPrometheusMetadataTest.prometheusBinary();
        assumeTrue(bin != null, "the prometheus binary is not on PATH (apt-get install prometheus); skipping");
        long seed = System.nanoTime();
        System.out.println("RealPrometheusNativeHistogramTest seed=" + seed);
        Random random = new Random(seed);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "hreal-node");
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + dir.resolve("data"), "shards=4",
                "kafka.topic=hreal-" + Long.toHexString(seed), "cassandra.keyspace=hreal_" + Long.toHexString(seed & 0xffffffffL),
                "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms")));

        PrometheusRegistry registry = new PrometheusRegistry();
        Histogram latency = Histogram.builder().name("hreal_request_seconds").help("request latency, random")
                .labelNames("path", "code").nativeOnly().register(registry);
        String[][] labels = {{"/a", "200"}, {"/a", "500"}, {"/b", "200"}};
        ScheduledExecutorService observer = Executors.newSingleThreadScheduledExecutor(NamedThreads.named("hreal-observer"));
        // Observations from the seeded source: a log-normal latency per label combination, with a few zeros
        // (the zero bucket) and a varying rate, so quantiles and rates move over the run.
        observer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < labels.length; i++) {
                int n = random.nextInt(5 + 10 * i);
                for (int k = 0; k < n; k++) {
                    double v = random.nextInt(50) == 0 ? 0 : Math.exp(random.nextGaussian() * (0.5 + i) - 3 + i);
                    latency.labelValues(labels[i]).observe(v);
                }
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        Process prom = null;
        try (HTTPServer target = HTTPServer.builder().hostname("127.0.0.1").port(0).registry(registry).buildAndStart();
             NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            NodeHttp.awaitReady(client, base);
            int promPort = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: hreal
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    remote_write:
                      - url: %s/api/v1/write
                        send_native_histograms: true
                    """.formatted(target.getPort(), base));
            long startMs = System.currentTimeMillis();
            prom = new ProcessBuilder(bin, "--config.file=" + dir.resolve("prometheus.yml"), "--enable-feature=native-histograms",
                    "--storage.tsdb.path=" + dir.resolve("prom"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            String promBase = "http://127.0.0.1:" + promPort;

            Thread.sleep(75_000);
            // The range: from Prometheus's start to 15 s ago (three remote-write batch deadlines back).
            long start = startMs / 1000;
            long end = System.currentTimeMillis() / 1000 - 15;
            String selector = "hreal_request_seconds";
            List<String> queries = List.of(
                    "histogram_count(" + selector + ")",
                    "rate(" + selector + "[1m])",
                    "sum by (path) (" + selector + ")");
            String log = "";
            for (String q : queries) {
                String range = "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                        + "&start=" + start + "&end=" + end + "&step=1";
                JsonNode theirs = json.readTree(NodeHttp.getOk(client, promBase + range));
                // Strata reads from its memstore once the Kafka records are applied: retry briefly.
                String mismatch = null;
                for (int attempt = 0; attempt < 20; attempt++) {
                    JsonNode ours = json.readTree(NodeHttp.getOk(client, base + range));
                    mismatch = difference(theirs.get("data"), ours.get("data"));
                    if (mismatch == null) break;
                    Thread.sleep(1000);
                }
                if (mismatch != null) log = Files.readString(dir.resolve("prometheus.log"));
                assertEquals(null, mismatch, q + " (seed " + seed + ")\n" + log);
                int points = 0;
                for (JsonNode s : theirs.get("data").get("result")) points += s.has("values") ? s.get("values").size() : s.get("histograms").size();
                System.out.println(q + ": " + theirs.get("data").get("result").size() + " series, " + points + " points agree");
                assertTrue(points >= 60, q + ": too few points compared: " + points);
            }

            // histogram_quantile(0.9, rate(..[1m])): Prometheus 3 interpolates exponentially within a bucket
            // of a standard exponential schema (prometheus/prometheus#14677, 3.0), 2.42 linearly, and 3.x
            // walks the buckets from the top for q >= 0.5 (#12525, 2.46); Strata follows 3.x. So Prometheus's
            // own rate histograms (equal to Strata's, checked above) give the expected 3.x quantile, and
            // 2.42's answer must equal 2.42's estimate on the same buckets.
            String range = "&start=" + start + "&end=" + end + "&step=1";
            JsonNode rates = json.readTree(NodeHttp.getOk(client, promBase + "/api/v1/query_range?query="
                    + URLEncoder.encode("rate(" + selector + "[1m])", StandardCharsets.UTF_8) + range)).get("data").get("result");
            String quantile = "histogram_quantile(0.9, rate(" + selector + "[1m]))";
            JsonNode theirs = json.readTree(NodeHttp.getOk(client, promBase + "/api/v1/query_range?query=" + URLEncoder.encode(quantile, StandardCharsets.UTF_8) + range)).get("data");
            JsonNode ours = json.readTree(NodeHttp.getOk(client, base + "/api/v1/query_range?query=" + URLEncoder.encode(quantile, StandardCharsets.UTF_8) + range)).get("data");
            List<JsonNode> t = sorted(theirs.get("result")), o = sorted(ours.get("result")), r = sorted(rates);
            assertEquals(metrics(t), metrics(o));
            assertEquals(metrics(t), metrics(r));
            int points = 0;
            for (int i = 0; i < t.size(); i++) {
                JsonNode tv = t.get(i).get("values"), ov = o.get(i).get("values"), rh = r.get(i).get("histograms");
                assertEquals(tv.size(), ov.size(), "points of " + t.get(i).get("metric"));
                assertEquals(tv.size(), rh.size(), "points of " + t.get(i).get("metric"));
                for (int j = 0; j < tv.size(); j++) {
                    String where = quantile + " " + t.get(i).get("metric") + " point " + j + " (seed " + seed + "): ";
                    assertEquals(tv.get(j).get(0).asDouble(), ov.get(j).get(0).asDouble(), where + "timestamp");
                    assertEquals(tv.get(j).get(0).asDouble(), rh.get(j).get(0).asDouble(), where + "timestamp");
                    JsonNode h = rh.get(j).get(1);
                    String old = Double.toString(HistogramEstimates.quantile(0.9, h, false));
                    String expected = Double.toString(HistogramEstimates.quantile(0.9, h, true));
                    assertTrue(close(tv.get(j).get(1).asText(), old), where + "Prometheus 2.42 " + tv.get(j) + " vs 2.42's estimate " + old);
                    assertTrue(close(ov.get(j).get(1).asText(), expected), where + "Strata " + ov.get(j) + " vs 3.x " + expected);
                    points++;
                }
            }
            System.out.println(quantile + ": " + t.size() + " series, " + points + " points agree (3.x interpolation)");
            assertTrue(points >= 60, quantile + ": too few points compared: " + points);
        } finally {
            observer.shutdownNow();
            if (prom != null) {
                prom.destroy();
                if (!prom.waitFor(10, TimeUnit.SECONDS)) prom.destroyForcibly().waitFor();
            }
        }
    }

    /** Null when both query results hold the same series, timestamps and values (1e-9 relative); else why not. */
    private static String difference(JsonNode theirs, JsonNode ours) {
        if (!theirs.get("resultType").equals(ours.get("resultType"))) return "resultType " + theirs.get("resultType") + " vs " + ours.get("resultType");
        List<JsonNode> a = sorted(theirs.get("result"));
        List<JsonNode> b = sorted(ours.get("result"));
        if (a.size() != b.size()) return "series " + metrics(a) + " vs " + metrics(b);
        for (int i = 0; i < a.size(); i++) {
            JsonNode x = a.get(i), y = b.get(i);
            if (!x.get("metric").equals(y.get("metric"))) return "series " + metrics(a) + " vs " + metrics(b);
            for (String field : List.of("values", "histograms")) {
                JsonNode xs = x.path(field), ys = y.path(field);
                if (xs.size() != ys.size()) return x.get("metric") + " " + field + ": " + xs.size() + " points vs " + ys.size();
                for (int j = 0; j < xs.size(); j++) {
                    String d = pointDifference(xs.get(j), ys.get(j));
                    if (d != null) return x.get("metric") + " " + field + " point " + j + ": " + d + "\n  prometheus " + xs.get(j) + "\n  strata     " + ys.get(j);
                }
            }
        }
        return null;
    }

    private static String pointDifference(JsonNode x, JsonNode y) {
        if (x.get(0).asDouble() != y.get(0).asDouble()) return "timestamp";
        JsonNode xv = x.get(1), yv = y.get(1);
        if (xv.isTextual()) return close(xv.asText(), yv.asText()) ? null : "value";
        for (String f : List.of("count", "sum")) if (!close(xv.get(f).asText(), yv.get(f).asText())) return f;
        JsonNode xb = xv.path("buckets"), yb = yv.path("buckets");
        if (xb.size() != yb.size()) return "bucket count";
        for (int k = 0; k < xb.size(); k++) {
            if (xb.get(k).get(0).asInt() != yb.get(k).get(0).asInt()) return "bucket " + k + " boundary rule";
            for (int c = 1; c < 4; c++) if (!close(xb.get(k).get(c).asText(), yb.get(k).get(c).asText())) return "bucket " + k;
        }
        return null;
    }

    private static boolean close(String a, String b) {
        if (a.equals(b)) return true;
        double x = Double.parseDouble(a), y = Double.parseDouble(b);
        if (Double.isNaN(x) || Double.isNaN(y)) return false;
        return Math.abs(x - y) <= TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    }

    private static List<JsonNode> sorted(JsonNode result) {
        List<JsonNode> out = new ArrayList<>();
        result.forEach(out::add);
        out.sort((p, q) -> p.get("metric").toString().compareTo(q.get("metric").toString()));
        return out;
    }

    private static List<String> metrics(List<JsonNode> series) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : series) out.add(s.get("metric").toString());
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

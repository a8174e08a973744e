package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.bench.RemoteWriteRequestEncoder;
import dev.strata.launch.FreePorts;
import dev.strata.node.config.NodeConfig;
import dev.strata.store.model.Labels;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xerial.snappy.Snappy;

/**
 * A cluster of nodes (in this JVM, each with its own HTTP port, data directory and Kafka consumers)
 * over one real Kafka topic and a real Cassandra, against a single node reading the same topic:
 * 3 nodes, R=2, answer a set of queries and metadata calls exactly as the single node, on every node.
 * Node failures (SIGKILL with and without replicas, a rolling restart) are tested with real node
 * processes in {@code dev.strata.node.process.ClusterProcessTest}.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class ClusterEndToEndTest {
    private static final long T0 = (System.currentTimeMillis() - 1_800_000L) / 15_000L * 15_000L;
    private static final int STEPS = 40;
    private static final int SHARDS = 8;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final String[] QUERIES = {
        "http_requests_total",
        "sum by (job) (rate(http_requests_total[5m]))",
        "count(node_load1)",
        "node_load1{instance=\"host-3\"}",
        "topk(3, node_load1)",
        "avg(node_load1) by (zone)",
        "max_over_time(cpu_seconds{mode=~\"u.*\"}[2m])",
        "stddev by (zone) (node_load1)",
        "max by (job) (sum by (job, instance) (rate(http_requests_total[5m])))",
        "sum(rate(http_requests_total[5m])) / count(node_load1)",
        "bottomk by (job) (2, rate(http_requests_total[5m]))",
    };

    @Test
    void clusterAnswersLikeOneNode(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Random random = new Random(seed);
        String topic = "cluster-" + Long.toHexString(seed);
        List<Labels> series = new ArrayList<>();
        for (int h = 0; h < 8; h++) {
            series.add(Labels.of("__name__", "node_load1", "job", "node", "instance", "host-" + h, "zone", "z" + h % 3));
            series.add(Labels.of("__name__", "http_requests_total", "job", h % 2 == 0 ? "api" : "web", "instance", "host-" + h));
            series.add(Labels.of("__name__", "cpu_seconds", "job", "node", "instance", "host-" + h, "mode", h % 2 == 0 ? "user" : "idle"));
        }
        double[][] values = new double[STEPS][series.size()];
        for (int s = 0; s < STEPS; s++) {
            for (int i = 0; i < series.size(); i++) {
                values[s][i] = i % 3 == 0 ? Math.round(random.nextDouble() * 400) / 100.0
                        : (s == 0 ? 0 : values[s - 1][i]) + random.nextInt(50);
            }
        }
        int[] ports = FreePorts.many(4);
        int[] clusterPorts = FreePorts.many(3);
        List<NodeAssembly> started = new ArrayList<>();
        try {
            start(started, kafka, cassandra, topic, ports[0], 0, 1, 1, List.of());
            // The nodes of the cluster talk over their cluster ports, authenticated by a shared secret.
            List<String> peers3 = List.of("127.0.0.1:" + clusterPorts[0], "127.0.0.1:" + clusterPorts[1],
                    "127.0.0.1:" + clusterPorts[2]);
            for (int o = 0; o < 3; o++) start(started, kafka, cassandra, topic, ports[1 + o], o, 3, 2, peers3);
            for (int p : ports) awaitReady(base(p));

            RemoteWriteRequestEncoder encoder = new RemoteWriteRequestEncoder();
            for (int s = 0; s < STEPS; s++) {
                byte[] body = Snappy.compress(encoder.encode(series, values[s], 0, series.size(), T0 + s * 15_000L));
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base(ports[2]) + "/api/v1/write"))
                        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(204, r.statusCode(), r.body());
            }
            String total = String.valueOf(series.size() * STEPS);
            for (int p : ports) awaitSampleCount(base(p), total);

            // 3 nodes (R=2) answer exactly as one node, on every node
            List<String> urls = queryUrls();
            for (String u : urls) {
                String want = get(base(ports[0]) + u);
                assertTrue(want.startsWith("{\"status\":\"success\""), want);
                assertFalse(want.contains("warnings"), want);
                for (int o = 0; o < 3; o++) {
                    String got = get(base(ports[1 + o]) + u);
                    assertFalse(got.contains("warnings"), got);
                    assertEquals(rounded(want), rounded(got), "node " + o + " " + u + " seed=" + seed);
                }
            }
            // ... with the same query statistics (the owners report the samples they loaded), per step too
            for (String u : urls) {
                if (!u.startsWith("/api/v1/query")) continue;
                String want = samplesStats(get(base(ports[0]) + u + "&stats=all"));
                assertTrue(want.contains("\"totalQueryableSamplesPerStep\":[[") && !want.contains("\"totalQueryableSamples\":0"), want);
                for (int o = 0; o < 3; o++) {
                    assertEquals(want, samplesStats(get(base(ports[1 + o]) + u + "&stats=all")), "stats, node " + o + " " + u);
                }
            }
            String status = get(base(ports[1]) + "/api/v1/status/shards");
            assertEquals(SHARDS, status.split("\"readyOwners\":2").length - 1, status);
        } finally {
            for (NodeAssembly n : started) n.close();
        }
    }

    private static final java.util.regex.Pattern SAMPLE_VALUE = java.util.regex.Pattern.compile(",\"(-?[0-9][0-9.e+-]*)\"\\]");

    /**
     * The answer with every sample value rounded to 12 significant digits: pushed-down aggregations add
     * per-shard partial sums, which can differ from one node's single pass in the last bit.
     */
    static String rounded(String json) {
        return SAMPLE_VALUE.matcher(json).replaceAll(m -> ",\"" + String.format(java.util.Locale.ROOT, "%.12g",
                Double.parseDouble(m.group(1))) + "\"]");
    }

    private static final java.util.regex.Pattern SAMPLES_STATS = java.util.regex.Pattern.compile("\"samples\":\\{(.*),\"peakSamples\"");

    /** The per-step and total sample counts of an answer's {@code stats} (not its timings nor peakSamples, a node's own). */
    static String samplesStats(String json) {
        java.util.regex.Matcher m = SAMPLES_STATS.matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    private static List<String> queryUrls() {
        List<String> urls = new ArrayList<>();
        long end = (T0 + (STEPS - 1) * 15_000L) / 1000;
        for (String q : QUERIES) {
            urls.add("/api/v1/query_range?query=" + enc(q) + "&start=" + T0 / 1000 + "&end=" + end + "&step=30");
            urls.add("/api/v1/query?query=" + enc(q) + "&time=" + end);
        }
        urls.add("/api/v1/series?match[]=" + enc("{job=\"node\"}") + "&start=" + T0 / 1000 + "&end=" + end);
        urls.add("/api/v1/labels?start=" + T0 / 1000 + "&end=" + end);
        urls.add("/api/v1/label/instance/values?start=" + T0 / 1000 + "&end=" + end);
        return urls;
    }

    private NodeAssembly start(List<NodeAssembly> started, KafkaBroker kafka, CassandraNode cassandra, String topic, int port,
                               int ordinal, int nodes, int replicas, List<String> peers) throws Exception {
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cluster-node");
        List<String> set = new ArrayList<>(List.of("http.port=" + port, "http.bind=127.0.0.1", "data.dir=" + data,
                "shards=" + SHARDS, "kafka.topic=" + topic, "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms", "node.ordinal=" + ordinal, "cluster.nodes=" + nodes,
                "cluster.replicas=" + replicas, "cluster.peer-timeout=2s", "store.memory-budget-per-shard=16MiB",
                "store.out-of-order-window=1h")); // its samples are 30 min old: the gateway refuses older than this window
        if (!peers.isEmpty()) {
            Path secret = Files.createTempFile("cluster-secret", "");
            Files.writeString(secret, "end-to-end-cluster-secret-0123456789");
            String own = peers.get(ordinal);
            set.addAll(List.of("cluster.peers=" + String.join(",", peers), "cluster.secret-file=" + secret,
                    "cluster.port=" + own.substring(own.lastIndexOf(':') + 1)));
        }
        NodeAssembly node = new NodeAssembly(NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), set)));
        started.add(node);
        node.start();
        return node;
    }

    private static String base(int port) {
        return "http://127.0.0.1:" + port;
    }

    private void awaitSampleCount(String base, String want) throws Exception {
        String q = base + "/api/v1/query?query=" + enc("sum(count_over_time({__name__=~\".+\"}[2h]))") + "&time="
                + (T0 + (STEPS - 1) * 15_000L) / 1000.0;
        String last = "";
        for (int i = 0; i < 600; i++) {
            last = get(q);
            if (last.contains(",\"" + want + "\"]")) return;
            Thread.sleep(100);
        }
        throw new AssertionError(base + " never saw " + want + " samples: " + last);
    }

    private void awaitReady(String base) throws Exception {
        for (int i = 0; i < 900; i++) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (java.io.IOException ignored) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node not ready after 90 s: " + get(base + "/-/ready"));
    }

    private String get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

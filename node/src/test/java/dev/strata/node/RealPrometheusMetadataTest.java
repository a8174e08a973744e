package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.node.config.NodeConfig;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A REAL Prometheus 2.42 scrapes itself and the Strata node, and remote-writes to the node (real Kafka
 * and Cassandra) with {@code metadata_config: {send: true, send_interval: 5s}}. Strata's
 * {@code /api/v1/metadata} then equals Prometheus's own for every metric (compared as data: per metric
 * the set of (type, help, unit) entries, since Prometheus lists them in Go map order and escapes
 * {@code <>&} in JSON strings). After Prometheus stops and the node restarts, the metadata is still
 * answered, from Cassandra, unchanged, also by a node that owns no shard; {@code metric}, {@code limit} and {@code limit_per_metric} are
 * checked against Prometheus's answers on the same data.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class RealPrometheusMetadataTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void prometheusMetadataSentByRemoteWriteIsServedLikePrometheus(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        String bin = prometheusBinary();
        assumeTrue(bin != null, "the prometheus binary is not on PATH (apt-get install prometheus); skipping");
        long seed = System.nanoTime();
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "meta-node");
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + dir.resolve("data"), "shards=4",
                "kafka.topic=meta-" + Long.toHexString(seed), "cassandra.keyspace=meta_" + Long.toHexString(seed & 0xffffffffL),
                "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms")));
        Map<String, Set<JsonNode>> expected;
        Process prom = null;
        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            NodeHttp.awaitReady(client, base);
            int promPort = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: prometheus
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                      - job_name: strata
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    remote_write:
                      - url: %s/api/v1/write
                        metadata_config:
                          send: true
                          send_interval: 5s
                    """.formatted(promPort, node.httpPort(), base));
            prom = new ProcessBuilder(bin, "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("prom"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            String promBase = "http://127.0.0.1:" + promPort;

            // Equal once Prometheus has sent its latest metadata and the node's flush has landed it (a
            // metric family appears in Prometheus's own /metrics only once used, e.g. remote write's).
            Map<String, Set<JsonNode>> ours = Map.of();
            Map<String, Set<JsonNode>> theirs = Map.of();
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline) {
                try {
                    theirs = metadata(NodeHttp.getOk(client, promBase + "/api/v1/metadata"));
                    ours = metadata(NodeHttp.getOk(client, base + "/api/v1/metadata"));
                    if (theirs.size() > 100 && ours.equals(theirs)) break;
                } catch (java.io.IOException e) {
                    // Prometheus is starting
                }
                Thread.sleep(1000);
            }
            assertTrue(theirs.keySet().stream().anyMatch(m -> m.startsWith("strata_")), "both targets' metadata: " + theirs.keySet());
            assertTrue(theirs.containsKey("prometheus_http_requests_total"), theirs.keySet().toString());
            assertEquals(theirs, ours, "prometheus log:\n" + Files.readString(dir.resolve("prometheus.log")));
            expected = ours;

            // The parameters, against Prometheus's own answers on the same metadata.
            String metric = "prometheus_http_request_duration_seconds";
            assertEquals(metadata(NodeHttp.getOk(client, promBase + "/api/v1/metadata?metric=" + metric)), metadata(NodeHttp.getOk(client, base + "/api/v1/metadata?metric=" + metric)));
            assertEquals("{\"status\":\"success\",\"data\":{}}", NodeHttp.getOk(client, base + "/api/v1/metadata?metric=no_such_metric"));
            assertEquals(metadata(NodeHttp.getOk(client, promBase + "/api/v1/metadata?limit=0")), metadata(NodeHttp.getOk(client, base + "/api/v1/metadata?limit=0")));
            assertEquals(7, metadata(NodeHttp.getOk(client, base + "/api/v1/metadata?limit=7")).size());
            assertEquals(7, metadata(NodeHttp.getOk(client, promBase + "/api/v1/metadata?limit=7")).size(), "which 7 Prometheus keeps is its map order");
            for (Set<JsonNode> entries : metadata(NodeHttp.getOk(client, base + "/api/v1/metadata?limit_per_metric=1")).values()) assertEquals(1, entries.size());
            HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/metadata?limit=x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> promBad = client.send(HttpRequest.newBuilder(URI.create(promBase + "/api/v1/metadata?limit=x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(promBad.statusCode(), bad.statusCode());
            assertEquals(json.readTree(promBad.body()), json.readTree(bad.body()));
        } finally {
            if (prom != null) {
                prom.destroy();
                if (!prom.waitFor(10, TimeUnit.SECONDS)) prom.destroyForcibly().waitFor();
            }
        }

        // Restart: nothing sends metadata any more; the new node answers the same from Cassandra, and
        // so does a node that owns no shard (a gateway-only node): the table is the cluster's answer.
        NodeConfig gatewayOnly = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + dir.resolve("gateway-data"), "shards=4", "node.role=gateway",
                "kafka.topic=meta-" + Long.toHexString(seed), "cassandra.keyspace=meta_" + Long.toHexString(seed & 0xffffffffL),
                "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms")));
        try (NodeAssembly node = new NodeAssembly(config); NodeAssembly gateway = new NodeAssembly(gatewayOnly)) {
            node.start();
            gateway.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            NodeHttp.awaitReady(client, base);
            assertEquals(expected, metadata(NodeHttp.getOk(client, base + "/api/v1/metadata")));
            String gatewayBase = "http://127.0.0.1:" + gateway.httpPort();
            NodeHttp.awaitReady(client, gatewayBase);
            assertEquals(expected, metadata(NodeHttp.getOk(client, gatewayBase + "/api/v1/metadata")));
        }
    }

    /** Per metric, the set of its entries ({type, help, unit} objects). */
    private Map<String, Set<JsonNode>> metadata(String body) throws Exception {
        JsonNode root = json.readTree(body);
        assertEquals("success", root.get("status").asText(), body);
        Map<String, Set<JsonNode>> out = new TreeMap<>();
        root.get("data").fields().forEachRemaining(e -> {
            Set<JsonNode> entries = new HashSet<>();
            e.getValue().forEach(entries::add);
            assertEquals(e.getValue().size(), entries.size(), "distinct entries for " + e.getKey());
            out.put(e.getKey(), entries);
        });
        return out;
    }

    static String prometheusBinary() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(p, "prometheus");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.config.NodeConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose Kafka and Cassandra are unreachable: up (healthy) but not ready, and it stops cleanly. */
class NodeAssemblyTest {
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @TempDir
    java.nio.file.Path dataDir;

    @Test
    void healthyButNotReadyWithoutKafkaAndCassandra() throws Exception {
        int dead = closedPort();
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + dataDir, "kafka.bootstrap=127.0.0.1:" + dead,
                "kafka.request-timeout=1s", "cassandra.contact-points=127.0.0.1:" + dead,
                "cassandra.request-timeout=500ms", "node.connect-retry-interval=100ms")));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            HttpResponse<String> healthy = client.send(HttpRequest.newBuilder(URI.create(base + "/-/healthy")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, healthy.statusCode());
            Thread.sleep(300); // a few failed attempts
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("cassandra") && ready.body().contains("kafka") && ready.body().contains("shards"), ready.body());
            assertFalse(node.isReady());
            String metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("\nstrata_node_ready 0\n"), metrics);
            assertTrue(metrics.contains("\nprocess_cpu_seconds_total "), metrics);
            assertTrue(metrics.contains("\njvm_memory_bytes_used{area=\"heap\"} "), metrics);
            // The resolved configuration, as Prometheus's status/config and status/flags shapes.
            String flags = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/status/flags")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(flags.startsWith("{\"status\":\"success\",\"data\":{"), flags);
            assertTrue(flags.contains("\"kafka.bootstrap\":\"127.0.0.1:" + dead + "\""), flags);
            assertTrue(flags.contains("\"kafka.topic\":\"strata-samples\""), flags);
            String yaml = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/status/config")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(yaml.startsWith("{\"status\":\"success\",\"data\":{\"yaml\":\""), yaml);
            assertTrue(yaml.contains("\\nkafka.request-timeout: 1s\\n"), yaml);
        }
        // Closed: the port no longer answers, and no connect thread is left behind.
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("strata-kafka-connect") || t.getName().startsWith("strata-cassandra-connect")));
    }
}

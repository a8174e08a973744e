package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.bench.RemoteWriteRequestEncoder;
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
 * A whole node against a real Kafka broker and a real Cassandra node: Prometheus remote write in,
 * through the gateway, Kafka and the shard consumers into memory and the label index, and PromQL out
 * over the Prometheus HTTP API, with exact timestamps and values. Then a restart of the node on the same
 * data directory: it recovers from its checkpoints (the data flushed to Cassandra is paged back for
 * the query, the rest replayed from Kafka) and answers the same.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class NodeEndToEndTest {
    /** 30 minutes ago, on a 15 s boundary: within the gateway's sample-age limit. */
    private static final long T0 = (System.currentTimeMillis() - 1_800_000L) / 15_000L * 15_000L;
    private static final int STEPS = 40;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void remoteWriteThenPromqlWithExactSamplesAndAfterRestart(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Random random = new Random(seed);
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "e2e-node");
        String topic = "e2e-" + Long.toHexString(seed);
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + data, "store.out-of-order-window=1h", "shards=4", "kafka.topic=" + topic,
                "cassandra.keyspace=e2e_" + Long.toHexString(seed & 0xffffffffL), "flush.interval=2s",
                "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms")));

        List<Labels> series = new ArrayList<>();
        for (int h = 0; h < 6; h++) {
            series.add(Labels.of("__name__", "node_load1", "job", "node", "instance", "host-" + h));
            series.add(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "host-" + h, "code", "200"));
        }
        double[][] values = new double[STEPS][series.size()];
        for (int s = 0; s < STEPS; s++) {
            for (int i = 0; i < series.size(); i++) {
                values[s][i] = i % 2 == 0 ? Math.round(random.nextDouble() * 400) / 100.0 // gauge, 2 decimals
                        : (s == 0 ? 0 : values[s - 1][i]) + random.nextInt(50);   // counter
            }
        }

        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            awaitReady(base);
            RemoteWriteRequestEncoder encoder = new RemoteWriteRequestEncoder();
            for (int s = 0; s < STEPS; s++) {
                byte[] body = Snappy.compress(encoder.encode(series, values[s], 0, series.size(), T0 + s * 15_000L));
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                        .header("Content-Type", "application/x-protobuf")
                        .header("Content-Encoding", "snappy")
                        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(204, r.statusCode(), r.body());
            }
            // A bad request is rejected whole with a 400 naming the problem.
            HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode(), bad.body());

            String expected = expectedMatrix(series, values, 5);
            assertEquals(expected, awaitMatrix(base, "host-5"), "seed=" + seed);
            String labels = get(base + "/api/v1/label/instance/values");
            assertEquals("{\"status\":\"success\",\"data\":[\"host-0\",\"host-1\",\"host-2\",\"host-3\",\"host-4\",\"host-5\"]}", labels);
            String sum = get(base + "/api/v1/query?query=" + enc("sum(node_load1)") + "&time=" + (T0 + 39 * 15_000L) / 1000.0);
            double want = 0;
            for (int i = 0; i < series.size(); i += 2) want += values[STEPS - 1][i];
            assertTrue(sum.contains("\"resultType\":\"vector\""), sum);
            double got = Double.parseDouble(sum.replaceAll(".*\"value\":\\[[0-9.]+,\"([^\"]+)\"].*", "$1"));
            assertEquals(want, got, 1e-9, sum);
            String metrics = get(base + "/metrics");
            assertTrue(metrics.contains("strata_ingest_"), "ingest metrics on /metrics");
            String shards = get(base + "/api/v1/status/shards");
            assertTrue(shards.contains("\"shard\":0") || shards.contains("\"shard\": 0"), shards);
        }

        // Restart on the same data directory: memory is rebuilt from the log, the index reopened.
        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            awaitReady(base);
            assertEquals(expectedMatrix(series, values, 5), get(rangeQuery(base, "host-5")), "seed=" + seed);
        }
    }

    @Test
    void aGatewayOnlyNodeWritesToKafkaAndHoldsNoShards(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "e2e-gateway");
        String topic = "gw-" + Long.toHexString(seed);
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + data, "store.out-of-order-window=1h", "shards=2", "kafka.topic=" + topic,
                "node.role=gateway", "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.keyspace=gw_" + Long.toHexString(seed & 0xffffffffL),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms")));
        List<Labels> series = List.of(Labels.of("__name__", "up", "job", "gw", "instance", "a"),
                Labels.of("__name__", "up", "job", "gw", "instance", "b"));
        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            awaitReady(base);
            byte[] body = Snappy.compress(new RemoteWriteRequestEncoder().encode(series, new double[] {1, 0}, 0, 2, T0));
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, r.statusCode(), r.body());
            assertTrue(get(base + "/api/v1/status/local-shards").contains("\"shards\":[]"), "a gateway holds no shards");
        }
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        p.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p)) {
            var partitions = List.of(new org.apache.kafka.common.TopicPartition(topic, 0), new org.apache.kafka.common.TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int records = 0;
            for (int i = 0; i < 50 && records == 0; i++) records += consumer.poll(java.time.Duration.ofMillis(200)).count();
            assertTrue(records > 0, "the acknowledged write is in Kafka");
        }
    }

    private static String rangeQuery(String base, String instance) {
        return base + "/api/v1/query_range?query=" + enc("http_requests_total{instance=\"" + instance + "\"}")
                + "&start=" + T0 / 1000 + "&end=" + (T0 + (STEPS - 1) * 15_000L) / 1000 + "&step=15";
    }

    private String awaitMatrix(String base, String instance) throws Exception {
        String last = "";
        for (int i = 0; i < 300; i++) {
            last = get(rangeQuery(base, instance));
            if (last.split("\\],\\[").length >= STEPS) return last;
            Thread.sleep(100);
        }
        return last;
    }

    /** The JSON Prometheus answers for the counter series of host-{h}: every sample exactly. */
    private static String expectedMatrix(List<Labels> series, double[][] values, int h) {
        int i = 2 * h + 1;
        StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
                + "{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"instance\":\"host-" + h + "\",\"job\":\"api\"},\"values\":[");
        for (int s = 0; s < STEPS; s++) {
            if (s > 0) sb.append(',');
            long t = T0 + s * 15_000L;
            sb.append('[').append(t / 1000).append(",\"").append(fmt(values[s][i])).append("\"]");
        }
        return sb.append("]}]}}").toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private void awaitReady(String base) throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (java.io.IOException ignored) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node not ready after 60 s: " + get(base + "/-/ready"));
    }

    private String get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

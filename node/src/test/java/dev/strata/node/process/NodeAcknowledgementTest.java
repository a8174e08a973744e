package dev.strata.node.process;

import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.NodeProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.bench.RemoteWriteRequestEncoder;
import dev.strata.launch.FreePorts;
import dev.strata.store.model.Labels;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xerial.snappy.Snappy;

/**
 * Issue #13, case 7: what the gateway acknowledges is stored, or the sender is told. With the node as
 * a separate process and the run's Kafka and Cassandra:
 * <ul>
 *   <li>a sample older than the out-of-order window (which the store would drop behind a newer sample
 *       of its series) is refused with 400, as Prometheus answers out-of-bounds samples; one inside it
 *       is acknowledged and then readable;</li>
 *   <li>a remote-write 1.0 request that holds only native histograms (not stored yet) gets 400 saying
 *       so, not 204.</li>
 * </ul>
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class NodeAcknowledgementTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PromApi api = new PromApi(Duration.ofSeconds(30));

    private HttpResponse<String> post(NodeProcess node, byte[] request) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/write")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSampleOlderThanTheOutOfOrderWindowIsRefusedNotAcknowledged(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        try (NodeProcess node = start(kafka, cassandra, "strata-ack")) {
            node.awaitReady();
            RemoteWriteRequestEncoder encoder = new RemoteWriteRequestEncoder();
            long now = System.currentTimeMillis();
            Labels recent = Labels.of("__name__", "ack_recent", "job", "ack");
            Labels old = Labels.of("__name__", "ack_old", "job", "ack");

            HttpResponse<String> ok = post(node, encoder.encode(List.of(recent), new double[] {1}, 0, 1, now - 5 * 60_000L));
            assertEquals(204, ok.statusCode(), ok.body());

            HttpResponse<String> tooOld = post(node, encoder.encode(List.of(old), new double[] {2}, 0, 1, now - 20 * 60_000L));
            assertEquals(400, tooOld.statusCode(), "a sample older than the out-of-order window is refused: " + tooOld.body());
            assertTrue(tooOld.body().contains("older than the limit"), tooOld.body());

            // What was acknowledged is readable.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            PromApi.Answer a;
            do {
                a = api.query(node.baseUrl(), "ack_recent[10m]", now, "");
                if (a.success() && !a.matrix().isEmpty()) break;
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            assertEquals(1, a.matrix().size(), a.toString());
        }
    }

    @Test
    void aHistogramOnlyRequestIsAcknowledgedAndItsSeriesIndexed(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        try (NodeProcess node = start(kafka, cassandra, "strata-ack-histograms")) {
            node.awaitReady();
            HttpResponse<String> histograms = post(node, histogramOnlyRequest("ack_histogram", System.currentTimeMillis() - 60_000L));
            assertEquals(204, histograms.statusCode(), "native histograms are stored: " + histograms.body());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String series;
            do {
                series = api.get(node.baseUrl() + "/api/v1/series?match[]=ack_histogram");
                if (series.contains("ack_histogram")) break;
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            assertTrue(series.contains("\"__name__\":\"ack_histogram\""), "the histogram's series reached the store: " + series);
        }
    }

    private static NodeProcess start(KafkaBroker kafka, CassandraNode cassandra, String name) throws Exception {
        String id = Long.toHexString(System.nanoTime() & 0xffffffL);
        Path dir = FaultFixtures.tempDir("node-ack").resolve("node");
        List<String> settings = new ArrayList<>(List.of("shards=2", "ingest.spread=1", "kafka.topic=ack-" + id,
                "kafka.bootstrap=" + kafka.bootstrapServers(), "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "cassandra.keyspace=ack_" + id, "node.connect-retry-interval=200ms", "store.memory-budget-per-shard=16MiB",
                "store.out-of-order-window=10m"));
        return NodeProcess.start(name, dir, FreePorts.many(1)[0], settings);
    }

    /** A remote-write 1.0 WriteRequest with one series holding one native histogram sample and no float sample. */
    static byte[] histogramOnlyRequest(String metric, long ts) {
        ByteArrayOutputStream label = new ByteArrayOutputStream();
        field(label, 1, "__name__".getBytes(StandardCharsets.UTF_8));
        field(label, 2, metric.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream histogram = new ByteArrayOutputStream();
        tag(histogram, 1, 0); // count_int
        varint(histogram, 3);
        tag(histogram, 4, 0); // schema (sint32, zigzag)
        varint(histogram, 0);
        tag(histogram, 15, 0); // timestamp
        varint(histogram, ts);
        ByteArrayOutputStream series = new ByteArrayOutputStream();
        field(series, 1, label.toByteArray());
        field(series, 4, histogram.toByteArray());
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        field(request, 1, series.toByteArray());
        return request.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
        tag(out, number, 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void tag(ByteArrayOutputStream out, int number, int wireType) {
        varint(out, ((long) number << 3) | wireType);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}

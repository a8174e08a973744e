package dev.strata.node.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.bench.RemoteWriteRequestEncoder;
import dev.strata.launch.FreePorts;
import dev.strata.node.chaos.AckedRemoteWriter;
import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.NodeMetrics;
import dev.strata.node.chaos.NodeProcess;
import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.SentSamples;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xerial.snappy.Snappy;

/**
 * Issue #13, case 2a (prevention): with Cassandra stopped (SIGSTOP), flushes fail and a shard's oldest
 * unflushed record ages; once it is older than {@code ingest.retention-guard-percent} of
 * {@code kafka.retention} (here 50% of 1 minute), writes to the shard are answered 503 with Retry-After
 * (what Prometheus's remote write retries on, never a 4xx, which it would drop), {@code /-/ready} and
 * the shard status say why, and the age is a metric. After Cassandra resumes (SIGCONT) and the flush
 * catches up, writes are accepted again, and every acknowledged sample reads back exactly once. Node
 * as a separate process, the run's Kafka and Cassandra.
 *
 * <p>{@code -Dstrata.test.guardPercent=0} runs the same test with the guard disabled (the behaviour
 * before it existed): it then fails waiting for the refusal.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class NodeRetentionGuardTest {
    private final long seed = Long.getLong("seed", System.nanoTime());
    private final PromApi api = new PromApi(Duration.ofSeconds(30));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void writesAreRefusedWith503WhileTheOldestUnflushedRecordNearsKafkasRetention(KafkaBroker kafka, CassandraNode cassandra)
            throws Exception {
        System.err.println("NodeRetentionGuardTest seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        String id = "g" + Long.toHexString(seed & 0xffffffL);
        List<String> settings = new ArrayList<>(NodeProcess.faultSettings(kafka.bootstrapServers(),
                cassandra.host() + ":" + cassandra.port(), "guard-" + id, "guard_" + id, 2));
        settings.add("kafka.retention=1m");
        settings.add("ingest.retention-guard-percent=" + Integer.getInteger("strata.test.guardPercent", 50));
        int steps = 3000;
        SentSamples sent = new SentSamples(FaultFixtures.series("guarded", 20, 2), FaultFixtures.firstTimestamp(steps),
                FaultFixtures.STEP_MS, steps, seed);
        SentSamples probe = new SentSamples(FaultFixtures.series("guard_probe", 1, 1), FaultFixtures.firstTimestamp(steps),
                FaultFixtures.STEP_MS, steps, seed + 1);
        int probeStep = 0;
        ProcessHandle cassandraProcess = ProcessHandle.of(cassandra.pid()).orElseThrow();
        try (NodeProcess node = NodeProcess.start("strata-guard", FaultFixtures.tempDir("node-guard").resolve("node"),
                FreePorts.many(1)[0], settings)) {
            node.awaitReady();
            try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, attempt -> node.baseUrl(), 3, Duration.ofMillis(100),
                    Duration.ofSeconds(20)).start()) {
                writer.awaitMoreAcknowledged(20, Duration.ofSeconds(120));
                signal("STOP", cassandraProcess);
                try {
                    // 30 s of unflushed age plus the flush interval and the guard's refresh.
                    String notReady = awaitReady(node, body -> body.contains("retention-guard"), Duration.ofSeconds(150));
                    assertTrue(notReady.contains("writes refused by the retention guard") && notReady.contains("kafka.retention"),
                            notReady);

                    HttpResponse<String> refused = write(node, probe, probeStep);
                    assertEquals(503, refused.statusCode(), "a write to a guarded shard: " + refused.body());
                    assertNotNull(refused.headers().firstValue("Retry-After").orElse(null), "503 with Retry-After");
                    assertTrue(refused.body().contains("oldest record not yet flushed"), refused.body());
                    probeStep++;

                    String status = api.get(node.baseUrl() + "/api/v1/status/local-shards");
                    assertTrue(status.contains("writes refused"), status);
                    double age = NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_oldest_unflushed_age_seconds")
                            .values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
                    assertTrue(age > 30, "the age metric shows it: " + age);
                    double counted = NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_gateway_requests_total")
                            .entrySet().stream().filter(e -> e.getKey().contains("retention_guard"))
                            .collect(java.util.stream.Collectors.toMap(e -> e.getKey(), e -> e.getValue())));
                    assertTrue(counted >= 1, "refusals counted: " + counted);
                } finally {
                    signal("CONT", cassandraProcess);
                }
                // The flush catches up, the age drops, the guard lets writes in again.
                awaitReady(node, body -> body.startsWith("Strata is Ready"), Duration.ofSeconds(180));
                HttpResponse<String> accepted = write(node, probe, probeStep);
                assertEquals(204, accepted.statusCode(), "accepted again: " + accepted.body());
                probe.markAcknowledged(probeStep);
                writer.awaitMoreAcknowledged(20, Duration.ofSeconds(120));
                long refusedByWriter = writer.attempts().stream().filter(a -> a.status() == 503).count();
                assertTrue(refusedByWriter > 0, "the continuous writer saw 503s too");
            }
            ExactlyOnceCheck.Report report = FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "guarded", sent,
                    Duration.ofSeconds(120));
            assertTrue(report.ok(), "every acknowledged sample reads back once; seed=" + seed + "; " + report + "\n" + node.logTail());
            ExactlyOnceCheck.Report probes = FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "guard_probe", probe,
                    Duration.ofSeconds(60));
            assertTrue(probes.ok(), "the accepted probe is stored, the refused one is not; " + probes);
        } finally {
            signal("CONT", cassandraProcess);
        }
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    }

    /** Polls {@code /-/ready} until its body matches; returns that body. */
    private String awaitReady(NodeProcess node, Predicate<String> wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            try {
                body = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/-/ready")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                if (wanted.test(body)) return body;
            } catch (java.io.IOException e) {
                body = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("/-/ready did not get there within " + timeout.toSeconds() + " s; last: " + body + "\n" + node.logTail());
    }

    /** Writes one step of {@code samples} (remote write 1.0). */
    private HttpResponse<String> write(NodeProcess node, SentSamples samples, int step) throws Exception {
        byte[] body = Snappy.compress(new RemoteWriteRequestEncoder().encode(samples.series(), samples.values(step), 0,
                samples.series().size(), samples.timestamp(step)));
        samples.markSending(step);
        return http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/write")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

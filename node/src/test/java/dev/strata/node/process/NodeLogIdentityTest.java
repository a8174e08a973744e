package dev.strata.node.process;

import dev.strata.node.chaos.NodeMetrics;
import dev.strata.node.chaos.AckedRemoteWriter;
import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.SentSamples;
import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.NodeProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.launch.FreePorts;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What checkpoints mean across operational changes (issue #13, cases 1 and 3), with the node as a
 * separate process, the run's Kafka broker and Cassandra node:
 * <ul>
 *   <li>the samples topic deleted and recreated while the node is down: its offsets start again at 0,
 *       below the old checkpoints; the node must read the new log from its beginning (skipping none of
 *       it), keep what is already in Cassandra queryable, and say what happened;</li>
 *   <li>{@code flush.groups} changed between a SIGKILL and the restart, killed at a moment when the
 *       groups' checkpoints differ: no sample that was not flushed may be skipped.</li>
 * </ul>
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class NodeLogIdentityTest {
    private static final int SERIES = 40;

    private final long seed = Long.getLong("seed", System.nanoTime());
    private final PromApi api = new PromApi(Duration.ofSeconds(30));

    private SentSamples samples(String prefix, int steps, long seed) {
        return new SentSamples(FaultFixtures.series(prefix, SERIES, 3), FaultFixtures.firstTimestamp(steps),
                FaultFixtures.STEP_MS, steps, seed);
    }

    /** Writes every step of {@code sent} to the node (each acknowledged, or the test fails). */
    private static void writeAll(NodeProcess node, SentSamples sent) throws InterruptedException {
        try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, attempt -> node.baseUrl(), 5, Duration.ofMillis(5),
                Duration.ofSeconds(10)).start()) {
            writer.awaitMoreAcknowledged(sent.maxSteps(), Duration.ofSeconds(120));
        }
    }

    private static List<String> settings(KafkaBroker kafka, CassandraNode cassandra, String id, int shards, String... more) {
        List<String> s = new ArrayList<>(NodeProcess.faultSettings(kafka.bootstrapServers(), cassandra.host() + ":" + cassandra.port(),
                "logid-" + id, "logid_" + id, shards));
        s.addAll(List.of(more));
        return s;
    }

    @Test
    void aRecreatedTopicIsReadAsANewLogAndNothingOfItIsSkipped(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        System.err.println("NodeLogIdentityTest.recreatedTopic seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        String id = "r" + Long.toHexString(seed & 0xffffffL);
        Path dir = FaultFixtures.tempDir("node-log-identity").resolve("node");
        int port = FreePorts.many(1)[0];
        List<String> settings = settings(kafka, cassandra, id, 2);
        SentSamples before = samples("recreate_before", 400, seed);
        SentSamples after = samples("recreate_after", 150, seed + 1);
        try (NodeProcess node = NodeProcess.start("strata-log-identity", dir, port, settings)) {
            node.awaitReady();
            writeAll(node, before);
            node.terminate(Duration.ofSeconds(60)); // a clean stop: the final flush makes everything durable

            // The operator deletes the topic and creates it again (or Kafka was rebuilt): a new log, offsets from 0.
            try (Admin admin = kafka.admin()) {
                String topic = "logid-" + id;
                admin.deleteTopics(List.of(topic)).all().get();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (true) {
                    try {
                        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
                        break;
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException) || System.nanoTime() > deadline) throw e;
                        Thread.sleep(200); // the deletion is still under way
                    }
                }
            }

            node.restart();
            node.awaitReady();
            writeAll(node, after);
            ExactlyOnceCheck.Report afterReport = FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "recreate_after", after,
                    Duration.ofSeconds(60));
            assertTrue(afterReport.ok(), "every sample written to the new log is there; seed=" + seed + "; " + afterReport
                    + "\n" + node.logTail());
            ExactlyOnceCheck.Report beforeReport = FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "recreate_before", before,
                    Duration.ofSeconds(60));
            assertTrue(beforeReport.ok(), "what the old log had flushed stays queryable; seed=" + seed + "; " + beforeReport);

            Map<String, Double> replaced = NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_log_replaced_total");
            assertEquals(2.0, NodeMetrics.sum(replaced), "each shard counted the new log once: " + replaced);
            assertTrue(node.logText().contains("NEW LOG"), "the node said what happened:\n" + node.logTail());

            // A second restart on the same new log: the checkpoints now name it, nothing is reported again.
            node.terminate(Duration.ofSeconds(60));
            node.restart();
            node.awaitReady();
            assertEquals(0.0, NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_log_replaced_total")));
            assertTrue(FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "recreate_after", after, Duration.ofSeconds(60)).ok());
        }
    }

    @Test
    void changingTheFlushGroupCountBetweenRestartsSkipsNothingUnflushed(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        System.err.println("NodeLogIdentityTest.flushGroups seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        String id = "g" + Long.toHexString(seed & 0xffffffL);
        Path dir = FaultFixtures.tempDir("node-flush-groups").resolve("node");
        int port = FreePorts.many(1)[0];
        // One shard, 4 groups flushed in turn, one every 2 s: their checkpoints differ by seconds of records.
        SentSamples sent = samples("regroup", 3000, seed);
        try (NodeProcess first = NodeProcess.start("strata-groups-4", dir, port, settings(kafka, cassandra, id, 1,
                "flush.interval=8s", "flush.groups=4"))) {
            first.awaitReady();
            try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, attempt -> first.baseUrl(), 3, Duration.ofMillis(10),
                    Duration.ofSeconds(10)).start()) {
                // Kill while group 1's checkpoint is ahead of group 3's (and group 3 has one): with 2 groups,
                // group 3's series fall into group 1 and would be judged by group 1's checkpoint.
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (true) {
                    Map<String, Double> cps = NodeMetrics.scrape(api, first.baseUrl(), "strata_flush_checkpoint_offset");
                    Double g1 = cps.get("group=\"1\",shard=\"0\"");
                    Double g3 = cps.get("group=\"3\",shard=\"0\"");
                    if (g1 != null && g3 != null && g3 > 0 && g1 > g3 + 20) break;
                    if (System.nanoTime() > deadline) throw new AssertionError("checkpoints never differed as needed: " + cps);
                    Thread.sleep(100);
                }
                first.kill();
            }
        }
        try (NodeProcess second = NodeProcess.start("strata-groups-2", dir, port, settings(kafka, cassandra, id, 1,
                "flush.interval=8s", "flush.groups=2"))) {
            second.awaitReady();
            ExactlyOnceCheck.Report report = FaultFixtures.awaitExactlyOnce(api, second.baseUrl(), "regroup", sent,
                    Duration.ofSeconds(60));
            assertTrue(report.ok(), "nothing acknowledged was skipped after the layout change; seed=" + seed + "; " + report
                    + "\n" + second.logTail());
            assertTrue(second.logText().contains("flush groups changed"), "the node said what it did:\n" + second.logTail());
            // Flushed under the new layout, SIGKILLed, restarted: still everything, exactly once.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (NodeMetrics.scrape(api, second.baseUrl(), "strata_flush_checkpoint_offset").size() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            second.kill();
            second.restart();
            second.awaitReady();
            report = FaultFixtures.awaitExactlyOnce(api, second.baseUrl(), "regroup", sent, Duration.ofSeconds(60));
            assertTrue(report.ok(), "after a restart on the new layout; seed=" + seed + "; " + report);
        }
    }
}

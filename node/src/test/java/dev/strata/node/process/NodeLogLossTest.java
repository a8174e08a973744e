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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What Kafka loses, or replaces, under a running node is never skipped silently (issue #13, cases 2
 * and 1 at run time, with case 5's supervision), with node processes, the run's broker and Cassandra:
 * <ul>
 *   <li>the shard node is paused (SIGSTOP) while a gateway-only node keeps acknowledging writes, and
 *       Kafka deletes those records before the shard node read them (retention, done here at once with
 *       deleteRecords): after SIGCONT the lost range is counted in {@code strata_ingest_offsets_lost_total},
 *       logged with its offsets and shown on the status page;</li>
 *   <li>the topic is deleted and recreated while the node runs: the shard is restarted by its supervisor
 *       and reads the new log from its beginning: every sample acknowledged afterwards is readable.</li>
 * </ul>
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class NodeLogLossTest {
    private static final int SERIES = 40;
    private static final int SHARDS = 2;

    private final long seed = Long.getLong("seed", System.nanoTime());
    private final PromApi api = new PromApi(Duration.ofSeconds(30));

    private SentSamples samples(String prefix, int steps, long seed) {
        return new SentSamples(FaultFixtures.series(prefix, SERIES, 3), FaultFixtures.firstTimestamp(steps),
                FaultFixtures.STEP_MS, steps, seed);
    }

    private static void writeAll(String baseUrl, SentSamples sent) throws InterruptedException {
        try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, attempt -> baseUrl, 20, Duration.ofMillis(20),
                Duration.ofSeconds(10)).start()) {
            writer.awaitMoreAcknowledged(sent.maxSteps(), Duration.ofSeconds(180));
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> want = new HashMap<>();
        for (int p = 0; p < SHARDS; p++) want.put(new TopicPartition(topic, p), OffsetSpec.latest());
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin.listOffsets(want).all().get().entrySet()) {
            out.put(e.getKey(), e.getValue().offset());
        }
        return out;
    }

    @Test
    void recordsDeletedBeforeTheyWereReadAreCountedLoggedAndShown(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        System.err.println("NodeLogLossTest.retention seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        String id = "d" + Long.toHexString(seed & 0xffffffL);
        String topic = "loss-" + id;
        List<String> settings = NodeProcess.faultSettings(kafka.bootstrapServers(), cassandra.host() + ":" + cassandra.port(),
                topic, "loss_" + id, SHARDS);
        int[] ports = FreePorts.many(2);
        List<String> gatewaySettings = new ArrayList<>(settings);
        gatewaySettings.add("node.role=gateway");
        SentSamples before = samples("deleted_before", 100, seed);
        SentSamples during = samples("deleted_during", 100, seed + 1);
        try (NodeProcess node = NodeProcess.start("strata-loss-shards", FaultFixtures.tempDir("node-loss").resolve("node"), ports[0], settings);
             NodeProcess gateway = NodeProcess.start("strata-loss-gateway", FaultFixtures.tempDir("node-loss").resolve("gw"), ports[1],
                     gatewaySettings);
             Admin admin = kafka.admin()) {
            node.awaitReady();
            gateway.awaitReady();
            writeAll(gateway.baseUrl(), before);
            assertTrue(FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "deleted_before", before, Duration.ofSeconds(60)).ok());

            Map<TopicPartition, Long> read = endOffsets(admin, topic); // the shard node has read all of these
            ProcessHandle shards = ProcessHandle.of(node.pid()).orElseThrow();
            new ProcessBuilder("kill", "-STOP", Long.toString(shards.pid())).start().waitFor();
            try {
                writeAll(gateway.baseUrl(), during);
                Map<TopicPartition, Long> end = endOffsets(admin, topic);
                Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
                end.forEach((tp, off) -> delete.put(tp, RecordsToDelete.beforeOffset(off)));
                admin.deleteRecords(delete).all().get();
                long expectedLost = 0;
                for (TopicPartition tp : end.keySet()) expectedLost += end.get(tp) - read.get(tp);
                new ProcessBuilder("kill", "-CONT", Long.toString(shards.pid())).start().waitFor();

                // A fetch the consumer had in flight when it was stopped may have been answered with the
                // first records written meanwhile: it reads those, and loses the rest.
                long minLost = expectedLost - 2L * SHARDS;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                double lost = 0;
                while (System.nanoTime() < deadline) {
                    lost = NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_offsets_lost_total"));
                    if (lost >= minLost && loggedLosses(node.logText()) == SHARDS) break;
                    Thread.sleep(200);
                }
                assertTrue(lost >= minLost && lost <= expectedLost, "the deleted, unread offsets are counted: " + lost + " of "
                        + expectedLost + " deleted; seed=" + seed + "\n" + node.logTail());
                assertEquals(SHARDS, loggedLosses(node.logText()), "one DATA LOSS line per shard:\n" + node.logTail());
                assertEquals(lost, loggedLostOffsets(node.logText()), "the logged ranges add up to the counter:\n" + node.logTail());
                String status = api.get(node.baseUrl() + "/api/v1/status/local-shards");
                assertTrue(status.contains("\"offsetsLost\":"), status);
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(shards.pid())).start().waitFor();
            }
            assertTrue(node.isReady(), "the node goes on consuming");
        }
    }

    private static final java.util.regex.Pattern LOSS = java.util.regex.Pattern.compile(
            "DATA LOSS: Kafka deleted offsets (\\d+) to (\\d+) of \\S+ before they were read \\(retention\\); (\\d+) offsets");

    private static int loggedLosses(String log) {
        int n = 0;
        for (java.util.regex.Matcher m = LOSS.matcher(log); m.find(); ) n++;
        return n;
    }

    private static double loggedLostOffsets(String log) {
        double sum = 0;
        for (java.util.regex.Matcher m = LOSS.matcher(log); m.find(); ) {
            long from = Long.parseLong(m.group(1));
            long to = Long.parseLong(m.group(2));
            assertEquals(to - from + 1, Long.parseLong(m.group(3)), m.group());
            sum += Long.parseLong(m.group(3));
        }
        return sum;
    }

    /**
     * Deletes the topic and creates it again with the shard count. A running node's Kafka clients may
     * recreate it first (the broker's auto.create.topics.enable, with its own partition count): a topic
     * with another id is a recreated one, and gets the missing partitions.
     */
    private static void recreate(Admin admin, String topic) throws Exception {
        org.apache.kafka.common.Uuid old = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId();
        admin.deleteTopics(List.of(topic)).all().get();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, SHARDS, (short) 1))).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException) || System.nanoTime() > deadline) throw e;
            }
            try {
                var d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (!d.topicId().equals(old)) {
                    if (d.partitions().size() < SHARDS) {
                        admin.createPartitions(Map.of(topic, org.apache.kafka.clients.admin.NewPartitions.increaseTo(SHARDS))).all().get();
                    }
                    return;
                }
            } catch (ExecutionException e) {
                // deleted between the two calls: create it on the next round
            }
            Thread.sleep(200);
        }
    }

    @Test
    void aTopicRecreatedUnderARunningNodeIsReadFromItsBeginning(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        System.err.println("NodeLogLossTest.recreateRunning seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        String id = "u" + Long.toHexString(seed & 0xffffffL);
        String topic = "loss-" + id;
        List<String> settings = NodeProcess.faultSettings(kafka.bootstrapServers(), cassandra.host() + ":" + cassandra.port(),
                topic, "loss_" + id, SHARDS);
        Path dir = FaultFixtures.tempDir("node-recreate-running").resolve("node");
        SentSamples before = samples("running_before", 300, seed);
        SentSamples after = samples("running_after", 100, seed + 1);
        try (NodeProcess node = NodeProcess.start("strata-recreate-running", dir, FreePorts.many(1)[0], settings);
             Admin admin = kafka.admin()) {
            node.awaitReady();
            writeAll(node.baseUrl(), before);
            // A clean restart: the running node then holds the old log's checkpoints (about 300 per shard),
            // which a new log's first offsets must not be judged by.
            node.terminate(Duration.ofSeconds(60));
            node.restart();
            node.awaitReady();
            assertTrue(FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "running_before", before, Duration.ofSeconds(60)).ok());

            recreate(admin, topic);
            writeAll(node.baseUrl(), after);
            ExactlyOnceCheck.Report report = FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "running_after", after,
                    Duration.ofSeconds(120));
            assertTrue(report.ok(), "every sample acknowledged into the new log is readable; seed=" + seed + "; " + report
                    + "\n" + node.logTail());
            assertTrue(FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "running_before", before, Duration.ofSeconds(60)).ok(),
                    "what the old log had flushed stays queryable");
            assertTrue(NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_shard_restarts_total")) >= 1,
                    "the shards were restarted by their supervisor");
            assertTrue(NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_log_replaced_total")) >= 1);
        }
    }
}

package dev.strata.node.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.launch.FreePorts;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Durability under crashes (issue #6): a node process SIGKILLed at seeded-random moments while a
 * client writes continuously, restarted on the same data directory each time. Afterwards every
 * acknowledged sample is read back through the Prometheus API exactly once, with its exact value;
 * samples that were sent but not acknowledged may be there, at most once. With a 2 s flush interval
 * part of the data is in Cassandra at each kill and the rest is replayed from Kafka.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class NodeSigkillTest {
    private static final int SERIES = 60;
    private static final int MAX_STEPS = 3000;
    private static final int KILLS = 3;

    @Test
    void everyAcknowledgedSampleSurvivesRepeatedSigkillExactlyOnce(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.err.println("NodeSigkillTest seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        Random random = new Random(seed);
        String id = Long.toHexString(seed & 0xffffffffL);
        Path dir = FaultFixtures.tempDir("sigkill");
        SentSamples sent = new SentSamples(FaultFixtures.series("crash", SERIES, 3), FaultFixtures.firstTimestamp(MAX_STEPS),
                FaultFixtures.STEP_MS, MAX_STEPS, seed);
        PromApi api = new PromApi(Duration.ofSeconds(30));
        try (NodeProcess node = NodeProcess.start("strata-sigkill", dir, FreePorts.one(), FaultFixtures.nodeSettings(
                kafka.bootstrapServers(), cassandra.host() + ":" + cassandra.port(), "crash-" + id, "crash_" + id, 4))) {
            node.awaitReady();
            try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, attempt -> node.baseUrl(), 3,
                    Duration.ofMillis(40), Duration.ofSeconds(10)).start()) {
                writer.awaitMoreAcknowledged(30, Duration.ofSeconds(60));
                for (int k = 1; k <= KILLS; k++) {
                    Thread.sleep(1500 + random.nextInt(3000)); // past at least one flush of every group, sometimes two
                    long pid = node.pid();
                    node.kill();
                    System.err.printf("kill %d: SIGKILLed pid %d at step %d (%d acknowledged so far)%n", k, pid,
                            writer.currentStep(), sent.acknowledgedSteps());
                    Thread.sleep(random.nextInt(500));
                    node.restart();
                    node.awaitReady();
                    writer.awaitMoreAcknowledged(30, Duration.ofSeconds(60));
                }
            }
            ExactlyOnceCheck.Report report = FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "crash", sent, Duration.ofSeconds(30));
            String context = "seed=" + seed + ", " + sent.acknowledgedSteps() + " steps of " + SERIES + " series acknowledged, "
                    + sent.unacknowledgedSteps() + " unacknowledged; " + report;
            System.err.println("NodeSigkillTest: " + context);
            assertTrue(report.ok(), context + "\n" + node.logTail());
            String log = node.logText();
            assertTrue(log.contains("recovery from offset") && log.contains("index opened from the volume"),
                    "the restarts recovered from checkpoints and the persisted index; seed=" + seed + "\n" + node.logTail());
        }
    }
}

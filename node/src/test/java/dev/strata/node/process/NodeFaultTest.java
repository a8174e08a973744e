package dev.strata.node.process;

import dev.strata.node.chaos.AckedRemoteWriter;
import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.SentSamples;
import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.NodeProcess;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.launch.FreePorts;
import dev.strata.launch.JavaCommand;
import dev.strata.launch.KafkaServer;
import dev.strata.launch.KafkaServerConfig;
import dev.strata.launch.RuntimeClasspath;
import dev.strata.launch.StrataRoot;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Durability of one node process under faults (issue #6), with a client writing continuously and
 * recording which samples were acknowledged:
 * <ul>
 *   <li>the node SIGKILLed at seeded-random moments, restarted on the same data directory each time, once
 *       SIGKILLed again while restarting;</li>
 *   <li>the Kafka broker SIGKILLed and restarted: the gateway answers 503 meanwhile, acknowledges
 *       nothing, and ingestion resumes by itself.</li>
 * </ul>
 * Afterwards every acknowledged sample is read back through the Prometheus API exactly once with its
 * exact value; samples sent but not acknowledged may be there, at most once. With a 2 s flush interval
 * part of the data is in Cassandra at each kill and the rest is replayed from Kafka.
 *
 * <p>The broker is a forked process on fixed ports ({@link KafkaServer}), not the shared in-process
 * test broker: that one gets new ports on every restart, and a node is given its bootstrap address once.
 * Both tests share the broker and the node (each writes its own metrics); the node is up and ready
 * between them.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeFaultTest {
    private static final int SERIES = 60;
    private static final int MAX_STEPS = 3000;
    private static final int KILLS = 3;
    /** The gateway's producer gives a record up after its delivery timeout (20 s): the 503 comes then. */
    private static final Duration OUTAGE_LIMIT = Duration.ofSeconds(45);

    private final long seed = Long.getLong("seed", System.nanoTime());
    private final PromApi api = new PromApi(Duration.ofSeconds(30));
    private KafkaServer kafka;
    private NodeProcess node;

    @BeforeAll
    void start(CassandraNode cassandra) throws Exception {
        System.err.println("NodeFaultTest seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        String id = Long.toHexString(seed & 0xffffffffL);
        Path dir = FaultFixtures.tempDir("node-faults");
        int[] ports = FreePorts.many(3);
        KafkaServerConfig kafkaConfig = new KafkaServerConfig(dir.resolve("kafka"), "127.0.0.1", ports[0], ports[1], "384m",
                JavaCommand.currentJava(), RuntimeClasspath.kafka(StrataRoot.find()), Duration.ofSeconds(120),
                List.of("-XX:TieredStopAtLevel=1"));
        // The node first: it starts its JVM and schema while the broker starts, retrying Kafka until it answers.
        node = NodeProcess.start("strata-faults", dir.resolve("node"), ports[2], NodeProcess.faultSettings(
                kafkaConfig.bootstrapServers(), cassandra.host() + ":" + cassandra.port(), "faults-" + id, "faults_" + id, 4));
        kafka = KafkaServer.start(kafkaConfig);
        node.awaitReady();
    }

    @AfterAll
    void stop() throws InterruptedException {
        try {
            if (node != null) node.close(); // before the broker, so its final flush and shutdown do not wait for Kafka
        } finally {
            if (kafka != null) kafka.close();
        }
    }

    private SentSamples samples(String prefix, long seed) {
        return new SentSamples(FaultFixtures.series(prefix, SERIES, 3), FaultFixtures.firstTimestamp(MAX_STEPS),
                FaultFixtures.STEP_MS, MAX_STEPS, seed);
    }

    private String context(SentSamples sent, ExactlyOnceCheck.Report report) {
        return "seed=" + seed + ", " + sent.acknowledgedSteps() + " steps of " + SERIES + " series acknowledged, "
                + sent.unacknowledgedSteps() + " unacknowledged; " + report;
    }

    @Test
    void everyAcknowledgedSampleSurvivesRepeatedSigkillExactlyOnce() throws Exception {
        Random random = new Random(seed);
        SentSamples sent = samples("crash", seed);
        try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, attempt -> node.baseUrl(), 3,
                Duration.ofMillis(40), Duration.ofSeconds(10)).start()) {
            writer.awaitMoreAcknowledged(30, Duration.ofSeconds(60));
            for (int k = 1; k <= KILLS; k++) {
                // Anywhere from right after recovery (nothing flushed yet) to past a flush of every group.
                Thread.sleep(random.nextInt(4000));
                long pid = node.pid();
                node.kill();
                System.err.printf("kill %d: SIGKILLed pid %d at step %d (%d acknowledged so far)%n", k, pid,
                        writer.currentStep(), sent.acknowledgedSteps());
                Thread.sleep(random.nextInt(500));
                node.restart();
                if (k == 2) {
                    // Once, a second crash before the restarted node is ready: while it connects, opens and replays.
                    node.awaitListening();
                    Thread.sleep(random.nextInt(1500));
                    boolean wasReady = node.isReady();
                    node.kill();
                    System.err.printf("kill %d: SIGKILLed again during its restart (%s)%n", k, wasReady ? "already ready" : "not ready yet");
                    node.restart();
                }
                node.awaitReady();
                writer.awaitMoreAcknowledged(30, Duration.ofSeconds(60));
            }
        }
        ExactlyOnceCheck.Report report = FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "crash", sent, Duration.ofSeconds(30));
        System.err.println("SIGKILL test: " + context(sent, report));
        assertTrue(report.ok(), context(sent, report) + "\n" + node.logTail());
        String log = node.logText();
        assertTrue(log.contains("recovery from offset") && log.contains("index opened from the volume"),
                "the restarts recovered from checkpoints and the persisted index; seed=" + seed + "\n" + node.logTail());
    }

    @Test
    void nothingAcknowledgedIsLostWhenKafkaDiesAndComesBack() throws Exception {
        SentSamples sent = samples("kafkaout", seed + 1);
        try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, attempt -> node.baseUrl(), 2,
                Duration.ofMillis(40), Duration.ofSeconds(40)).start()) {
            writer.awaitMoreAcknowledged(30, Duration.ofSeconds(60));
            kafka.kill();
            long killedAt = writer.elapsedMs(); // the broker process is gone
            System.err.printf("Kafka SIGKILLed at step %d (%d acknowledged so far)%n", writer.currentStep(), sent.acknowledgedSteps());
            long deadline = System.nanoTime() + OUTAGE_LIMIT.toNanos();
            while (writer.attempts().stream().noneMatch(a -> a.atMs() > killedAt && a.status() == 503)
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            long restartedAt = writer.elapsedMs();
            List<AckedRemoteWriter.Attempt> duringOutage = writer.attempts().stream()
                    .filter(a -> a.atMs() > killedAt + 2000 && a.atMs() < restartedAt).toList(); // 2 s: an answer to an ack just before the kill
            kafka.restart();
            System.err.printf("Kafka restarted after %d ms down; answers meanwhile: %s%n", restartedAt - killedAt,
                    duringOutage.stream().map(a -> a.step() + ":" + a.status()).toList());
            assertTrue(duringOutage.stream().anyMatch(a -> a.status() == 503),
                    "the gateway answered 503 while Kafka was down; seed=" + seed + "; " + duringOutage + "\n" + node.logTail());
            assertFalse(duringOutage.stream().anyMatch(a -> a.status() / 100 == 2),
                    "nothing is acknowledged while Kafka is down; seed=" + seed + "; " + duringOutage);
            writer.awaitMoreAcknowledged(30, Duration.ofSeconds(90));
        }
        ExactlyOnceCheck.Report report = FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "kafkaout", sent, Duration.ofSeconds(60));
        System.err.println("Kafka restart test: " + context(sent, report));
        assertTrue(report.ok(), context(sent, report) + "\n" + node.logTail());
    }
}

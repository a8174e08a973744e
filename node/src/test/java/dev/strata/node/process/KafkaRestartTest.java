package dev.strata.node.process;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Durability across a Kafka outage (issue #6): the broker, a separate process on fixed ports, is
 * SIGKILLed while a client writes continuously to a node process, and restarted once the gateway has
 * answered 503. While the broker is down nothing is acknowledged; after it is back ingestion resumes
 * by itself, and every acknowledged sample is read back exactly once.
 *
 * <p>The broker is forked ({@link KafkaServer}) rather than the shared in-process test broker: that one
 * gets new ports on every restart, and a node is configured with its bootstrap address once.
 */
@ExtendWith(CassandraExtension.class)
class KafkaRestartTest {
    private static final int SERIES = 40;
    private static final int MAX_STEPS = 3000;
    /** The gateway's producer gives a record up after its delivery timeout (20 s): the 503 comes then. */
    private static final Duration OUTAGE_LIMIT = Duration.ofSeconds(45);

    @Test
    void nothingAcknowledgedIsLostWhenKafkaDiesAndComesBack(CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.err.println("KafkaRestartTest seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        String id = Long.toHexString(seed & 0xffffffffL);
        Path dir = FaultFixtures.tempDir("kafka-restart");
        int[] ports = FreePorts.many(3);
        KafkaServerConfig kafkaConfig = new KafkaServerConfig(dir.resolve("kafka"), "127.0.0.1", ports[0], ports[1], "384m",
                JavaCommand.currentJava(), RuntimeClasspath.kafka(StrataRoot.find()), Duration.ofSeconds(120),
                List.of("-XX:TieredStopAtLevel=1"));
        SentSamples sent = new SentSamples(FaultFixtures.series("kafkaout", SERIES, 2), FaultFixtures.firstTimestamp(MAX_STEPS),
                FaultFixtures.STEP_MS, MAX_STEPS, seed);
        // The node first: it starts its JVM and schema while the broker starts, retrying Kafka until it answers.
        try (NodeProcess node = NodeProcess.start("strata-kafka-restart", dir.resolve("node"), ports[2],
                     FaultFixtures.nodeSettings(kafkaConfig.bootstrapServers(), cassandra.host() + ":" + cassandra.port(),
                             "kafkaout-" + id, "kafkaout_" + id, 4));
             KafkaServer kafka = KafkaServer.start(kafkaConfig)) {
            node.awaitReady();
            try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, attempt -> node.baseUrl(), 2,
                    Duration.ofMillis(40), Duration.ofSeconds(40)).start()) {
                writer.awaitMoreAcknowledged(30, Duration.ofSeconds(60));
                long killedAt = writer.elapsedMs();
                kafka.kill();
                System.err.printf("Kafka SIGKILLed at step %d (%d acknowledged so far)%n", writer.currentStep(), sent.acknowledgedSteps());
                long deadline = System.nanoTime() + OUTAGE_LIMIT.toNanos();
                while (writer.attempts().stream().noneMatch(a -> a.atMs() > killedAt && a.status() == 503)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                long restartedAt = writer.elapsedMs();
                List<AckedRemoteWriter.Attempt> duringOutage = writer.attempts().stream()
                        .filter(a -> a.atMs() > killedAt + 1000 && a.atMs() < restartedAt).toList();
                kafka.restart();
                System.err.printf("Kafka restarted after %d ms down; answers meanwhile: %s%n", restartedAt - killedAt,
                        duringOutage.stream().map(a -> a.step() + ":" + a.status()).toList());
                assertTrue(duringOutage.stream().anyMatch(a -> a.status() == 503),
                        "the gateway answered 503 while Kafka was down; seed=" + seed + "; " + duringOutage + "\n" + node.logTail());
                assertFalse(duringOutage.stream().anyMatch(a -> a.status() / 100 == 2),
                        "nothing is acknowledged while Kafka is down; seed=" + seed + "; " + duringOutage);
                writer.awaitMoreAcknowledged(30, Duration.ofSeconds(90));
            }
            ExactlyOnceCheck.Report report = FaultFixtures.awaitExactlyOnce(new PromApi(Duration.ofSeconds(30)), node.baseUrl(),
                    "kafkaout", sent, Duration.ofSeconds(60));
            String context = "seed=" + seed + ", " + sent.acknowledgedSteps() + " steps of " + SERIES + " series acknowledged, "
                    + sent.unacknowledgedSteps() + " unacknowledged; " + report;
            System.err.println("KafkaRestartTest: " + context);
            assertTrue(report.ok(), context + "\n" + node.logTail());
            node.close(); // before the broker, so the node's final flush and shutdown do not wait for Kafka
        }
    }
}

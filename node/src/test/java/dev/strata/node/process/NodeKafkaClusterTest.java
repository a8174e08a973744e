package dev.strata.node.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.launch.KafkaCluster;
import dev.strata.launch.KafkaClusterConfig;
import dev.strata.launch.KafkaClusterMember;
import dev.strata.launch.FreePorts;
import dev.strata.launch.RuntimeClasspath;
import dev.strata.launch.StrataRoot;
import dev.strata.node.chaos.AckedRemoteWriter;
import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.NodeProcess;
import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.SentSamples;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #13 case 4 on a real three-broker Kafka cluster ({@link KafkaCluster}: one controller and three
 * brokers, each its own process): "acknowledged" means on {@code min.insync.replicas} replicas.
 *
 * <p>The node (its own process) creates the samples topic with {@code kafka.replication-factor=3} and the
 * default {@code kafka.min-insync-replicas} (the replication factor minus one: 2); its producer uses acks=all.
 * Under continuous acknowledged remote write, per round:
 * <ol>
 *   <li>SIGKILL the leader of one partition (found with the Admin client): every write is still
 *       acknowledged (the client's retries included; none is given up);</li>
 *   <li>SIGKILL a second broker: one replica is left, fewer than min.insync.replicas, so the gateway
 *       answers 503 and acknowledges nothing (an acknowledgement would mean a sample on one disk only);</li>
 *   <li>restart both: writes are acknowledged again.</li>
 * </ol>
 * At the end every acknowledged sample reads back exactly once, and Kafka itself reports the topic's
 * replication factor 3 and min.insync.replicas 2. With min.insync.replicas=1, or a producer with acks=1,
 * step 2 acknowledges writes and the test fails.
 *
 * <p>One round runs in the suite (about 90 s with the cluster's start on a loaded 2-core machine);
 * {@code -Dstrata.kafkaCluster.rounds=N} runs N, each killing brokers chosen by the seed ({@code -Dseed=});
 * a round uses about 60 of the writer's {@link #MAX_STEPS} steps, so up to about 60 rounds.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeKafkaClusterTest {
    private static final int SERIES = 30;
    private static final int MAX_STEPS = 4000;
    private static final int SHARDS = 4;
    private static final int ROUNDS = Integer.getInteger("strata.kafkaCluster.rounds", 1);
    /** The gateway's producer gives a record up after its delivery timeout (20 s): the 503 comes then. */
    private static final Duration REFUSAL_LIMIT = Duration.ofSeconds(45);

    private final long seed = Long.getLong("seed", System.nanoTime());
    private final PromApi api = new PromApi(Duration.ofSeconds(30));
    private String topic;
    private KafkaCluster kafka;
    private NodeProcess node;

    @BeforeAll
    void start(CassandraNode cassandra) throws Exception {
        System.err.println("NodeKafkaClusterTest seed=" + seed + " rounds=" + ROUNDS + " (rerun with -Dseed=" + seed + ")");
        String id = Long.toHexString(seed & 0xffffffffL);
        topic = "acks-" + id;
        Path dir = FaultFixtures.tempDir("kafka-cluster");
        KafkaClusterConfig cluster = KafkaClusterConfig.onFreePorts(dir.resolve("kafka"), 3,
                RuntimeClasspath.kafka(StrataRoot.find()), List.of("-XX:TieredStopAtLevel=1"));
        List<String> settings = new ArrayList<>(NodeProcess.faultSettings(cluster.bootstrapServers(),
                cassandra.host() + ":" + cassandra.port(), topic, "acks_" + id, SHARDS));
        // Explicit, so the node started alongside the cluster waits for three brokers instead of creating the
        // topic with fewer (the default 0 means 3, or every broker the node sees when fewer); min.insync.replicas
        // keeps its default, the replication factor minus one.
        settings.add("kafka.replication-factor=3");
        // The node first: its JVM starts while the brokers do, retrying Kafka until the topic can be created.
        node = NodeProcess.start("strata-acks", dir.resolve("node"), FreePorts.one(), settings);
        long t0 = System.nanoTime();
        kafka = KafkaCluster.start(cluster);
        System.err.printf("3-broker Kafka cluster ready at %s in %d ms%n", kafka.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
        node.awaitReady();
    }

    @AfterAll
    void stop() throws InterruptedException {
        try {
            if (node != null) node.close(); // before Kafka, so its final flush does not wait for brokers
        } finally {
            if (kafka != null) kafka.close();
        }
    }

    @Test
    void acknowledgedMeansOnMinInsyncReplicasWhileBrokersDie() throws Exception {
        Random random = new Random(seed);
        SentSamples sent = new SentSamples(FaultFixtures.series("acks", SERIES, 3), FaultFixtures.firstTimestamp(MAX_STEPS),
                FaultFixtures.STEP_MS, MAX_STEPS, seed);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
             AckedRemoteWriter writer = new AckedRemoteWriter(sent, attempt -> node.baseUrl(), 4,
                     Duration.ofMillis(40), Duration.ofSeconds(30)).start()) {
            writer.awaitMoreAcknowledged(20, Duration.ofSeconds(60));
            for (int round = 1; round <= ROUNDS; round++) {
                // 1. The leader of a partition dies: the others take over, nothing is refused for good.
                int partition = random.nextInt(SHARDS);
                KafkaClusterMember leader = kafka.broker(leaderOf(admin, partition));
                int firstStep = writer.currentStep() + 1;
                String leaderName = leader.toString();
                leader.kill();
                System.err.printf("%d ms: round %d: SIGKILLed %s, the leader of partition %d, at step %d%n",
                        writer.elapsedMs(), round, leaderName, partition, firstStep - 1);
                writer.awaitMoreAcknowledged(20, Duration.ofSeconds(60));
                // 2. A second broker dies: one replica left, below min.insync.replicas = 2.
                List<KafkaClusterMember> alive = kafka.brokers().stream().filter(KafkaClusterMember::isRunning).toList();
                KafkaClusterMember second = alive.get(random.nextInt(alive.size()));
                int lastStepOneDown = writer.currentStep() - 1;
                String secondName = second.toString();
                second.kill();
                long killedAt = writer.elapsedMs();
                System.err.printf("%d ms: round %d: SIGKILLed %s at step %d%n", killedAt, round, secondName, lastStepOneDown + 1);
                List<Integer> givenUp = new ArrayList<>();
                for (int s = firstStep; s <= lastStepOneDown; s++) if (!sent.acknowledged(s)) givenUp.add(s);
                assertTrue(givenUp.isEmpty(), "with one broker of three down every write is acknowledged; given up: "
                        + givenUp + "; seed=" + seed + "\n" + node.logTail());

                long deadline = System.nanoTime() + REFUSAL_LIMIT.toNanos();
                while (refusals(writer, killedAt).isEmpty() && acknowledgedSentAfter(writer, killedAt).isEmpty()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                Thread.sleep(1000); // a little more of the outage, to see that the refusal lasts
                long restartedAt = writer.elapsedMs();
                List<AckedRemoteWriter.Attempt> acked = acknowledgedSentAfter(writer, killedAt);
                List<AckedRemoteWriter.Attempt> refused = refusals(writer, killedAt);
                System.err.printf("round %d: two brokers down for %d ms: %d refusals (503), %d acknowledgements%n",
                        round, restartedAt - killedAt, refused.size(), acked.size());
                assertTrue(acked.isEmpty(), "with one replica left nothing is acknowledged (min.insync.replicas=2); seed="
                        + seed + "; acknowledged: " + acked);
                assertTrue(!refused.isEmpty(), "the gateway answered 503 with one replica left; seed=" + seed
                        + "; answers: " + writer.attempts().stream().filter(a -> a.atMs() > killedAt).toList());

                // 3. Both come back: writes are acknowledged again.
                long t0 = System.nanoTime();
                kafka.restart(List.of(leader, second));
                System.err.printf("%d ms: round %d: restarted %s and %s in %d ms%n", writer.elapsedMs(), round, leader, second, (System.nanoTime() - t0) / 1_000_000);
                writer.awaitMoreAcknowledged(10, Duration.ofSeconds(90));
                if (round < ROUNDS) awaitFullIsr(admin, Duration.ofSeconds(60)); // the next round starts from three in-sync replicas
            }
        }
        ExactlyOnceCheck.Report report = FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "acks", sent, Duration.ofSeconds(60));
        String context = "seed=" + seed + ", " + sent.acknowledgedSteps() + " steps of " + SERIES + " series acknowledged, "
                + sent.unacknowledgedSteps() + " unacknowledged; " + report;
        System.err.println("3-broker acks test: " + context);
        assertTrue(report.ok(), context + "\n" + node.logTail());
        assertTopicAsCreated();
    }

    /** Kafka's own view of the topic the node created: 3 replicas of every partition, min.insync.replicas=2. */
    private void assertTopicAsCreated() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertEquals(SHARDS, d.partitions().size());
            for (TopicPartitionInfo p : d.partitions()) {
                assertEquals(3, p.replicas().size(), "replicas of " + topic + "-" + p.partition() + ": " + p.replicas());
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("2", config.get("min.insync.replicas").value(), "min.insync.replicas of " + topic);
            assertEquals(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG,
                    config.get("min.insync.replicas").source(), "set on the topic by the node, not a broker default");
        }
    }

    /** The node id of the current leader of {@code partition} of the samples topic. */
    private int leaderOf(Admin admin, int partition) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        TopicPartitionInfo p = d.partitions().get(partition);
        if (p.leader() == null) throw new AssertionError("partition " + partition + " of " + topic + " has no leader: " + p);
        return p.leader().id();
    }

    /** Waits until every partition of the samples topic has all 3 replicas in sync again. */
    private void awaitFullIsr(Admin admin, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<TopicPartitionInfo> lagging = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().filter(p -> p.isr().size() < 3).toList();
            if (lagging.isEmpty()) return;
            if (System.nanoTime() > deadline) throw new AssertionError("partitions not back to 3 in-sync replicas: " + lagging);
            Thread.sleep(200);
        }
    }

    private static List<AckedRemoteWriter.Attempt> refusals(AckedRemoteWriter writer, long afterMs) {
        return writer.attempts().stream().filter(a -> a.atMs() > afterMs && a.status() == 503).toList();
    }

    /**
     * Acknowledged requests that left the client after {@code afterMs}: the writer sends one request at a
     * time, so a request started after its predecessor's answer. (The request in flight at the kill may
     * carry an acknowledgement Kafka gave before it, and is not counted.)
     */
    private static List<AckedRemoteWriter.Attempt> acknowledgedSentAfter(AckedRemoteWriter writer, long afterMs) {
        List<AckedRemoteWriter.Attempt> all = writer.attempts();
        List<AckedRemoteWriter.Attempt> out = new ArrayList<>();
        for (int k = 1; k < all.size(); k++) {
            if (all.get(k - 1).atMs() > afterMs && all.get(k).status() / 100 == 2) out.add(all.get(k));
        }
        return out;
    }
}

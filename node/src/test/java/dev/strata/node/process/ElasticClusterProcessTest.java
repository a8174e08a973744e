package dev.strata.node.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.launch.FreePorts;
import dev.strata.node.chaos.AckedRemoteWriter;
import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.NodeProcess;
import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.SentSamples;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #21 with node processes over one real Kafka and Cassandra, membership dynamic (no
 * {@code cluster.nodes}, no peer list): 3 nodes, R=2, 8 shards, under continuous remote write and a
 * query loop through the nodes in service:
 * <ol>
 *   <li>a 4th node joins: it gets a quarter of the 16 replica slots, every shard ends with 2 ready owners;</li>
 *   <li>one node is SIGKILLed: after the failure timeout its slots move, every shard has 2 ready owners again;</li>
 *   <li>one node gets SIGTERM: it hands its shards over before it exits, and leaves the member list;</li>
 * </ol>
 * throughout: no query fails or warns, and every acknowledged sample reads back exactly once.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class ElasticClusterProcessTest {
    private static final int SHARDS = 8;
    private static final int SERIES = 32;
    private static final int MAX_STEPS = 3000;
    private static final Duration SETTLE = Duration.ofSeconds(3);
    /** Membership timing: short, so a killed node is down after 3 s. */
    private static final List<String> TIMING = List.of("cluster.heartbeat-interval=500ms", "cluster.failure-timeout=3s",
            "cluster.leave-timeout=40s");
    private static final Pattern READY_OWNERS = Pattern.compile("\"readyOwners\":(\\d+)");

    private final long seed = Long.getLong("seed", System.nanoTime());
    private final PromApi api = new PromApi(Duration.ofSeconds(30));
    private final List<NodeProcess> nodes = new ArrayList<>();
    /** 1 while node i takes client traffic (as a Service's endpoints would). */
    private final AtomicIntegerArray inService = new AtomicIntegerArray(4);

    @Test
    void nodesJoinCrashAndLeaveWithoutAFailedQueryOrALostSample(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        System.err.println("ElasticClusterProcessTest seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        String id = Long.toHexString(seed & 0xffffffffL);
        int[] ports = FreePorts.many(8); // 0-3: HTTP, 4-7: cluster
        Path base = FaultFixtures.tempDir("elastic");
        Path secret = base.resolve("cluster-secret");
        Files.writeString(secret, Long.toHexString(new java.security.SecureRandom().nextLong()) + "-cluster-secret");
        List<String> common = new ArrayList<>(NodeProcess.faultSettings(kafka.bootstrapServers(),
                cassandra.host() + ":" + cassandra.port(), "elastic-" + id, "elastic_" + id, SHARDS));
        common.addAll(TIMING);
        common.addAll(List.of("cluster.replicas=2", "cluster.secret-file=" + secret, "cluster.advertise-address=127.0.0.1"));
        try {
            long t0 = System.nanoTime();
            for (int o = 0; o < 3; o++) start(o, base, ports, common);
            for (int o = 0; o < 3; o++) awaitInService(o, Duration.ofSeconds(120));
            awaitReplicated(0, 3, Duration.ofSeconds(90));
            System.err.printf("3 dynamic nodes ready, every shard at 2 ready owners: %d ms%n", ms(t0));

            SentSamples sent = new SentSamples(FaultFixtures.series("elastic", SERIES, 4), FaultFixtures.firstTimestamp(MAX_STEPS),
                    FaultFixtures.STEP_MS, MAX_STEPS, seed);
            QueryLoad queries;
            try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, this::inServiceNode, 3, Duration.ofMillis(40),
                    Duration.ofSeconds(10)).start()) {
                writer.awaitMoreAcknowledged(20, Duration.ofSeconds(60));
                queries = new QueryLoad(api, n -> inServiceNode(n + 1), "elastic", sent, SETTLE).start();
                try {
                    // 1. A 4th node joins.
                    long t1 = System.nanoTime();
                    start(3, base, ports, common);
                    awaitInService(3, Duration.ofSeconds(90));
                    String status = awaitReplicated(0, 4, Duration.ofSeconds(90));
                    assertEquals(SHARDS * 2 / 4, slots(status, 3), "the new node holds a quarter of the replica slots: " + status);
                    System.err.printf("node 3 joined, every shard at 2 ready owners: %d ms%n", ms(t1));
                    writer.awaitMoreAcknowledged(10, Duration.ofSeconds(60));

                    // 2. SIGKILL: R restored on the others after the failure timeout.
                    long t2 = System.nanoTime();
                    inService.set(1, 0);
                    nodes.get(1).kill();
                    status = awaitReplicated(0, 4, Duration.ofSeconds(90), 1);
                    assertEquals(0, slots(status, 1), "the killed node's slots moved: " + status);
                    System.err.printf("node 1 SIGKILLed, R=2 restored on 0, 2, 3: %d ms%n", ms(t2));
                    writer.awaitMoreAcknowledged(10, Duration.ofSeconds(60));

                    // 3. SIGTERM: the node hands its shards over before it exits.
                    long t3 = System.nanoTime();
                    inService.set(2, 0);
                    Thread.sleep(300); // clients move away first, as endpoints drop a terminating pod
                    int code = nodes.get(2).terminate(Duration.ofSeconds(90));
                    assertEquals(143, code, "node 2 exits after its shutdown hook\n" + nodes.get(2).logTail());
                    String log = nodes.get(2).logText();
                    assertTrue(log.contains("every shard handed over") || log.contains("holds no shard"),
                            "node 2 handed over before it stopped:\n" + nodes.get(2).logTail());
                    awaitReplicated(0, 4, Duration.ofSeconds(60), 1, 2);
                    status = awaitStatus(0, s -> !s.contains("{\"node\":2,"), Duration.ofSeconds(10));
                    assertTrue(!status.contains("{\"node\":2,"), "the node that left is no longer a member: " + status);
                    System.err.printf("node 2 SIGTERMed and left, every shard at 2 ready owners on 0, 3: %d ms%n", ms(t3));
                    writer.awaitMoreAcknowledged(10, Duration.ofSeconds(60));
                } finally {
                    queries.close();
                }
            }
            System.err.println(queries.rounds() + " query rounds, " + sent.acknowledgedSteps() + " steps acknowledged");
            assertTrue(queries.problems().isEmpty(), "queries while nodes joined, crashed and left: " + queries.problems() + "; seed=" + seed);
            assertTrue(queries.rounds() >= 5, "only " + queries.rounds() + " query rounds ran");
            for (int o : new int[] {0, 3}) {
                ExactlyOnceCheck.Report r = FaultFixtures.awaitExactlyOnce(api, nodes.get(o).baseUrl(), "elastic", sent, Duration.ofSeconds(30));
                assertTrue(r.ok(), "read through node " + o + ": " + r + "; seed=" + seed);
            }
        } finally {
            for (NodeProcess n : nodes) n.close();
        }
    }

    private void start(int ordinal, Path base, int[] ports, List<String> common) {
        List<String> settings = new ArrayList<>(common);
        settings.addAll(List.of("node.ordinal=" + ordinal, "cluster.port=" + ports[4 + ordinal]));
        nodes.add(NodeProcess.start("strata-elastic-" + ordinal, base.resolve("node-" + ordinal), ports[ordinal], settings));
    }

    /** Clients use a node once it is ready (joined, its shards caught up), as a Service's endpoints would. */
    private void awaitInService(int ordinal, Duration timeout) throws InterruptedException {
        nodes.get(ordinal).awaitReady(timeout);
        inService.set(ordinal, 1);
    }

    private String inServiceNode(int n) {
        List<NodeProcess> up = new ArrayList<>();
        for (int o = 0; o < nodes.size(); o++) if (inService.get(o) == 1) up.add(nodes.get(o));
        return up.get(Math.floorMod(n, up.size())).baseUrl();
    }

    /**
     * Waits until node {@code via}'s status shows every shard with 2 ready owners, no handoff in progress and
     * none of {@code gone} owning a slot; returns that status.
     */
    private String awaitReplicated(int via, int members, Duration timeout, int... gone) throws Exception {
        String status = awaitStatus(via, s -> replicated(s, gone), timeout);
        if (!replicated(status, gone)) {
            throw new AssertionError("not every shard at 2 ready owners within " + timeout.toSeconds() + " s (seed=" + seed + "): " + status);
        }
        return status;
    }

    /** Node {@code via}'s {@code /api/v1/status/shards} once {@code done} holds, or the last one read at the timeout. */
    private String awaitStatus(int via, java.util.function.Predicate<String> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = api.get(nodes.get(via).baseUrl() + "/api/v1/status/shards");
            if (done.test(status)) return status;
            Thread.sleep(250);
        }
        return status;
    }

    private static boolean replicated(String status, int... gone) {
        Matcher m = READY_OWNERS.matcher(status);
        int shards = 0;
        while (m.find()) {
            if (!m.group(1).equals("2")) return false;
            shards++;
        }
        if (shards != SHARDS || !status.contains("\"handoffs\":[]")) return false;
        for (int g : gone) if (slots(status, g) != 0) return false;
        return true;
    }

    /** Replica slots the status's members list gives node {@code ordinal} (0 when it is not listed). */
    private static int slots(String status, int ordinal) {
        Matcher m = Pattern.compile("\\{\"node\":" + ordinal + ",\"address\":\"[^\"]*\",\"zone\":\"[^\"]*\",\"state\":\"[a-z]+\",\"slots\":(\\d+)")
                .matcher(status);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}

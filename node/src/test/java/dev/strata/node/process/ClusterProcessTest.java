package dev.strata.node.process;

import dev.strata.node.chaos.AckedRemoteWriter;
import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.SentSamples;
import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.NodeProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.launch.FreePorts;
import dev.strata.query.distributed.PartialResponseEvaluator;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clusters of node processes over one real Kafka and one real Cassandra (issue #8), each node a
 * separate JVM on its own port and data directory, peers from a static list:
 * <ul>
 *   <li>3 nodes, R=2: one SIGKILLed under ingest; queries through the survivors complete without
 *       warnings and read every acknowledged sample exactly once; restarted, it recovers and serves again;</li>
 *   <li>2 nodes, R=1: one SIGKILLed; a query gets a partial-data warning, or with
 *       {@code partial_response=false} an {@code unavailable} error;</li>
 *   <li>3 nodes, R=2: a rolling restart (SIGTERM one node at a time, the next once it is ready again)
 *       under continuous ingest and queries: no query error, no warning, no acknowledged sample lost.</li>
 * </ul>
 * Clients (writer, queries) use the nodes that are not being restarted, as a Kubernetes Service would.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessTest {
    private static final int SHARDS = 8;
    private static final int SERIES = 48;
    private static final int MAX_STEPS = 3000;
    /** Samples acknowledged this long ago must be visible through any node (the owners' consumer lag). */
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private final long seed = Long.getLong("seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final PromApi api = new PromApi(Duration.ofSeconds(30));
    private final List<NodeProcess> r2 = new ArrayList<>();
    /** 0-2: the R=2 nodes' HTTP ports, 3-4: the R=1 nodes'; 5-9: their cluster ports, in the same order. */
    private int[] ports;
    private final List<NodeProcess> r1 = new ArrayList<>();
    /** 1 while node i of {@link #r2} takes client traffic. */
    private final AtomicIntegerArray inService = new AtomicIntegerArray(new int[] {1, 1, 1});

    @BeforeAll
    void startClusters(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        System.err.println("ClusterProcessTest seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        String id = Long.toHexString(seed & 0xffffffffL);
        ports = FreePorts.many(10); // 0-4: HTTP ports, 5-9: their cluster ports
        String cassandraAddress = cassandra.host() + ":" + cassandra.port();
        start(r2, ports, 0, 3, 2, NodeProcess.faultSettings(kafka.bootstrapServers(), cassandraAddress, "r2-" + id, "r2_" + id, SHARDS));
        start(r1, ports, 3, 2, 1, NodeProcess.faultSettings(kafka.bootstrapServers(), cassandraAddress, "r1-" + id, "r1_" + id, SHARDS));
        for (NodeProcess n : r2) n.awaitReady();
        for (NodeProcess n : r1) n.awaitReady();
    }

    private static void start(List<NodeProcess> cluster, int[] ports, int from, int nodes, int replicas, List<String> common)
            throws Exception {
        List<String> peers = new ArrayList<>();
        for (int o = 0; o < nodes; o++) peers.add("127.0.0.1:" + ports[5 + from + o]);
        Path base = FaultFixtures.tempDir("cluster-r" + replicas);
        java.nio.file.Path secret = base.resolve("cluster-secret");
        java.nio.file.Files.writeString(secret, Long.toHexString(new java.security.SecureRandom().nextLong()) + "-cluster-secret");
        for (int o = 0; o < nodes; o++) {
            List<String> settings = new ArrayList<>(common);
            settings.addAll(List.of("node.ordinal=" + o, "cluster.nodes=" + nodes, "cluster.replicas=" + replicas,
                    "cluster.peers=" + String.join(",", peers), "cluster.port=" + ports[5 + from + o],
                    "cluster.secret-file=" + secret));
            cluster.add(NodeProcess.start("strata-r" + replicas + "-" + o, base.resolve("node-" + o), ports[from + o], settings));
        }
    }

    @AfterAll
    void stopClusters() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (NodeProcess n : concat(r2, r1)) {
            stops.add(CompletableFuture.runAsync(() -> {
                try {
                    n.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
    }

    /** Every node of the R=2 cluster up and ready, even after a failed test left one down. */
    @BeforeEach
    void allNodesUp() throws InterruptedException {
        for (int o = 0; o < r2.size(); o++) {
            if (!r2.get(o).isAlive()) {
                r2.get(o).restart();
                r2.get(o).awaitReady();
            }
            inService.set(o, 1);
        }
    }

    /** The base URL of the {@code n}-th node in service, round robin. */
    private String inServiceNode(int n) {
        List<NodeProcess> up = new ArrayList<>();
        for (int o = 0; o < r2.size(); o++) if (inService.get(o) == 1) up.add(r2.get(o));
        return up.get(Math.floorMod(n, up.size())).baseUrl();
    }

    private AckedRemoteWriter writer(SentSamples sent) {
        return new AckedRemoteWriter(sent, this::inServiceNode, 3, Duration.ofMillis(40), Duration.ofSeconds(10));
    }

    private static SentSamples samples(String prefix, long seed) {
        return new SentSamples(FaultFixtures.series(prefix, SERIES, 4), FaultFixtures.firstTimestamp(MAX_STEPS),
                FaultFixtures.STEP_MS, MAX_STEPS, seed);
    }

    @Test
    @Order(1)
    void replicasKeepQueriesCompleteWhenANodeIsKilledAndItRecovers() throws Exception {
        SentSamples sent = samples("kill", seed);
        int victim = random.nextInt(3);
        NodeProcess dead = r2.get(victim);
        try (AckedRemoteWriter writer = writer(sent).start()) {
            writer.awaitMoreAcknowledged(30, Duration.ofSeconds(60));
            inService.set(victim, 0);
            dead.kill();
            System.err.printf("R=2: SIGKILLed node %d at step %d (%d acknowledged)%n", victim, writer.currentStep(), sent.acknowledgedSteps());
            writer.awaitMoreAcknowledged(20, Duration.ofSeconds(60));
            String status = api.get(r2.get((victim + 1) % 3).baseUrl() + "/api/v1/status/shards");
            // Peers are known by their cluster port.
            assertTrue(status.contains("\"node\":" + victim + ",\"address\":\"127.0.0.1:" + ports[5 + victim] + "\",\"up\":false")
                    && status.contains("\"state\":\"down\"") && !status.contains("\"readyOwners\":0"),
                    "the survivors see node " + victim + " down and every shard still owned by a ready node: " + status);
            for (int o = 0; o < 3; o++) {
                if (o == victim) continue;
                ExactlyOnceCheck.Report r = FaultFixtures.awaitExactlyOnce(api, r2.get(o).baseUrl(), "kill", sent, SETTLE,
                        Duration.ofSeconds(30));
                assertTrue(r.ok(), "node " + victim + " killed, read through node " + o + ": " + r + "; seed=" + seed);
            }
            dead.restart();
            dead.awaitReady();
            inService.set(victim, 1);
            writer.awaitMoreAcknowledged(20, Duration.ofSeconds(60));
        }
        for (int o = 0; o < 3; o++) {
            ExactlyOnceCheck.Report r = FaultFixtures.awaitExactlyOnce(api, r2.get(o).baseUrl(), "kill", sent, Duration.ofSeconds(30));
            assertTrue(r.ok(), "node " + victim + " restarted, read through node " + o + ": " + r + "; seed=" + seed);
        }
        String log = dead.logText();
        assertTrue(log.contains("recovery from offset") && log.contains("index opened from the volume"),
                "the killed node recovered from its checkpoints and index; seed=" + seed + "\n" + dead.logTail());
    }

    @Test
    @Order(2)
    void withoutReplicasAKilledNodeGivesAPartialDataWarningOrAnError() throws Exception {
        SentSamples sent = samples("single", seed + 1);
        try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, n -> r1.get(0).baseUrl(), 3, Duration.ZERO,
                Duration.ofSeconds(10)).start()) {
            writer.awaitMoreAcknowledged(10, Duration.ofSeconds(60));
        }
        ExactlyOnceCheck.Report full = FaultFixtures.awaitExactlyOnce(api, r1.get(0).baseUrl(), "single", sent, Duration.ofSeconds(30));
        assertTrue(full.ok(), "both nodes up: " + full + "; seed=" + seed);
        r1.get(1).kill();
        String count = "count(" + FaultFixtures.selector("single") + ")";
        long at = sent.lastAcknowledgedTimestamp();
        PromApi.Answer partial = api.query(r1.get(0).baseUrl(), count, at, "");
        assertTrue(partial.success(), partial.toString());
        assertEquals(1, partial.warnings().size(), partial.toString());
        assertTrue(partial.warnings().get(0).startsWith(PartialResponseEvaluator.WARNING_PREFIX), partial.toString());
        PromApi.Answer strict = api.query(r1.get(0).baseUrl(), count, at, "&partial_response=false");
        assertEquals(500, strict.status(), strict.toString());
        assertTrue(strict.body().contains("\"errorType\":\"unavailable\"") && strict.body().contains("partial_response=false"),
                strict.toString());
    }

    @Test
    @Order(3)
    void aRollingRestartUnderIngestAndQueriesLosesNothingAndFailsNoQuery() throws Exception {
        SentSamples sent = samples("roll", seed + 2);
        List<String> restarts = new ArrayList<>();
        QueryLoad queries;
        try (AckedRemoteWriter writer = writer(sent).start()) {
            writer.awaitMoreAcknowledged(30, Duration.ofSeconds(60));
            queries = new QueryLoad(api, n -> inServiceNode(n + 1), "roll", sent, SETTLE).start();
            try {
                for (int o = 0; o < 3; o++) {
                    NodeProcess node = r2.get(o);
                    inService.set(o, 0);
                    Thread.sleep(500); // clients move away first, as endpoints drop a terminating pod
                    long t0 = System.nanoTime();
                    int code = node.terminate(Duration.ofSeconds(60));
                    assertEquals(143, code, "node " + o + " exits after its shutdown hook on SIGTERM\n" + node.logTail());
                    long stopped = System.nanoTime();
                    node.restart();
                    node.awaitReady();
                    inService.set(o, 1);
                    restarts.add(String.format("node %d: stopped in %d ms, ready again %d ms later", o,
                            (stopped - t0) / 1_000_000, (System.nanoTime() - stopped) / 1_000_000));
                    writer.awaitMoreAcknowledged(15, Duration.ofSeconds(60));
                }
            } finally {
                queries.close();
            }
        }
        System.err.println("rolling restart: " + restarts + "; " + queries.rounds() + " query rounds, "
                + sent.acknowledgedSteps() + " steps acknowledged");
        assertTrue(queries.problems().isEmpty(), "queries during the rolling restart: " + queries.problems() + "; seed=" + seed);
        assertTrue(queries.rounds() >= 10, "only " + queries.rounds() + " query rounds ran");
        for (int o = 0; o < 3; o++) {
            ExactlyOnceCheck.Report r = FaultFixtures.awaitExactlyOnce(api, r2.get(o).baseUrl(), "roll", sent, Duration.ofSeconds(30));
            assertTrue(r.ok(), "after the rolling restart, read through node " + o + ": " + r + "; seed=" + seed);
        }
    }

    private static List<NodeProcess> concat(List<NodeProcess> a, List<NodeProcess> b) {
        List<NodeProcess> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

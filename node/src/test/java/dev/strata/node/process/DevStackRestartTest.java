package dev.strata.node.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.launch.ChildProcess;
import dev.strata.launch.FreePorts;
import dev.strata.launch.JavaCommand;
import dev.strata.launch.PidFile;
import dev.strata.launch.Readiness;
import dev.strata.node.chaos.AckedRemoteWriter;
import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.SentSamples;
import dev.strata.store.sharding.ShardMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code strata dev --nodes 3 --replicas 2} as a user runs it (its own JVM, forking real Kafka,
 * Cassandra and three node processes) behaves like a StatefulSet controller: node 1 SIGKILLed is
 * restarted after the back-off and becomes ready again, the launcher and nodes 0 and 2 keep running,
 * and queries through nodes 0 and 2 meanwhile all succeed, complete and without a partial-data
 * warning (R=2: the surviving replica serves). Then (issue 21, item 9) a fourth node is started by hand
 * with {@code strata node --config F}, F a copy of node 0's generated strata.yaml with only http.port,
 * node.ordinal and data.dir changed: it joins (dynamic membership), ends with about a quarter of the
 * replica slots, every shard at 2 ready owners, while queries through nodes 0 and 2 see no failure and no
 * partial-data warning, and every acknowledged sample reads back exactly once through it. {@code strata
 * admin drain 3} then moves every slot off it (every shard stays at 2 ready owners), {@code undrain}
 * makes it eligible again, and SIGTERM makes it leave. Then node 1 is killed again and strata is sent
 * SIGTERM while that restart is under way: no process of the stack is left behind.
 */
class DevStackRestartTest {
    private static final int NODES = 3;
    /** Steps of 1 s from 8 min ago, written 4 per second: all inside the gateway's default 10 min window. */
    private static final int MAX_STEPS = 400;
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final int REPLICAS = 2;
    /** The hand-started node's HTTP port: base + 7, past the nodes, Kafka's two and Cassandra's two ports. */
    private static final int HAND_PORT_OFFSET = NODES + 4;
    private static final int HAND_ORDINAL = NODES;

    private final long seed = Long.getLong("seed", System.nanoTime());
    private final PromApi api = new PromApi(Duration.ofSeconds(30));

    @Test
    void aKilledNodeIsRestartedWhileTheOthersServeAndSigtermLeavesNothingBehind() throws Exception {
        System.err.println("DevStackRestartTest seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        Path base = FaultFixtures.tempDir("dev-restart");
        int port = freeRange(new Random(seed));
        String[] urls = new String[NODES];
        for (int i = 0; i < NODES; i++) urls[i] = "http://127.0.0.1:" + (port + i);
        JavaCommand command = new JavaCommand(JavaCommand.currentJava(),
                List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dstrata.root=" + System.getProperty("strata.root")),
                System.getProperty("java.class.path"), "dev.strata.node.Main",
                List.of("dev", "--data", base.toString(), "--port", Integer.toString(port), "--nodes", Integer.toString(NODES),
                        "--replicas", Integer.toString(REPLICAS), "--kafka-port", Integer.toString(port + NODES),
                        "--cassandra-port", Integer.toString(port + NODES + 2),
                        "--cassandra-storage-port", Integer.toString(port + NODES + 3)));
        long t0 = System.nanoTime();
        ChildProcess dev = ChildProcess.start("strata-dev", command, base, base.resolve("dev.log"), base.resolve("dev.pid"));
        try {
            dev.awaitReady(dev.logLine("strata dev: ready in"), Duration.ofSeconds(300));
            System.err.printf("dev stack with %d nodes ready in %d ms%n", NODES, millisSince(t0));
            assertEquals(NODES + 2, dev.handle().children().filter(ProcessHandle::isAlive).count(),
                    "Kafka, Cassandra and the nodes: " + describe(dev.handle().children().toList()));
            long[] pids = new long[NODES];
            for (int i = 0; i < NODES; i++) pids[i] = PidFile.read(base.resolve("node-" + i).resolve("server.pid")).orElseThrow();

            SentSamples sent = new SentSamples(FaultFixtures.series("dev", 48, 4), (System.currentTimeMillis() - 480_000) / 1000 * 1000,
                    FaultFixtures.STEP_MS, MAX_STEPS, seed);
            QueryLoad queries;
            long killedAt;
            long readyAgainAt;
            try (AckedRemoteWriter writer = new AckedRemoteWriter(sent, n -> urls[n % 2 == 0 ? 0 : 2], 3,
                    Duration.ofMillis(250), Duration.ofSeconds(10)).start()) {
                writer.awaitMoreAcknowledged(20, Duration.ofSeconds(60));
                ExactlyOnceCheck.Report before = FaultFixtures.awaitExactlyOnce(api, urls[0], "dev", sent, SETTLE, Duration.ofSeconds(30));
                assertTrue(before.ok(), "all nodes up: " + before + "; seed=" + seed);
                queries = new QueryLoad(api, n -> urls[n % 2 == 0 ? 0 : 2], "dev", sent, SETTLE).start();
                try {
                    killedAt = System.nanoTime();
                    ProcessHandle.of(pids[1]).orElseThrow().destroyForcibly();
                    awaitLine(dev, "strata dev: node 1 exited with code 137; restarting in 2 s (restart 1)", Duration.ofSeconds(20));
                    awaitLine(dev, "strata dev: node 1 ready again", Duration.ofSeconds(150));
                    readyAgainAt = System.nanoTime();
                    assertTrue(Readiness.httpOk(URI.create(urls[1] + "/-/ready")).isReady(), "node 1 answers /-/ready");
                    long newPid = PidFile.read(base.resolve("node-1").resolve("server.pid")).orElseThrow();
                    assertNotEquals(pids[1], newPid, "node 1 is a new process");
                    assertTrue(dev.isAlive(), "the launcher is still running");
                    for (int i : new int[] {0, 2}) {
                        assertTrue(ProcessHandle.of(pids[i]).map(ProcessHandle::isAlive).orElse(false), "node " + i + " kept running");
                    }
                    writer.awaitMoreAcknowledged(10, Duration.ofSeconds(60));
                } finally {
                    queries.close();
                }
                System.err.printf("node 1 SIGKILLed, ready again %d ms later; %d query rounds through nodes 0 and 2 meanwhile%n",
                        (readyAgainAt - killedAt) / 1_000_000, queries.rounds());
                assertTrue(queries.problems().isEmpty(), "queries while node 1 was down: " + queries.problems() + "; seed=" + seed);
                assertTrue(queries.rounds() >= 5, "only " + queries.rounds() + " query rounds ran");
                ExactlyOnceCheck.Report after = FaultFixtures.awaitExactlyOnce(api, urls[1], "dev", sent, Duration.ofSeconds(30));
                assertTrue(after.ok(), "read through the restarted node 1: " + after + "; seed=" + seed);

                joinByHandThenDrain(base, port + HAND_PORT_OFFSET, urls, sent);
            }

            // Killed again; SIGTERM to strata while that restart is under way.
            long again = PidFile.read(base.resolve("node-1").resolve("server.pid")).orElseThrow();
            ProcessHandle.of(again).orElseThrow().destroyForcibly();
            // 4 s: the back-off doubled; 2 s if node 1 had stayed up RestartBackoff.DEV's 60 s (a slow, loaded machine)
            String exited = awaitLine(dev, "strata dev: node 1 exited with code 137; restarting in ", 2, Duration.ofSeconds(20));
            assertTrue(exited.endsWith("restarting in 4 s (restart 2)") || exited.endsWith("restarting in 2 s (restart 2)"), exited);
            String restarted = awaitLine(dev, "strata dev: node 1 restarted as pid", 2, Duration.ofSeconds(20));
            long starting = Long.parseLong(restarted.replaceAll("^.*restarted as pid (\\d+).*$", "$1"));
            List<ProcessHandle> stack = dev.handle().descendants().toList();
            assertEquals(NODES + 2, stack.stream().filter(ProcessHandle::isAlive).count(), "with node 1 starting: " + describe(stack));
            assertTrue(stack.stream().anyMatch(p -> p.pid() == starting), "node 1's new process " + starting + " in " + describe(stack));
            long t1 = System.nanoTime();
            int code = dev.stop(Duration.ofSeconds(120));
            System.err.printf("strata dev stopped by SIGTERM in %d ms (exit code %d) during node 1's restart%n", millisSince(t1), code);
            assertEquals(143, code, "strata dev ends through its shutdown hook\n" + dev.logTail());
            List<ProcessHandle> left = stack.stream().filter(ProcessHandle::isAlive).toList();
            assertTrue(left.isEmpty(), "processes left behind: " + describe(left));
        } finally {
            dev.kill(); // no-op once it has stopped; the reaper's hook in strata then stops the rest
        }
    }

    /**
     * Issue 21, item 9 and the drain: node 3 started by hand from a copy of node 0's strata.yaml joins,
     * takes about a quarter of the replica slots (make-before-break: no query through nodes 0 and 2
     * fails or warns), is drained to nothing and undrained, then stopped with SIGTERM (it leaves).
     */
    private void joinByHandThenDrain(Path base, int httpPort, String[] urls, SentSamples sent) throws Exception {
        String url = "http://127.0.0.1:" + httpPort;
        Path dir = base.resolve("node-" + HAND_ORDINAL);
        Files.createDirectories(dir);
        Map<String, Object> yaml = new Yaml().load(Files.readString(base.resolve("node-0").resolve("strata.yaml")));
        Map<String, Object> copy = new LinkedHashMap<>(yaml);
        copy.put("http", Map.of("port", httpPort));
        copy.put("node", Map.of("ordinal", HAND_ORDINAL));
        copy.put("data", Map.of("dir", dir.resolve("data").toString()));
        assertEquals(Set.of("http", "node", "data"), changedKeys(yaml, copy), "only http.port, node.ordinal and data.dir differ");
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path config = Files.writeString(dir.resolve("strata.yaml"), new Yaml(block).dump(copy));
        long t0 = System.nanoTime();
        ChildProcess hand = ChildProcess.start("strata-node-" + HAND_ORDINAL, new JavaCommand(JavaCommand.currentJava(),
                        List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dstrata.root=" + System.getProperty("strata.root")),
                        System.getProperty("java.class.path"), "dev.strata.node.Main", List.of("node", "--config", config.toString())),
                dir, dir.resolve("server.log"), dir.resolve("server.pid"));
        int slots = replicaSlots();
        QueryLoad queries = new QueryLoad(api, n -> urls[n % 2 == 0 ? 0 : 2], "dev", sent, SETTLE).start();
        try {
            hand.awaitReady(Readiness.httpOk(URI.create(url + "/-/ready")), Duration.ofSeconds(120));
            ShardsStatus joined = awaitStatus(urls[0], s -> s.converged() && Math.abs(s.slots(HAND_ORDINAL) * (NODES + 1) - slots) <= NODES + 1,
                    "node " + HAND_ORDINAL + " owns about a quarter of " + slots + " slots, every shard at " + REPLICAS + " ready owners",
                    Duration.ofSeconds(90));
            System.err.printf("node %d started by hand: joined and converged in %d ms (epoch %d, %d of %d slots)%n", HAND_ORDINAL,
                    millisSince(t0), joined.epoch(), joined.slots(HAND_ORDINAL), slots);
            ExactlyOnceCheck.Report through = FaultFixtures.awaitExactlyOnce(api, url, "dev", sent, Duration.ofSeconds(30));
            assertTrue(through.ok(), "read through the hand-started node " + HAND_ORDINAL + ": " + through + "; seed=" + seed);

            long t1 = System.nanoTime();
            assertEquals(0, admin("drain", urls[0], dir), "strata admin drain " + HAND_ORDINAL);
            ShardsStatus drained = awaitStatus(urls[0], s -> s.converged() && s.slots(HAND_ORDINAL) == 0
                            && "drained".equals(s.state(HAND_ORDINAL)),
                    "node " + HAND_ORDINAL + " drained, owning nothing, every shard at " + REPLICAS + " ready owners", Duration.ofSeconds(60));
            System.err.printf("node %d drained in %d ms (epoch %d)%n", HAND_ORDINAL, millisSince(t1), drained.epoch());
            assertEquals(0, admin("undrain", urls[0], dir), "strata admin undrain " + HAND_ORDINAL);
            awaitStatus(urls[0], s -> s.slots(HAND_ORDINAL) > 0, "node " + HAND_ORDINAL + " gets slots again after undrain",
                    Duration.ofSeconds(30));
        } finally {
            queries.close();
            int code = hand.stop(Duration.ofSeconds(30)); // SIGTERM: it leaves (hands its shards back first)
            System.err.printf("node %d stopped with SIGTERM (exit %d) %d ms after it was started%n", HAND_ORDINAL, code, millisSince(t0));
        }
        assertTrue(queries.problems().isEmpty(), "queries while node " + HAND_ORDINAL + " joined and was drained: "
                + queries.problems() + "; seed=" + seed);
        assertTrue(queries.rounds() >= 3, "only " + queries.rounds() + " query rounds ran");
    }

    /** Replica slots of the stack: shards x replicas. */
    private static int replicaSlots() {
        return ShardMapper.DEFAULT_SHARDS * REPLICAS;
    }

    private static Set<String> changedKeys(Map<String, Object> a, Map<String, Object> b) {
        Set<String> changed = new TreeSet<>();
        for (String k : b.keySet()) if (!Objects.equals(a.get(k), b.get(k))) changed.add(k);
        for (String k : a.keySet()) if (!b.containsKey(k)) changed.add(k);
        return changed;
    }

    /** {@code strata admin drain|undrain 3 --url URL} as its own process, as a user runs it; its exit code. */
    private static int admin(String action, String url, Path dir) throws Exception {
        ChildProcess p = ChildProcess.start("strata-admin", new JavaCommand(JavaCommand.currentJava(),
                        List.of("-XX:TieredStopAtLevel=1", "-Dstrata.root=" + System.getProperty("strata.root")),
                        System.getProperty("java.class.path"), "dev.strata.node.Main",
                        List.of("admin", action, Integer.toString(HAND_ORDINAL), "--url", url)),
                dir, dir.resolve("admin-" + action + ".log"), dir.resolve("admin.pid"));
        int code = p.waitFor();
        System.err.print(Files.readString(p.log()));
        return code;
    }

    /** What the test reads of /api/v1/status/shards. */
    private record ShardsStatus(long epoch, Map<Integer, String> states, Map<Integer, Integer> slotsByNode, List<Integer> readyOwners,
                                int handoffs) {
        static ShardsStatus parse(JsonNode data) {
            Map<Integer, String> states = new TreeMap<>();
            Map<Integer, Integer> slots = new TreeMap<>();
            for (JsonNode m : data.path("members")) {
                states.put(m.path("node").asInt(), m.path("state").asText());
                slots.put(m.path("node").asInt(), m.path("slots").asInt());
            }
            List<Integer> ready = new ArrayList<>();
            for (JsonNode sh : data.path("shards")) ready.add(sh.path("readyOwners").asInt());
            return new ShardsStatus(data.path("epoch").asLong(), states, slots, ready, data.path("handoffs").size());
        }

        int slots(int node) {
            return slotsByNode.getOrDefault(node, 0);
        }

        String state(int node) {
            return states.getOrDefault(node, "absent");
        }

        /** Every shard at R ready owners and no handoff under way. */
        boolean converged() {
            return handoffs == 0 && readyOwners.size() == ShardMapper.DEFAULT_SHARDS && readyOwners.stream().allMatch(r -> r == REPLICAS);
        }
    }

    private ShardsStatus awaitStatus(String url, Predicate<ShardsStatus> done, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            try {
                last = api.get(url + "/api/v1/status/shards");
                ShardsStatus s = ShardsStatus.parse(JSON.readTree(last).path("data"));
                if (done.test(s)) return s;
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) throw new AssertionError("not reached within " + timeout.toSeconds() + " s: " + what + "; last status: " + last);
            Thread.sleep(250);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + (p.isAlive() ? " " : " (gone) ") + p.info().command().orElse("?")).toList();
    }

    private static void awaitLine(ChildProcess dev, String line, Duration timeout) throws Exception {
        awaitLine(dev, line, 1, timeout);
    }

    /** Waits until strata dev has printed a line holding {@code start} {@code nth} times; returns that line. */
    private static String awaitLine(ChildProcess dev, String start, int nth, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = Files.readAllLines(dev.log()).stream().filter(l -> l.contains(start)).toList();
            if (lines.size() >= nth) return lines.get(nth - 1);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("strata dev did not print \"" + start + "\" (" + nth + ") within "
                        + timeout.toSeconds() + " s:\n" + dev.logTail());
            }
            if (!dev.isAlive()) throw new AssertionError("strata dev exited (waiting for \"" + start + "\"):\n" + dev.logTail());
            Thread.sleep(100);
        }
    }

    /**
     * A base port P with P..P+7 free: the nodes, Kafka client + controller, Cassandra CQL + storage, the
     * hand-started node. (Cluster ports are picked free by each node: dynamic membership announces them.)
     */
    private static int freeRange(Random random) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = 20000 + random.nextInt(30000);
            boolean free = true;
            for (int i = 0; i <= HAND_PORT_OFFSET && free; i++) free = !FreePorts.accepts("127.0.0.1", p + i);
            if (free) return p;
        }
        throw new IllegalStateException("no free port range found");
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

package dev.strata.node.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.launch.ChildProcess;
import dev.strata.launch.FreePorts;
import dev.strata.launch.JavaCommand;
import dev.strata.launch.PidFile;
import dev.strata.launch.Readiness;
import dev.strata.node.chaos.AckedRemoteWriter;
import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.SentSamples;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code strata dev --nodes 3 --replicas 2} as a user runs it (its own JVM, forking real Kafka,
 * Cassandra and three node processes) behaves like a StatefulSet controller: node 1 SIGKILLed is
 * restarted after the back-off and becomes ready again, the launcher and nodes 0 and 2 keep running,
 * and queries through nodes 0 and 2 meanwhile all succeed, complete and without a partial-data
 * warning (R=2: the surviving replica serves). Then node 1 is killed again and strata is sent SIGTERM
 * while that restart is under way: no process of the stack is left behind.
 */
class DevStackRestartTest {
    private static final int NODES = 3;
    /** Steps of 1 s from 8 min ago, written 4 per second: all inside the gateway's default 10 min window. */
    private static final int MAX_STEPS = 400;
    private static final Duration SETTLE = Duration.ofSeconds(3);

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
                        "--replicas", "2", "--kafka-port", Integer.toString(port + NODES),
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
            }
            System.err.printf("node 1 SIGKILLed, ready again %d ms later; %d query rounds through nodes 0 and 2 meanwhile%n",
                    (readyAgainAt - killedAt) / 1_000_000, queries.rounds());
            assertTrue(queries.problems().isEmpty(), "queries while node 1 was down: " + queries.problems() + "; seed=" + seed);
            assertTrue(queries.rounds() >= 5, "only " + queries.rounds() + " query rounds ran");
            ExactlyOnceCheck.Report after = FaultFixtures.awaitExactlyOnce(api, urls[1], "dev", sent, Duration.ofSeconds(30));
            assertTrue(after.ok(), "read through the restarted node 1: " + after + "; seed=" + seed);

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

    /** A base port P with P..P+6 (nodes, Kafka client + controller, Cassandra CQL + storage) and P+100..P+102 free. */
    private static int freeRange(Random random) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = 20000 + random.nextInt(30000);
            boolean free = true;
            for (int i = 0; i < NODES + 4 && free; i++) free = !FreePorts.accepts("127.0.0.1", p + i);
            for (int i = 0; i < NODES && free; i++) free = !FreePorts.accepts("127.0.0.1", p + 100 + i);
            if (free) return p;
        }
        throw new IllegalStateException("no free port range found");
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

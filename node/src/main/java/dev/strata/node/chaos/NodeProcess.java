package dev.strata.node.chaos;

import dev.strata.launch.ChildProcess;
import dev.strata.launch.JavaCommand;
import dev.strata.launch.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Strata node ({@code dev.strata.node.Main node}) as a separate OS process, forked from this test
 * JVM's classpath through the launcher's {@link ChildProcess} (as {@code strata dev} forks its nodes),
 * for fault tests: SIGKILL it, SIGTERM it, start it again on the same data directory and port.
 *
 * <p>The node listens on a fixed loopback port (peers of a cluster name each other by port, and a
 * restarted node must be found where it was). Its output goes to {@code dir/server.log}, appended
 * across restarts, so a failing test can quote what the node said. Its state is in {@code dir/data}.
 * Not thread-safe: the test thread drives it.
 */
public final class NodeProcess implements AutoCloseable {
    /** C1 only and a small heap: a test node lives seconds, and the machine is shared. */
    private static final List<String> JVM_FLAGS = List.of("-Xms64m", "-Xmx384m", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
            // Which peer failed to answer for which shards (and why): the reason behind a partial-data warning.
            "-Dorg.slf4j.simpleLogger.log.dev.strata.query.distributed.ShardRouter=debug");
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final Path dir;
    private final int port;
    private List<String> settings;
    /** JVM flags after {@link #JVM_FLAGS} (a later -Xmx wins). */
    private final List<String> jvmFlags;
    private ChildProcess process;
    private int starts;
    private long launchedNanos;

    private NodeProcess(String name, Path dir, int port, List<String> settings, List<String> jvmFlags) {
        this.jvmFlags = List.copyOf(jvmFlags);
        this.name = name;
        this.dir = dir;
        this.port = port;
        this.settings = List.copyOf(settings);
    }

    /**
     * Forks a node on {@code 127.0.0.1:port} with its state in {@code dir/data}; {@code settings} are
     * further {@code key=value} configuration entries (Kafka, Cassandra, shards, cluster...). Returns
     * at once; see {@link #awaitReady()}.
     */
    public static NodeProcess start(String name, Path dir, int port, List<String> settings) {
        return start(name, dir, port, settings, List.of());
    }

    /** {@link #start(String, Path, int, List)} with further JVM flags (e.g. another {@code -Xmx}). */
    public static NodeProcess start(String name, Path dir, int port, List<String> settings, List<String> jvmFlags) {
        NodeProcess node = new NodeProcess(name, dir, port, settings, jvmFlags);
        node.launch();
        return node;
    }

    /**
     * Settings of a node process over the given Kafka and Cassandra: a short flush interval (so some of
     * the data is in Cassandra when a node dies and the rest is replayed from Kafka), a small memory
     * budget, a peer timeout long enough for a loaded machine.
     */
    public static List<String> faultSettings(String kafkaBootstrap, String cassandraContactPoint, String topic, String keyspace,
                                     int shards) {
        return List.of("shards=" + shards, "ingest.spread=" + Math.min(2, Integer.numberOfTrailingZeros(shards)), "kafka.topic=" + topic, "kafka.bootstrap=" + kafkaBootstrap,
                "cassandra.contact-points=" + cassandraContactPoint, "cassandra.keyspace=" + keyspace,
                "flush.interval=2s", "flush.groups=4", "node.connect-retry-interval=200ms",
                "store.memory-budget-per-shard=16MiB", "kafka.request-timeout=5s",
                // Fault tests and the fault suite write samples up to a few hours old; the gateway refuses older than this window.
                "store.out-of-order-window=3h",
                // A killed peer refuses connections at once; a live one on this shared, overloaded machine can
                // take longer than the default 2 s to answer a select, and would then count as down (a
                // partial-data warning with R=1 although every node is up: seen at load 35 on 2 cores).
                "cluster.peer-timeout=10s");
    }

    /** Starts the node again on the same data directory, port and settings (after {@link #kill} or {@link #terminate}). */
    public void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is still running (pid " + process.pid() + ")");
        }
        launch();
    }

    /** Starts the node again on the same data directory and port with other settings (e.g. a changed {@code flush.groups}). */
    public void restart(List<String> newSettings) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is still running (pid " + process.pid() + ")");
        }
        settings = List.copyOf(newSettings);
        launch();
    }

    /** The {@code key=value} settings of the current (or last) start. */
    public List<String> settings() {
        return settings;
    }

    private void launch() {
        try {
            Files.createDirectories(dir.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        List<String> args = new ArrayList<>(List.of("node", "--http.bind=127.0.0.1", "--http.port=" + port,
                "--data.dir=" + dir.resolve("data")));
        for (String s : settings) args.add("--" + s);
        List<String> flags = new ArrayList<>(JVM_FLAGS);
        flags.addAll(jvmFlags);
        JavaCommand command = new JavaCommand(JavaCommand.currentJava(), flags,
                System.getProperty("java.class.path"), "dev.strata.node.Main", args);
        try {
            // To rerun a failed node by hand.
            Files.writeString(dir.resolve("command.txt"), String.join(" ", command.toCommandLine()) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("command.txt"), e);
        }
        launchedNanos = System.nanoTime();
        process = ChildProcess.start(name, command, dir, log(), dir.resolve("server.pid"));
        starts++;
    }

    /** Waits until the node's HTTP port accepts connections and {@code /-/ready} answers 200. */
    public void awaitReady() throws InterruptedException {
        awaitReady(READY_TIMEOUT);
    }

    /** Waits until the node's HTTP port accepts connections (it may still be connecting or recovering). */
    public void awaitListening() throws InterruptedException {
        requireStarted().awaitReady(Readiness.tcp("127.0.0.1", port), READY_TIMEOUT);
    }

    /** Whether {@code /-/ready} answers 200 right now. */
    public boolean isReady() {
        return Readiness.httpOk(URI.create(baseUrl() + "/-/ready")).isReady();
    }

    public void awaitReady(Duration timeout) throws InterruptedException {
        long t0 = System.nanoTime();
        requireStarted().awaitReady(Readiness.tcp("127.0.0.1", port), timeout);
        long listening = System.nanoTime();
        Duration rest = timeout.minusNanos(listening - t0);
        requireStarted().awaitReady(Readiness.httpOk(URI.create(baseUrl() + "/-/ready")),
                rest.isNegative() ? Duration.ofSeconds(1) : rest);
        System.err.printf("%s (start %d, pid %d): listening %d ms and ready %d ms after the fork%n", name, starts, pid(),
                (listening - launchedNanos) / 1_000_000, (System.nanoTime() - launchedNanos) / 1_000_000);
    }

    /**
     * SIGKILL, as a crash: no shutdown hook runs, nothing is flushed. Returns once the JVM is gone
     * (checked through the operating system's process table, not only our handle).
     */
    public void kill() throws InterruptedException {
        ChildProcess p = requireStarted();
        long pid = p.pid();
        int code = p.kill();
        if (code != 128 + 9 && code != 9) {
            // destroyForcibly on a JVM that already exited: report it, the test expected a live node.
            throw new AssertionError(name + " (pid " + pid + ") was not killed by SIGKILL but exited with " + code
                    + ":\n" + p.logTail());
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new AssertionError(name + " (pid " + pid + ") is still alive after SIGKILL");
        }
    }

    /** SIGTERM: the node's shutdown hook stops its components (final flush) and exits. Returns the exit code. */
    public int terminate(Duration grace) throws InterruptedException {
        return requireStarted().stop(grace);
    }

    /** Waits until the node ends by itself (e.g. it refused its configuration) and returns its exit code. */
    public int awaitExit(Duration timeout) throws Exception {
        ChildProcess p = requireStarted();
        p.handle().onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return p.waitFor();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return requireStarted().pid();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, as peers name it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** How many times this node was started (1 after {@link #start}). */
    public int starts() {
        return starts;
    }

    /** The node's log file (every start, appended). */
    public Path log() {
        return dir.resolve("server.log");
    }

    /** The whole log of every start; empty if none was written. */
    public String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log() + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines of the current start's output, for assertion messages. */
    public String logTail() {
        return process == null ? "(never started)" : name + " log tail:\n" + process.logTail();
    }

    private ChildProcess requireStarted() {
        if (process == null) throw new IllegalStateException(name + " was never started");
        return process;
    }

    /** Stops the node gracefully if it runs. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) process.stop(Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return name + " at " + address() + (process == null ? "" : " (pid " + process.pid() + ")");
    }
}

package dev.strata.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.strata.launch.CassandraServer;
import dev.strata.launch.CassandraServerConfig;
import dev.strata.launch.FreePorts;
import dev.strata.launch.JavaCommand;
import dev.strata.launch.RuntimeClasspath;
import dev.strata.launch.StrataRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Cassandra 5.0 node in a forked JVM (see {@link CassandraServer}), on free ports, with its data
 * in a new directory under {@code java.io.tmpdir}. {@link #kill()} is a real SIGKILL of that JVM;
 * {@link #restart()} keeps the data and the ports. {@link #close()} stops the node and deletes its
 * data. Not thread-safe: drive it from the test thread.
 */
public final class CassandraNode implements AutoCloseable {
    /** The datacenter name of a node with SimpleSnitch; the driver needs it as local datacenter. */
    public static final String DATACENTER = "datacenter1";

    private final Path dir;
    private final CassandraServerConfig config;
    private CassandraServer server;
    private boolean closed;

    private CassandraNode(Path dir, CassandraServerConfig config) {
        this.dir = dir;
        this.config = config;
    }

    /** Forks a node on free ports and waits until its CQL port accepts connections. */
    public static CassandraNode start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("strata-cassandra-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for a test Cassandra node", e);
        }
        int[] ports = FreePorts.many(2);
        CassandraServerConfig config = new CassandraServerConfig(dir, "strata-test", "127.0.0.1", ports[0], ports[1],
                "512m", JavaCommand.currentJava(), RuntimeClasspath.cassandra(StrataRoot.find()), Duration.ofSeconds(180),
                // C1 only: a test node lives seconds to minutes; C2's startup CPU would be wasted.
                List.of("-XX:TieredStopAtLevel=1"));
        CassandraNode node = new CassandraNode(dir, config);
        try {
            node.server = CassandraServer.start(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            KafkaBroker.deleteRecursively(dir);
            throw new IllegalStateException("interrupted while starting a test Cassandra node", e);
        } catch (RuntimeException e) {
            KafkaBroker.deleteRecursively(dir);
            throw e;
        }
        return node;
    }

    public String host() {
        return config.host();
    }

    /** The CQL port; stays the same across restarts. */
    public int port() {
        return config.nativePort();
    }

    public InetSocketAddress contactPoint() {
        return new InetSocketAddress(config.host(), config.nativePort());
    }

    /** Where the node's data, configuration and {@code server.log} live. */
    public Path directory() {
        return dir;
    }

    public boolean isRunning() {
        return server != null;
    }

    /** pid of the node's JVM. */
    public long pid() {
        requireRunning();
        return server.process().pid();
    }

    /**
     * A new driver session (the caller closes it) with the schema debounce window at 0, so DDL in
     * tests takes well under a second instead of ~1 s.
     */
    public CqlSession openSession() {
        requireRunning();
        return CqlSession.builder()
                .addContactPoint(contactPoint())
                .withLocalDatacenter(DATACENTER)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ZERO)
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .build())
                .build();
    }

    /** Graceful stop (SIGTERM: memtables flushed). No-op if stopped. */
    public void stop() {
        if (server != null) {
            CassandraServer running = server;
            server = null;
            interruptibly(running::stop);
        }
    }

    /** SIGKILL of the node's JVM; the next start replays the commitlog. No-op if stopped. */
    public void kill() {
        if (server != null) {
            CassandraServer running = server;
            server = null;
            interruptibly(running::kill);
        }
    }

    /** Stops the node gracefully if it runs, then starts it on the same data and ports. */
    public void restart() {
        if (closed) {
            throw new IllegalStateException("test Cassandra node is closed");
        }
        stop();
        interruptibly(() -> server = CassandraServer.start(config));
    }

    /** Stops the node and deletes its data. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            KafkaBroker.deleteRecursively(dir);
        }
    }

    private void requireRunning() {
        if (closed || server == null) {
            throw new IllegalStateException("test Cassandra node is " + (closed ? "closed" : "stopped; call restart()"));
        }
    }

    private interface Step {
        void run() throws InterruptedException;
    }

    private static void interruptibly(Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while driving the test Cassandra node", e);
        }
    }
}

package dev.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft Kafka broker running inside the test JVM (Kafka's own
 * {@code KafkaClusterTestKit}, pinned to Kafka 4.1.1 because it is an internal API).
 *
 * <p>Ports change on every (re)start: always ask {@link #bootstrapServers()} again and recreate
 * clients after {@link #restart()}. Data survives {@link #stop()}, {@link #kill()} and
 * {@link #restart()}; {@link #close()} deletes it. Not thread-safe: drive it from the test thread.
 */
public final class KafkaBroker implements AutoCloseable {
    /** Name of the marker Kafka writes into a log directory on clean shutdown. */
    static final String CLEAN_SHUTDOWN_MARKER = ".kafka_cleanshutdown";

    /** Broker settings every test broker needs: one node, and production (not unstable) versions. */
    static final Map<String, String> SETTINGS = Map.of(
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "share.coordinator.state.topic.replication.factor", "1",
            "share.coordinator.state.topic.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0",
            "unstable.feature.versions.enable", "false",
            "unstable.api.versions.enable", "false");

    private final Path baseDir;
    private String clusterId;
    private KafkaClusterTestKit kit;
    private boolean closed;

    private KafkaBroker(Path baseDir) {
        this.baseDir = baseDir;
    }

    /** Formats fresh storage in a new directory under {@code java.io.tmpdir} and starts the broker. */
    public static KafkaBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("strata-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for a test broker", e);
        }
        KafkaBroker broker = new KafkaBroker(dir);
        try {
            broker.launch();
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
        return broker;
    }

    private void launch() {
        TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.LATEST_PRODUCTION)
                .setBaseDirectory(baseDir);
        if (clusterId != null) {
            nodes.setClusterId(clusterId);
        }
        KafkaClusterTestKit started = null;
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build()).setDeleteOnClose(false);
            SETTINGS.forEach(builder::setConfigProp);
            started = builder.build();
            if (clusterId == null) {
                started.format();
            }
            started.startup();
            started.waitForReadyBrokers();
            clusterId = started.nodes().clusterId();
            kit = started;
        } catch (Exception e) {
            if (started != null) {
                try {
                    started.close(); // release the half-started broker's threads and sockets
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("test Kafka broker in " + baseDir + " did not start: " + e, e);
        }
    }

    /** host:port of the running broker; changes on every restart. */
    public String bootstrapServers() {
        requireRunning();
        return kit.bootstrapServers();
    }

    public boolean isRunning() {
        return kit != null;
    }

    public String clusterId() {
        return clusterId;
    }

    /** Creates a topic with replication factor 1 and waits until the controller has created it. */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topic " + name + " with " + partitions
                    + " partitions: " + e.getCause(), e.getCause());
        }
    }

    /** An admin client on the current bootstrap servers; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Graceful shutdown; the data stays. No-op if already stopped. */
    public void stop() {
        if (kit != null) {
            KafkaClusterTestKit running = kit;
            kit = null; // close() is not idempotent: never call it twice on one kit
            try {
                running.close();
            } catch (Exception e) {
                throw new IllegalStateException("test Kafka broker did not shut down cleanly: " + e, e);
            }
        }
    }

    /**
     * Crash: the broker goes away without its clean-shutdown marker, so the next start runs log
     * recovery (rebuilding indexes, truncating to valid batches) as after a SIGKILL. In-process, the
     * sockets are closed by the shutdown itself; acknowledged data is kept, as a process kill would
     * keep it (it is in the page cache). For a real SIGKILL of a broker process use
     * {@code dev.strata.launch.KafkaServer}.
     */
    public void kill() {
        stop();
        try (Stream<Path> files = Files.walk(baseDir)) {
            for (Path marker : files.filter(p -> p.getFileName().toString().equals(CLEAN_SHUTDOWN_MARKER)).toList()) {
                Files.delete(marker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove clean-shutdown markers under " + baseDir, e);
        }
    }

    /** Stops the broker if it runs and starts it again on the same data; the ports change. */
    public void restart() {
        requireOpen();
        stop();
        launch();
    }

    /** Stops the broker and deletes its data. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            deleteRecursively(baseDir);
        }
    }

    private void requireRunning() {
        requireOpen();
        if (kit == null) {
            throw new IllegalStateException("test Kafka broker is stopped; call restart()");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("test Kafka broker is closed");
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

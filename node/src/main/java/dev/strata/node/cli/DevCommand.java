package dev.strata.node.cli;

import dev.strata.launch.CassandraServerConfig;
import dev.strata.launch.ChildProcess;
import dev.strata.launch.JavaCommand;
import dev.strata.launch.KafkaServerConfig;
import dev.strata.launch.LocalStack;
import dev.strata.launch.LogFollower;
import dev.strata.launch.Readiness;
import dev.strata.launch.RuntimeClasspath;
import dev.strata.launch.StrataRoot;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code strata dev}: Kafka, Cassandra and one Strata node, each in its own child JVM, in the
 * foreground. Kafka and Cassandra start in parallel; the node starts once both are ready, with a
 * generated configuration file, exactly as it would run in production ({@code strata node --config}).
 */
public final class DevCommand implements Command {
    static final Path DEFAULT_DATA = Path.of("data");
    static final int DEFAULT_NODE_PORT = 9090;
    static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(180);

    @Override
    public String name() {
        return "dev";
    }

    @Override
    public String summary() {
        return "Run a local stack: Kafka, Cassandra and a Strata node on port 9090";
    }

    @Override
    public String help() {
        return """
                Usage: strata dev [--data DIR] [--port N] [--kafka-port N] [--cassandra-port N] [--java PATH]

                Starts a real Kafka broker and a real Cassandra node as child processes, waits until both
                are ready, then runs a Strata node against them and waits until its /-/ready answers.
                Ctrl-C (or SIGTERM to strata) stops the node first, then Kafka and Cassandra, and leaves
                no process behind. A second run reuses the data.

                Options:
                  --data DIR            base data directory (default: ./data): DIR/kafka, DIR/cassandra,
                                        DIR/node (the generated strata.yaml; node state in DIR/node/data)
                  --port N              the node's HTTP port: Prometheus API, ingestion, /metrics
                                        (default: 9090)
                  --kafka-port N        Kafka client port (default: 9092; controller: this + 1)
                  --cassandra-port N    Cassandra CQL port (default: 9042; storage port 7000)
                  --java PATH           java executable for Cassandra (default: the JVM running strata;
                                        Cassandra 5.0 needs Java 11 or 17)

                Logs: DIR/kafka/server.log, DIR/cassandra/server.log, DIR/node/server.log (the node's log
                is also copied to this terminal).

                Examples:
                  strata dev
                  strata dev --data /tmp/strata --port 9191
                """;
    }

    @Override
    public int run(String[] args) throws Exception {
        LongOptions options = LongOptions.parse(args, Set.of("data", "port", "kafka-port", "cassandra-port", "java"));
        Path base = options.path("data", DEFAULT_DATA).toAbsolutePath().normalize();
        int nodePort = options.port("port", DEFAULT_NODE_PORT);
        int kafkaPort = options.port("kafka-port", KafkaServerConfig.DEFAULT_PORT);
        int cassandraPort = options.port("cassandra-port", CassandraServerConfig.DEFAULT_NATIVE_PORT);
        Path root = StrataRoot.find();
        KafkaServerConfig kafka = KafkaServerConfig.of(base.resolve("kafka"), kafkaPort,
                kafkaPort == 65535 ? 65534 : kafkaPort + 1, RuntimeClasspath.kafka(root));
        CassandraServerConfig cassandra = CassandraCommand.config(options, base.resolve("cassandra"), cassandraPort,
                CassandraServerConfig.DEFAULT_STORAGE_PORT);
        requireDistinct(nodePort, kafka.port(), kafka.controllerPort(), cassandra.nativePort(), cassandra.storagePort());
        Foreground.requireFree("127.0.0.1", nodePort, "--port");
        Foreground.requireFree(kafka.host(), kafka.port(), "--kafka-port");
        Foreground.requireFree(kafka.host(), kafka.controllerPort(), "--kafka-port");
        Foreground.requireFree(cassandra.host(), cassandra.nativePort(), "--cassandra-port");
        Foreground.requireFree(cassandra.host(), cassandra.storagePort(), "(nothing: stop what uses it)");

        System.out.println("strata dev: starting Kafka (" + kafka.dataDir() + ") and Cassandra (" + cassandra.dataDir() + ")");
        long t0 = System.nanoTime();
        LocalStack stack = LocalStack.start(kafka, cassandra);
        System.out.printf("strata dev: Kafka at %s and Cassandra at %s ready in %.1f s%n",
                kafka.bootstrapServers(), cassandra.contactPoint(), seconds(t0));
        ChildProcess node;
        try {
            node = startNode(new NodeEndpoints(kafka.bootstrapServers(), cassandra.contactPoint(), nodePort,
                    base.resolve("node")));
            try (LogFollower follow = LogFollower.start(node.log(), System.out)) {
                node.awaitReady(Readiness.httpOk(URI.create("http://127.0.0.1:" + nodePort + "/-/ready")),
                        NODE_START_TIMEOUT);
            }
        } catch (RuntimeException | InterruptedException e) {
            stack.close();
            throw e;
        }
        System.out.printf("strata dev: ready in %.1f s. Strata node at http://localhost:%d (pid %d); "
                + "Ctrl-C stops everything.%n", seconds(t0), nodePort, node.pid());
        try (LogFollower follow = LogFollower.start(node.log(), System.out)) {
            int code = Foreground.awaitExit(node, System.err);
            stack.close();
            return code;
        }
    }

    /**
     * Where the node finds Kafka and Cassandra and where it listens. {@code dir} holds the generated
     * strata.yaml, server.log and server.pid; the node's own state (data.dir) is {@code dir/data}.
     */
    record NodeEndpoints(String kafkaBootstrap, String cassandraContactPoint, int httpPort, Path dir) {}

    // ---------------------------------------------------------------------------------------------
    // The node-start step. The node runs as a child JVM from this JVM's own classpath, configured by a
    // generated YAML file: the same entry point and configuration path as in production.
    // ---------------------------------------------------------------------------------------------
    static ChildProcess startNode(NodeEndpoints endpoints) throws IOException {
        Files.createDirectories(endpoints.dir().resolve("data"));
        Path config = endpoints.dir().resolve("strata.yaml");
        Files.writeString(config, nodeYaml(endpoints), StandardCharsets.UTF_8);
        List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"));
        String root = System.getProperty("strata.root");
        if (root != null) {
            jvm.add("-Dstrata.root=" + root);
        }
        JavaCommand command = new JavaCommand(JavaCommand.currentJava(), jvm, System.getProperty("java.class.path"),
                "dev.strata.node.Main", List.of("node", "--config", config.toString()));
        return ChildProcess.start("strata-node", command, endpoints.dir(), endpoints.dir().resolve("server.log"),
                endpoints.dir().resolve("server.pid"));
    }

    /** The node's configuration: only what `dev` decides; every other key keeps its default. */
    static String nodeYaml(NodeEndpoints endpoints) {
        return "# Generated by `strata dev` at every start; edits are overwritten.\n"
                + "http:\n"
                + "  port: " + endpoints.httpPort() + "\n"
                + "data:\n"
                + "  dir: " + yamlQuoted(endpoints.dir().resolve("data").toString()) + "\n"
                + "kafka:\n"
                + "  bootstrap: [" + yamlQuoted(endpoints.kafkaBootstrap()) + "]\n"
                + "cassandra:\n"
                + "  contact-points: [" + yamlQuoted(endpoints.cassandraContactPoint()) + "]\n";
    }

    /** A YAML single-quoted scalar: the only escape is a doubled quote. */
    static String yamlQuoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void requireDistinct(int... ports) {
        Set<Integer> seen = new java.util.HashSet<>();
        for (int port : ports) {
            if (!seen.add(port)) {
                throw new UsageException("port " + port + " is used twice (node, Kafka client/controller, "
                        + "Cassandra CQL/storage ports must all differ)");
            }
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}

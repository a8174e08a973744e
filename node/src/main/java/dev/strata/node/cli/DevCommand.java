package dev.strata.node.cli;

import dev.strata.launch.CassandraServerConfig;
import dev.strata.launch.ChildProcess;
import dev.strata.launch.ChildReaper;
import dev.strata.launch.JavaCommand;
import dev.strata.launch.KafkaServerConfig;
import dev.strata.launch.LocalStack;
import dev.strata.launch.LogFollower;
import dev.strata.launch.Readiness;
import dev.strata.launch.RestartBackoff;
import dev.strata.launch.RuntimeClasspath;
import dev.strata.launch.StrataRoot;
import dev.strata.launch.SupervisedChild;
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
 * Once ready, each node is supervised as a StatefulSet controller would (restarted after a back-off
 * when it exits on its own: {@link SupervisedChild}); Kafka or Cassandra exiting stops everything.
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
                Usage: strata dev [--data DIR] [--port N] [--nodes N] [--replicas R] [--kafka-port N] [--cassandra-port N]
                                  [--cassandra-storage-port N] [--java PATH]

                Starts a real Kafka broker and a real Cassandra node as child processes, waits until both
                are ready, then runs a Strata node against them and waits until its /-/ready answers.
                Ctrl-C (or SIGTERM to strata) stops the node first, then Kafka and Cassandra, and leaves
                no process behind. A second run reuses the data.

                Like a Kubernetes StatefulSet, strata dev restarts a node process that exits on its own
                (crash, kill -9, out of memory) after a back-off of 2 s, doubled at each exit up to 32 s
                and back to 2 s once a node stayed up 60 s; the other nodes keep serving meanwhile (with
                --replicas 2 or more, queries are answered by the surviving replicas). Each exit and
                restart is printed here, e.g. "node 1 exited with code 137; restarting in 2 s (restart 1)".
                Kafka and Cassandra are not restarted: if either exits, strata dev stops everything.

                Options:
                  --data DIR            base data directory (default: ./data): DIR/kafka, DIR/cassandra,
                                        DIR/node (the generated strata.yaml; node state in DIR/node/data)
                  --port N              the node's HTTP port: Prometheus API, ingestion, /metrics
                                        (default: 9090); node i of a cluster listens on N+i
                  --nodes N             run a cluster of N node processes, ordinals 0..N-1, each with
                                        its own directory DIR/node-<i> (default: 1, in DIR/node); they
                                        find each other through membership in Cassandra (dynamic: a
                                        copy of DIR/node-0/strata.yaml with another http.port,
                                        node.ordinal and data.dir, started with 'strata node --config',
                                        joins), on cluster ports picked at start, authenticated by a
                                        secret generated into DIR/cluster-secret
                  --replicas R          nodes owning each shard, at most --nodes (default: 1)
                  --kafka-port N        Kafka client port (default: 9092, or with --nodes just past the nodes' ports
                                        when they would overlap, e.g. 9093 for 3 nodes; controller: this + 1)
                  --cassandra-port N    Cassandra CQL port (default: 9042)
                  --cassandra-storage-port N  Cassandra inter-node storage port (default: 7000)
                  --java PATH           java executable for Cassandra (default: the JVM running strata;
                                        Cassandra 5.0 needs Java 11 or 17)

                Logs: DIR/kafka/server.log, DIR/cassandra/server.log, DIR/node/server.log (the node's log
                is also copied to this terminal).

                Examples:
                  strata dev
                  strata dev --data /tmp/strata --port 9191
                  strata dev --nodes 3 --replicas 2
                """;
    }

    @Override
    public int run(String[] args) throws Exception {
        LongOptions options = LongOptions.parse(args, Set.of("data", "port", "kafka-port", "cassandra-port",
                "cassandra-storage-port", "java", "nodes", "replicas"));
        Path base = options.path("data", DEFAULT_DATA).toAbsolutePath().normalize();
        int nodePort = options.port("port", DEFAULT_NODE_PORT);
        int nodes = positive(options, "nodes", 1, 64);
        int replicas = positive(options, "replicas", 1, 16);
        if (replicas > nodes) {
            throw new UsageException("--replicas " + replicas + " exceeds --nodes " + nodes + ": each shard needs that many distinct nodes");
        }
        if (nodePort + nodes - 1 > 65535) throw new UsageException("--port " + nodePort + " + " + nodes + " nodes exceeds 65535");
        // Kafka's default port would sit inside a cluster's node range (9090..9092 for 3 nodes): move
        // the default just past the nodes; an explicit --kafka-port is kept (and checked below).
        int defaultKafka = KafkaServerConfig.DEFAULT_PORT;
        if (nodes > 1 && defaultKafka + 1 >= nodePort && defaultKafka < nodePort + nodes) defaultKafka = nodePort + nodes;
        int kafkaPort = options.port("kafka-port", defaultKafka);
        int cassandraPort = options.port("cassandra-port", CassandraServerConfig.DEFAULT_NATIVE_PORT);
        Path root = StrataRoot.find();
        KafkaServerConfig kafka = KafkaServerConfig.of(base.resolve("kafka"), kafkaPort,
                kafkaPort == 65535 ? 65534 : kafkaPort + 1, RuntimeClasspath.kafka(root));
        CassandraServerConfig cassandra = CassandraCommand.config(options, base.resolve("cassandra"), cassandraPort,
                options.port("cassandra-storage-port", CassandraServerConfig.DEFAULT_STORAGE_PORT));
        int[] ports = new int[nodes + 4];
        for (int i = 0; i < nodes; i++) ports[i] = nodePort + i;
        ports[nodes] = kafka.port();
        ports[nodes + 1] = kafka.controllerPort();
        ports[nodes + 2] = cassandra.nativePort();
        ports[nodes + 3] = cassandra.storagePort();
        requireDistinct(ports);
        for (int i = 0; i < nodes; i++) Foreground.requireFree("127.0.0.1", nodePort + i, "--port");
        Foreground.requireFree(kafka.host(), kafka.port(), "--kafka-port");
        Foreground.requireFree(kafka.host(), kafka.controllerPort(), "--kafka-port");
        Foreground.requireFree(cassandra.host(), cassandra.nativePort(), "--cassandra-port");
        Foreground.requireFree(cassandra.host(), cassandra.storagePort(), "--cassandra-storage-port");

        System.out.println("strata dev: starting Kafka (" + kafka.dataDir() + ") and Cassandra (" + cassandra.dataDir() + ")");
        long t0 = System.nanoTime();
        LocalStack stack = LocalStack.start(kafka, cassandra);
        System.out.printf("strata dev: Kafka at %s and Cassandra at %s ready in %.1f s%n",
                kafka.bootstrapServers(), cassandra.contactPoint(), seconds(t0));
        Path secret = nodes == 1 ? null : clusterSecret(base);
        List<SupervisedChild.Starter> starters = new ArrayList<>();
        List<Readiness> readiness = new ArrayList<>();
        List<ChildProcess> children = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                Path dir = nodes == 1 ? base.resolve("node") : base.resolve("node-" + i);
                NodeEndpoints endpoints = new NodeEndpoints(kafka.bootstrapServers(), cassandra.contactPoint(), nodePort + i, dir);
                Placement placement = new Placement(i, nodes, replicas, secret);
                starters.add(() -> startNode(endpoints, placement));
                readiness.add(Readiness.httpOk(URI.create("http://127.0.0.1:" + (nodePort + i) + "/-/ready")));
                children.add(starters.get(i).start());
            }
            try (LogFollower follow = LogFollower.start(children.get(0).log(), System.out)) {
                for (int i = 0; i < nodes; i++) {
                    children.get(i).awaitReady(readiness.get(i), NODE_START_TIMEOUT);
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            stack.close();
            throw e;
        }
        // From here on the nodes are supervised as a StatefulSet controller would: one that exits is
        // started again after a back-off while the others keep serving.
        List<SupervisedChild> supervised = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            supervised.add(SupervisedChild.supervise(nodes == 1 ? "strata dev: the node" : "strata dev: node " + i,
                    children.get(i), starters.get(i), readiness.get(i), NODE_START_TIMEOUT, RestartBackoff.DEV, System.out));
        }
        if (nodes == 1) {
            System.out.printf("strata dev: ready in %.1f s. Strata node at http://localhost:%d (pid %d); "
                    + "restarted if it exits; Ctrl-C stops everything.%n", seconds(t0), nodePort, children.get(0).pid());
        } else {
            System.out.printf("strata dev: ready in %.1f s. %d Strata nodes (replicas %d) at http://localhost:%d..%d, "
                    + "logs in %s/node-<i>/server.log (node 0's shown here); a node that exits is restarted; "
                    + "Ctrl-C stops everything.%n",
                    seconds(t0), nodes, replicas, nodePort, nodePort + nodes - 1, base);
        }
        try (LogFollower follow = LogFollower.start(children.get(0).log(), System.out)) {
            ChildProcess server = stack.awaitServerExit();
            int code = Foreground.awaitExit(server, System.err);
            if (ChildReaper.exiting()) {
                return code; // Ctrl-C / SIGTERM: the reaper's hook stops the nodes, then Kafka and Cassandra
            }
            System.err.println("strata dev: " + server.name() + " is not restarted (every node needs it): "
                    + "stopping the nodes, then the rest");
            for (int i = nodes - 1; i >= 0; i--) supervised.get(i).close();
            stack.close();
            return code;
        }
    }

    static int positive(LongOptions options, String name, int fallback, int max) {
        String v = options.string(name, Integer.toString(fallback));
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a number in [1, " + max + "], got '" + v + "'");
    }

    /**
     * This node's place in a dev cluster: ordinal, node count, replicas, the cluster secret file (null:
     * single node). The count only decides single node or cluster: a cluster's nodes find each other
     * through dynamic membership (docs/dev-stack.md), so another node can join by hand.
     */
    record Placement(int ordinal, int nodes, int replicas, Path secretFile) {
        static final Placement SINGLE = new Placement(0, 1, 1, null);
    }

    /**
     * Membership timing of a dev cluster, shorter than the production defaults (2 s / 15 s / 60 s) so
     * that a killed node's shards move within seconds on a laptop: heartbeat every second, down after 5 s
     * without one (Cassandra's TTL, whole seconds), and on SIGTERM at most 10 s of waiting for a handoff
     * (the launcher stops nodes one after another, each within {@code ChildReaper}'s 30 s grace).
     */
    static final String HEARTBEAT_INTERVAL = "1s";
    static final String FAILURE_TIMEOUT = "5s";
    static final String LEAVE_TIMEOUT = "10s";

    /**
     * The dev cluster's shared secret, DIR/cluster-secret (owner-only), created with 32 random bytes on
     * the first cluster run and kept, so nodes of later runs share it. Dev only: production sets
     * cluster.tls.* (mTLS) and/or its own secret (docs/security.md).
     */
    static Path clusterSecret(Path base) throws IOException {
        Path file = base.resolve("cluster-secret");
        if (Files.exists(file) && Files.size(file) >= 32) return file;
        Files.createDirectories(base);
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        Path tmp = base.resolve("cluster-secret.tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp); // not a POSIX file system
        }
        Files.writeString(tmp, java.util.HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
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
    static ChildProcess startNode(NodeEndpoints endpoints, Placement placement) throws IOException {
        Files.createDirectories(endpoints.dir().resolve("data"));
        Path config = endpoints.dir().resolve("strata.yaml");
        Files.writeString(config, nodeYaml(endpoints, placement), StandardCharsets.UTF_8);
        List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"));
        String root = System.getProperty("strata.root");
        if (root != null) {
            jvm.add("-Dstrata.root=" + root);
        }
        JavaCommand command = new JavaCommand(JavaCommand.currentJava(), jvm, System.getProperty("java.class.path"),
                "dev.strata.node.Main", List.of("node", "--config", config.toString()));
        String name = placement.nodes() == 1 ? "strata-node" : "strata-node-" + placement.ordinal();
        return ChildProcess.start(name, command, endpoints.dir(), endpoints.dir().resolve("server.log"),
                endpoints.dir().resolve("server.pid"));
    }

    /** The node's configuration: only what `dev` decides; every other key keeps its default. */
    static String nodeYaml(NodeEndpoints endpoints) {
        return nodeYaml(endpoints, Placement.SINGLE);
    }

    static String nodeYaml(NodeEndpoints endpoints, Placement placement) {
        // Dynamic membership (no cluster.nodes, no cluster.peers): every node announces itself in Cassandra.
        // The cluster port is picked free at start (0) and announced as 127.0.0.1:<that port>, so every
        // node's cluster section is the same and a copy of this file with another http.port, node.ordinal
        // and data.dir is a new node that joins (docs/dev-stack.md, "Adding a node by hand").
        String cluster = placement.nodes() == 1 ? "" : "node:\n  ordinal: " + placement.ordinal() + "\n"
                + "cluster:\n  replicas: " + placement.replicas() + "\n"
                + "  port: 0\n"
                + "  advertise-address: '127.0.0.1'\n"
                + "  heartbeat-interval: " + HEARTBEAT_INTERVAL + "\n"
                + "  failure-timeout: " + FAILURE_TIMEOUT + "\n"
                + "  leave-timeout: " + LEAVE_TIMEOUT + "\n"
                + "  secret-file: " + yamlQuoted(placement.secretFile().toString()) + "\n";
        return "# Generated by `strata dev` at every start; edits are overwritten.\n"
                + "http:\n"
                + "  port: " + endpoints.httpPort() + "\n"
                + "data:\n"
                + "  dir: " + yamlQuoted(endpoints.dir().resolve("data").toString()) + "\n"
                + "kafka:\n"
                + "  bootstrap: [" + yamlQuoted(endpoints.kafkaBootstrap()) + "]\n"
                + "cassandra:\n"
                + "  contact-points: [" + yamlQuoted(endpoints.cassandraContactPoint()) + "]\n"
                + cluster;
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

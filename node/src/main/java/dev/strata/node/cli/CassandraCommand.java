package dev.strata.node.cli;

import dev.strata.launch.CassandraServer;
import dev.strata.launch.CassandraServerConfig;
import dev.strata.launch.RuntimeClasspath;
import dev.strata.launch.StrataRoot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** {@code strata cassandra}: a local single Cassandra node in the foreground. */
public final class CassandraCommand implements Command {
    static final Path DEFAULT_DATA = Path.of("data", "cassandra");

    @Override
    public String name() {
        return "cassandra";
    }

    @Override
    public String summary() {
        return "Run a local single-node Cassandra in the foreground";
    }

    @Override
    public String help() {
        return """
                Usage: strata cassandra [--data DIR] [--port N] [--storage-port N] [--java PATH]

                Runs a real Cassandra 5.0 node (cassandra-all from Maven Central) as a child process on
                127.0.0.1 and waits. Ready when the CQL port accepts connections; data is kept across runs.
                Ctrl-C (or SIGTERM to strata) stops the node cleanly (memtables flushed); no process is
                left behind.

                Options:
                  --data DIR           data directory (default: ./data/cassandra). Holds data/ (sstables,
                                       commitlog, hints), conf/cassandra.yaml, server.log, server.pid
                  --port N             CQL (native transport) port (default: 9042)
                  --storage-port N     inter-node storage port (default: 7000)
                  --java PATH          java executable for the node (default: the JVM running strata).
                                       Cassandra 5.0 runs on Java 11 or 17 only.

                The node's classpath comes from node/cassandra-runtime/target/runtime.classpath (built by
                ./mvnw package). Logs go to DIR/server.log. Local datacenter name: datacenter1.

                Examples:
                  strata cassandra
                  strata cassandra --data /tmp/c --port 19042 --storage-port 17000
                """;
    }

    @Override
    public int run(String[] args) throws Exception {
        LongOptions options = LongOptions.parse(args, Set.of("data", "port", "storage-port", "java"));
        CassandraServerConfig config = config(options, options.path("data", DEFAULT_DATA),
                options.port("port", CassandraServerConfig.DEFAULT_NATIVE_PORT),
                options.port("storage-port", CassandraServerConfig.DEFAULT_STORAGE_PORT));
        Foreground.requireFree(config.host(), config.nativePort(), "--port");
        Foreground.requireFree(config.host(), config.storagePort(), "--storage-port");

        System.out.println("strata cassandra: starting a node in " + config.dataDir() + " (log: "
                + config.dataDir().resolve("server.log") + ")");
        long t0 = System.nanoTime();
        CassandraServer cassandra = CassandraServer.start(config);
        System.out.printf("strata cassandra: ready in %.1f s, CQL at %s (pid %d). Ctrl-C stops it.%n",
                (System.nanoTime() - t0) / 1e9, config.contactPoint(), cassandra.process().pid());
        return Foreground.awaitExit(cassandra.process(), System.err);
    }

    /** The node configuration shared with {@code strata dev}. */
    static CassandraServerConfig config(LongOptions options, Path dataDir, int nativePort, int storagePort) {
        if (nativePort == storagePort) {
            throw new UsageException("the CQL port and the storage port are both " + nativePort);
        }
        CassandraServerConfig defaults = CassandraServerConfig.of(dataDir, nativePort, storagePort,
                RuntimeClasspath.cassandra(StrataRoot.find()));
        return new CassandraServerConfig(defaults.dataDir(), defaults.clusterName(), defaults.host(), nativePort,
                storagePort, defaults.heap(), ServerJava.forCassandra(options), defaults.classpath(),
                Duration.ofSeconds(300), defaults.extraJvmOptions());
    }
}

package dev.strata.node.cli;

import dev.strata.node.NodeAssembly;
import dev.strata.node.config.NodeConfig;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code strata node}: runs a node until SIGTERM or Ctrl-C. */
public final class NodeCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

    private final Map<String, String> env;

    public NodeCommand() {
        this(System.getenv());
    }

    NodeCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public String summary() {
        return "Run a Strata node (HTTP API, ingestion, queries) against Kafka and Cassandra";
    }

    @Override
    public String help() {
        return """
                Usage: strata node [--config FILE] [--set KEY=VALUE ...] [--KEY=VALUE ...]

                Runs a node: serves HTTP (GET /-/healthy, GET /-/ready, GET /metrics), connects to
                Kafka (creates the samples topic with `shards` partitions if absent) and Cassandra
                (creates the keyspace if absent), retrying until both answer; /-/ready answers 200
                from then on. Stops cleanly on SIGTERM or Ctrl-C.

                Options:
                """ + ConfigOptions.USAGE + """

                Configuration keys, their defaults and STRATA_* environment variables:
                  strata config docs   (or docs/configuration.md)

                Examples:
                  strata node
                  strata node --config node.yaml --set http.port=9191
                  STRATA_KAFKA_BOOTSTRAP=kafka:9092 strata node --shards=16
                """;
    }

    @Override
    public int run(String[] args) throws Exception {
        NodeConfig config = NodeConfig.from(ConfigOptions.parse(args).resolve(env));
        NodeAssembly node = new NodeAssembly(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("shutting down");
            node.leaveAndClose(); // dynamic membership: hands the shards over first (cluster.leave-timeout)
            stopped.countDown();
        }, "strata-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            node.start();
        } catch (Exception e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            throw e;
        }
        stopped.await(); // the shutdown hook closes the node; the JVM exits when the hook returns
        return 0;
    }
}

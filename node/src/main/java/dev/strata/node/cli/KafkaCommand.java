package dev.strata.node.cli;

import dev.strata.launch.KafkaServer;
import dev.strata.launch.KafkaServerConfig;
import dev.strata.launch.RuntimeClasspath;
import dev.strata.launch.StrataRoot;
import java.nio.file.Path;
import java.util.Set;

/** {@code strata kafka}: a local single-node KRaft Kafka broker in the foreground. */
public final class KafkaCommand implements Command {
    static final Path DEFAULT_DATA = Path.of("data", "kafka");

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String summary() {
        return "Run a local single-node Kafka broker (KRaft) in the foreground";
    }

    @Override
    public String help() {
        return """
                Usage: strata kafka [--data DIR] [--port N] [--controller-port N]

                Runs a real Kafka 4.1 broker (KRaft: broker and controller in one JVM, no ZooKeeper) as a
                child process and waits. The first run formats the storage; later runs reuse it.
                Ctrl-C (or SIGTERM to strata) stops the broker cleanly; no process is left behind.

                Options:
                  --data DIR              data directory (default: ./data/kafka). Holds data/ (the
                                          partitions), server.properties, server.log, server.pid
                  --port N                client port, PLAINTEXT on localhost (default: 9092)
                  --controller-port N     KRaft controller port (default: the client port + 1, i.e. 9093)

                The broker's classpath comes from node/kafka-runtime/target/runtime.classpath (built by
                ./mvnw package). Logs go to DIR/server.log.

                Examples:
                  strata kafka
                  strata kafka --data /tmp/k --port 19092
                """;
    }

    @Override
    public int run(String[] args) throws Exception {
        LongOptions options = LongOptions.parse(args, Set.of("data", "port", "controller-port"));
        int port = options.port("port", KafkaServerConfig.DEFAULT_PORT);
        int controllerPort = options.port("controller-port", port == 65535 ? 65534 : port + 1);
        if (controllerPort == port) {
            throw new UsageException("--controller-port must differ from --port (" + port + ")");
        }
        KafkaServerConfig config = KafkaServerConfig.of(options.path("data", DEFAULT_DATA), port, controllerPort,
                RuntimeClasspath.kafka(StrataRoot.find()));
        Foreground.requireFree(config.host(), port, "--port");
        Foreground.requireFree(config.host(), controllerPort, "--controller-port");

        System.out.println("strata kafka: starting a KRaft broker in " + config.dataDir() + " (log: "
                + config.dataDir().resolve("server.log") + ")");
        long t0 = System.nanoTime();
        KafkaServer kafka = KafkaServer.start(config);
        System.out.printf("strata kafka: ready in %.1f s, bootstrap servers %s (pid %d). Ctrl-C stops it.%n",
                (System.nanoTime() - t0) / 1e9, kafka.bootstrapServers(), kafka.process().pid());
        return Foreground.awaitExit(kafka.process(), System.err);
    }
}

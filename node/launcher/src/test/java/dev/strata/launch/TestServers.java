package dev.strata.launch;

import java.nio.file.Path;
import java.time.Duration;

/** Server configurations on free ports for the launcher's tests. */
final class TestServers {
    private TestServers() {}

    static KafkaServerConfig kafka(Path dir) {
        int[] ports = FreePorts.many(2);
        return new KafkaServerConfig(dir, "localhost", ports[0], ports[1], "512m", JavaCommand.currentJava(),
                RuntimeClasspath.kafka(StrataRoot.find()), Duration.ofSeconds(120));
    }

    static CassandraServerConfig cassandra(Path dir) {
        int[] ports = FreePorts.many(2);
        return new CassandraServerConfig(dir, "strata-test", "127.0.0.1", ports[0], ports[1], "512m",
                JavaCommand.currentJava(), RuntimeClasspath.cassandra(StrataRoot.find()), Duration.ofSeconds(180));
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

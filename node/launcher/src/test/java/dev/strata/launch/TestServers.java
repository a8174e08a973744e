package dev.strata.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Server configurations on free ports for the launcher's tests. */
final class TestServers {
    /** C1 only: a test server lives seconds, so the C2 compiler's startup CPU is wasted on a shared box. */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    private TestServers() {}

    static KafkaServerConfig kafka(Path dir) {
        int[] ports = FreePorts.many(2);
        return new KafkaServerConfig(dir, "localhost", ports[0], ports[1], "512m", JavaCommand.currentJava(),
                RuntimeClasspath.kafka(StrataRoot.find()), Duration.ofSeconds(120), JVM_OPTIONS);
    }

    static CassandraServerConfig cassandra(Path dir) {
        int[] ports = FreePorts.many(2);
        return new CassandraServerConfig(dir, "strata-test", "127.0.0.1", ports[0], ports[1], "512m",
                JavaCommand.currentJava(), RuntimeClasspath.cassandra(StrataRoot.find()), Duration.ofSeconds(180),
                JVM_OPTIONS);
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

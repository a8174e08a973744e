package dev.strata.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A single-node KRaft Kafka (broker and controller in one JVM).
 *
 * @param dataDir         everything of this broker lives here: {@code data/} (log.dirs), the generated
 *                        {@code server.properties} and {@code log4j2.xml}, {@code server.log}, {@code server.pid}
 * @param host            host name the listeners bind to and advertise
 * @param port            client (PLAINTEXT) port
 * @param controllerPort  KRaft controller port
 * @param heap            -Xmx of the broker JVM, e.g. "512m"
 * @param java            java executable
 * @param classpath       broker classpath (see {@link RuntimeClasspath#kafka})
 * @param startTimeout    how long a start (including log recovery after a crash) may take
 * @param extraJvmOptions appended to the broker's JVM options (tests use C1-only JIT to start cheaper)
 */
public record KafkaServerConfig(Path dataDir, String host, int port, int controllerPort, String heap,
                                Path java, String classpath, Duration startTimeout, List<String> extraJvmOptions) {

    public static final int DEFAULT_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;

    public KafkaServerConfig {
        dataDir = dataDir.toAbsolutePath().normalize();
        extraJvmOptions = List.copyOf(extraJvmOptions);
        Ports.check("kafka port", port);
        Ports.check("kafka controller port", controllerPort);
        if (port == controllerPort) {
            throw new IllegalArgumentException("kafka port and controller port are both " + port);
        }
    }

    /** Defaults: localhost, 512 MB heap, the running JVM's java, 120 s start timeout. */
    public static KafkaServerConfig of(Path dataDir, int port, int controllerPort, String classpath) {
        return new KafkaServerConfig(dataDir, "localhost", port, controllerPort, "512m",
                JavaCommand.currentJava(), classpath, Duration.ofSeconds(120), List.of());
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }
}

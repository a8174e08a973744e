package dev.strata.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A KRaft Kafka cluster of one controller and {@code brokerPorts.size()} brokers, each its own JVM
 * (see {@link KafkaCluster}). The controller is a process of its own so that losing brokers never
 * costs the metadata quorum: with two of three brokers gone, the controller still shrinks the ISR and
 * moves leadership, and {@code min.insync.replicas} (not a lost quorum) is what refuses writes.
 *
 * @param dataDir         member {@code i} lives in {@code dataDir/broker-i}, the controller in {@code dataDir/controller}
 * @param host            host name the listeners bind to and advertise
 * @param brokerPorts     client (PLAINTEXT) port of broker {@code i + 1}; node id {@code i + 1}
 * @param controllerPort  the controller's port (node id 0)
 * @param brokerHeap      -Xmx of each broker JVM, e.g. "384m"
 * @param controllerHeap  -Xmx of the controller JVM
 * @param java            java executable
 * @param classpath       Kafka classpath (see {@link RuntimeClasspath#kafka})
 * @param startTimeout    how long one member's start (including log recovery after a crash) may take
 * @param extraJvmOptions appended to every member's JVM options
 */
public record KafkaClusterConfig(Path dataDir, String host, List<Integer> brokerPorts, int controllerPort,
                                 String brokerHeap, String controllerHeap, Path java, String classpath,
                                 Duration startTimeout, List<String> extraJvmOptions) {

    public KafkaClusterConfig {
        dataDir = dataDir.toAbsolutePath().normalize();
        brokerPorts = List.copyOf(brokerPorts);
        extraJvmOptions = List.copyOf(extraJvmOptions);
        if (brokerPorts.isEmpty()) {
            throw new IllegalArgumentException("a kafka cluster needs at least one broker");
        }
        Set<Integer> seen = new HashSet<>();
        for (int p : brokerPorts) {
            Ports.check("kafka broker port", p);
            if (!seen.add(p)) throw new IllegalArgumentException("kafka broker port " + p + " given twice");
        }
        Ports.check("kafka controller port", controllerPort);
        if (seen.contains(controllerPort)) {
            throw new IllegalArgumentException("kafka controller port " + controllerPort + " is also a broker port");
        }
    }

    /** {@code brokers} brokers and the controller on free loopback ports; 384 MB per broker, 256 MB for the controller. */
    public static KafkaClusterConfig onFreePorts(Path dataDir, int brokers, String classpath, List<String> extraJvmOptions) {
        int[] ports = FreePorts.many(brokers + 1);
        List<Integer> brokerPorts = Arrays.stream(ports, 0, brokers).boxed().toList();
        return new KafkaClusterConfig(dataDir, "127.0.0.1", brokerPorts, ports[brokers], "384m", "256m",
                JavaCommand.currentJava(), classpath, Duration.ofSeconds(120), extraJvmOptions);
    }

    public int brokers() {
        return brokerPorts.size();
    }

    /** Every broker, {@code host1:port1,host2:port2,...}. */
    public String bootstrapServers() {
        return brokerPorts.stream().map(p -> host + ":" + p).collect(Collectors.joining(","));
    }

    /** Replication factor of Kafka's internal topics: 3, or every broker when there are fewer. */
    int internalReplicationFactor() {
        return Math.min(3, brokers());
    }

    /** min.insync.replicas of Kafka's internal topics: one less than their replication factor, at least 1. */
    int internalMinInsync() {
        return Math.max(1, internalReplicationFactor() - 1);
    }
}

package dev.strata.node.config;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** How the node reaches Kafka and which topic carries the samples. */
/**
 * @param replicationFactor 0: 3, or the broker count when smaller
 * @param minInsyncReplicas 0: the replication factor minus one, at least 1
 * @param retention         the topic's retention.ms when the node creates it
 */
public record KafkaSettings(List<HostPort> bootstrap, String topic, short replicationFactor, short minInsyncReplicas,
                            Duration retention, Duration requestTimeout) {
    public KafkaSettings {
        bootstrap = List.copyOf(bootstrap);
    }

    public static KafkaSettings from(ResolvedConfig c) {
        return new KafkaSettings(c.get(ConfigKeys.KAFKA_BOOTSTRAP), c.get(ConfigKeys.KAFKA_TOPIC),
                c.get(ConfigKeys.KAFKA_REPLICATION_FACTOR).shortValue(), c.get(ConfigKeys.KAFKA_MIN_INSYNC_REPLICAS).shortValue(),
                c.get(ConfigKeys.KAFKA_RETENTION), c.get(ConfigKeys.KAFKA_REQUEST_TIMEOUT));
    }

    /** The replication factor to create the topic with on a cluster of {@code brokers} brokers. */
    public short effectiveReplicationFactor(int brokers) {
        return replicationFactor > 0 ? replicationFactor : (short) Math.max(1, Math.min(3, brokers));
    }

    /** min.insync.replicas to create the topic with, for replication factor {@code rf}. */
    public short effectiveMinInsyncReplicas(short rf) {
        return minInsyncReplicas > 0 ? minInsyncReplicas : (short) Math.max(1, rf - 1);
    }

    /** The bootstrap list as Kafka clients take it: {@code host1:9092,host2:9092}. */
    public String bootstrapServers() {
        return bootstrap.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }
}

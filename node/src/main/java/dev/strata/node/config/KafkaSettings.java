package dev.strata.node.config;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** How the node reaches Kafka and which topic carries the samples. */
public record KafkaSettings(List<HostPort> bootstrap, String topic, short replicationFactor, Duration requestTimeout) {
    public KafkaSettings {
        bootstrap = List.copyOf(bootstrap);
    }

    public static KafkaSettings from(ResolvedConfig c) {
        return new KafkaSettings(c.get(ConfigKeys.KAFKA_BOOTSTRAP), c.get(ConfigKeys.KAFKA_TOPIC),
                c.get(ConfigKeys.KAFKA_REPLICATION_FACTOR).shortValue(), c.get(ConfigKeys.KAFKA_REQUEST_TIMEOUT));
    }

    /** The bootstrap list as Kafka clients take it: {@code host1:9092,host2:9092}. */
    public String bootstrapServers() {
        return bootstrap.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }
}

package dev.strata.ingest.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * KafkaConsumer configuration for a shard consumer, the one used by the node and by the tests: no group
 * (the partition is assigned explicitly and progress lives in Strata's checkpoints), no auto commit,
 * large fetches.
 */
public final class ConsumerSettings {
    /**
     * How long one poll waits for records. Short enough that a stopping or pausing consumer reacts
     * within a fifth of a second, long enough that an idle shard does not spin.
     */
    public static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    /** Bytes fetched per partition per request: a replay reads the log in large batches. */
    static final int MAX_PARTITION_FETCH_BYTES = 8 << 20;
    /** Bytes per fetch response; one consumer reads one partition, so two partition fetches' worth. */
    static final int FETCH_MAX_BYTES = 16 << 20;

    private ConsumerSettings() {}

    public static Map<String, Object> of(String bootstrapServers, String clientId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never jump silently: an offset the log no longer holds is handled (counted, logged) by ShardConsumer.
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return c;
    }
}

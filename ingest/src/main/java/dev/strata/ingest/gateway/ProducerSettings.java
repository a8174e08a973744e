package dev.strata.ingest.gateway;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The KafkaProducer configuration the gateway relies on: acks=all and idempotence (an acknowledged
 * record is on all in-sync replicas and never duplicated by producer retries), lz4 or zstd batch
 * compression, a short linger so records of concurrent requests share batches, and timeouts short
 * enough that a request fails (503) well before Prometheus's own 30 s remote-write timeout.
 */
public final class ProducerSettings {
    private ProducerSettings() {}

    /**
     * @param compression       "lz4" or "zstd"
     * @param deliveryTimeoutMs upper bound from send() to the acknowledgement or failure
     */
    public static Map<String, Object> of(String bootstrapServers, String clientId, String compression,
                                         int lingerMs, int deliveryTimeoutMs, int maxRequestBytes) {
        if (!compression.equals("lz4") && !compression.equals("zstd")) {
            throw new IllegalArgumentException("compression must be lz4 or zstd, got " + compression);
        }
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        c.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
        int requestTimeout = Math.max(1000, (deliveryTimeoutMs - lingerMs) / 2);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(deliveryTimeoutMs, requestTimeout + lingerMs));
        // send() blocks while metadata is missing (broker down): bound it so requests fail fast.
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(5000, deliveryTimeoutMs));
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return c;
    }

    public static Map<String, Object> defaults(String bootstrapServers) {
        return of(bootstrapServers, "strata-gateway", "lz4", 5, 20_000, 4 << 20);
    }
}

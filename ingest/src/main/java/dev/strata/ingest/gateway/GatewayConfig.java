package dev.strata.ingest.gateway;

/**
 * Gateway settings.
 *
 * @param topic              the ingest topic (partition = shard)
 * @param maxRecordBytes     a shard's samples are split into several records above this size (keep it
 *                           under the producer's and broker's max message size)
 * @param maxInFlightBytes   encoded bytes sent to Kafka and not yet acknowledged; beyond this new
 *                           requests get 503 with Retry-After (back-pressure)
 * @param retryAfterSeconds  the Retry-After value sent with 503s
 */
public record GatewayConfig(String topic, int maxRecordBytes, long maxInFlightBytes, int retryAfterSeconds) {
    public GatewayConfig {
        if (topic == null || topic.isEmpty()) throw new IllegalArgumentException("topic is required");
        if (maxRecordBytes < 1024) throw new IllegalArgumentException("maxRecordBytes must be >= 1024, got " + maxRecordBytes);
        if (maxInFlightBytes < maxRecordBytes) throw new IllegalArgumentException("maxInFlightBytes must be >= maxRecordBytes");
        if (retryAfterSeconds < 1) throw new IllegalArgumentException("retryAfterSeconds must be >= 1");
    }

    public static GatewayConfig defaults(String topic) {
        return new GatewayConfig(topic, 900 * 1024, 256L << 20, 1);
    }
}

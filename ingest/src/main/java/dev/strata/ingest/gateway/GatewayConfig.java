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

    /** The samples topic when none is configured (the node's kafka.topic default). */
    public static final String DEFAULT_TOPIC = "strata-samples";
    /** Not a setting: below Kafka's default max.message.bytes (1 MiB) with room for the record's headers. */
    public static final int MAX_RECORD_BYTES = 900 * 1024;
    /** Not a setting: unacknowledged bytes to Kafka before writers get 503; a few seconds of a busy gateway. */
    public static final long MAX_IN_FLIGHT_BYTES = 256L << 20;
    /** Not a setting: Retry-After of a 503; Prometheus backs off on its own beyond it. */
    public static final int RETRY_AFTER_SECONDS = 1;

    public static GatewayConfig defaults(String topic) {
        return new GatewayConfig(topic, MAX_RECORD_BYTES, MAX_IN_FLIGHT_BYTES, RETRY_AFTER_SECONDS);
    }
}

package dev.strata.ingest.gateway;

/**
 * Whether the gateway may write to a shard now. A shard that must not take writes for a while (its
 * oldest unflushed record nears Kafka's retention: more writes would only be lost) is refused with a
 * reason; the gateway then answers the whole request 503 with Retry-After, writing nothing, and the
 * sender (Prometheus remote write, ...) retries later. Called for every request: must be cheap and
 * non-blocking. Thread safe.
 */
public interface ShardWriteGuard {
    /** Never refuses. */
    ShardWriteGuard NONE = shard -> null;

    /** Null when writes to {@code shard} are accepted, else why they are refused (a sentence for the sender). */
    String refusal(int shard);
}

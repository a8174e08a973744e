package dev.strata.ingest.flush;

import java.time.Duration;

/**
 * @param groups          flush groups per shard (G); one group is flushed every interval / G
 * @param interval        how often every group is flushed once
 * @param retryMin        first back-off after a failed flush (doubles per failure)
 * @param retryMax        back-off cap; retries never stop (data is never dropped)
 * @param writeTimeout    how long one group's writes may take before the attempt counts as failed
 * @param memoryRetention persisted chunks whose samples are all older than the shard's newest
 *                        timestamp minus this are evicted after each flush; zero keeps them until
 *                        memory pressure evicts them
 */
public record FlushConfig(int groups, Duration interval, Duration retryMin, Duration retryMax, Duration writeTimeout,
                          Duration memoryRetention) {
    public FlushConfig {
        if (groups < 1 || groups > 1024) throw new IllegalArgumentException("flush groups must be in [1, 1024]: " + groups);
        if (interval.toMillis() < groups) throw new IllegalArgumentException("flush interval " + interval + " is shorter than 1 ms per group");
        if (retryMin.isNegative() || retryMin.isZero() || retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("flush retry back-off must satisfy 0 < min <= max: " + retryMin + ", " + retryMax);
        }
        if (memoryRetention.isNegative()) throw new IllegalArgumentException("memory retention must be >= 0: " + memoryRetention);
    }

    /** 8 groups, every 60 s, back-off 1 s to 30 s, 60 s write timeout, no memory retention limit. */
    // Defaults, declared once: the node's keys flush.groups, flush.interval and store.memory-retention use these.
    public static final int DEFAULT_GROUPS = 8;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MEMORY_RETENTION = Duration.ZERO;
    /** Not settings: the retry back-off of a failed flush, from a second (a blip) to 30 s (Cassandra down; cassandra.reconnect-max-delay is the other bound). */
    public static final Duration RETRY_MIN = Duration.ofSeconds(1);
    public static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** Not a setting: one flush group's writes; as long as the default interval, so a slow flush never overlaps the group's next turn by much. */
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(60);

    public static FlushConfig defaults() {
        return new FlushConfig(DEFAULT_GROUPS, DEFAULT_INTERVAL, RETRY_MIN, RETRY_MAX, WRITE_TIMEOUT, DEFAULT_MEMORY_RETENTION);
    }

    public Duration groupInterval() {
        return interval.dividedBy(groups);
    }
}

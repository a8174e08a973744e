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
    public static FlushConfig defaults() {
        return new FlushConfig(8, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ZERO);
    }

    public Duration groupInterval() {
        return interval.dividedBy(groups);
    }
}

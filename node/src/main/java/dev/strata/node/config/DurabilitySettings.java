package dev.strata.node.config;

import dev.strata.ingest.flush.FlushConfig;
import java.time.Duration;

/** Retention in Cassandra and the flush schedule. */
public record DurabilitySettings(Duration retention, int flushGroups, Duration flushInterval) {
    public static DurabilitySettings from(ResolvedConfig c) {
        return new DurabilitySettings(c.get(ConfigKeys.RETENTION), c.get(ConfigKeys.FLUSH_GROUPS), c.get(ConfigKeys.FLUSH_INTERVAL));
    }

    /** The flush schedule; after each flush, persisted chunks older than {@code memoryRetention} leave memory. */
    public FlushConfig toFlushConfig(Duration memoryRetention) {
        return new FlushConfig(flushGroups, flushInterval, FlushConfig.RETRY_MIN, FlushConfig.RETRY_MAX, FlushConfig.WRITE_TIMEOUT,
                memoryRetention);
    }
}

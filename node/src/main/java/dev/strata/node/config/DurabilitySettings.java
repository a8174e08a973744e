package dev.strata.node.config;

import dev.strata.ingest.flush.FlushConfig;
import java.time.Duration;

/** Retention in Cassandra and the flush schedule. */
public record DurabilitySettings(Duration retention, int flushGroups, Duration flushInterval) {
    public static DurabilitySettings from(ResolvedConfig c) {
        return new DurabilitySettings(c.get(ConfigKeys.RETENTION), c.get(ConfigKeys.FLUSH_GROUPS), c.get(ConfigKeys.FLUSH_INTERVAL));
    }

    public FlushConfig toFlushConfig() {
        FlushConfig d = FlushConfig.defaults();
        return new FlushConfig(flushGroups, flushInterval, d.retryMin(), d.retryMax(), d.writeTimeout(), d.memoryRetention());
    }
}

package dev.strata.node.config;

import java.util.List;

/**
 * How the gateway maps series to shards.
 *
 * @param shardKey label names hashed for the shard group
 * @param spread   a shard-key value is spread over 2^spread shards
 * @param gatewayOnly the node runs the write receivers (and the query API) but holds no shards
 * @param retentionGuardPercent of kafka.retention a shard's oldest unflushed record may reach before its
 *                    writes are refused; 0 disables the guard
 */
public record IngestSettings(List<String> shardKey, int spread, boolean gatewayOnly, int retentionGuardPercent) {
    public IngestSettings {
        shardKey = List.copyOf(shardKey);
    }

    public static IngestSettings from(ResolvedConfig c) {
        return new IngestSettings(c.get(ConfigKeys.INGEST_SHARD_KEY), c.get(ConfigKeys.INGEST_SPREAD),
                c.get(ConfigKeys.NODE_ROLE).equals("gateway"), c.get(ConfigKeys.INGEST_RETENTION_GUARD_PERCENT));
    }
}

package dev.strata.node.config;

import java.util.List;

/**
 * How the gateway maps series to shards.
 *
 * @param shardKey label names hashed for the shard group
 * @param spread   a shard-key value is spread over 2^spread shards
 */
public record IngestSettings(List<String> shardKey, int spread) {
    public IngestSettings {
        shardKey = List.copyOf(shardKey);
    }

    public static IngestSettings from(ResolvedConfig c) {
        return new IngestSettings(c.get(ConfigKeys.INGEST_SHARD_KEY), c.get(ConfigKeys.INGEST_SPREAD));
    }
}

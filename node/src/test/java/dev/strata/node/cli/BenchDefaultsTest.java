package dev.strata.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.ingest.bench.IngestBench;
import dev.strata.node.config.ConfigKeys;
import org.junit.jupiter.api.Test;

/**
 * {@code strata bench ingest --mode kafka} encodes exactly as a node with default settings reads: same
 * topic, shard count and spread as the node's configuration defaults (they once differed: strata-ingest
 * and spread 3).
 */
class BenchDefaultsTest {
    @Test
    void theIngestBenchWritesWhatADefaultNodeReads() {
        assertEquals(ConfigKeys.KAFKA_TOPIC.defaultValue(), IngestBench.DEFAULTS.get("topic"));
        assertEquals(ConfigKeys.SHARDS.defaultValue(), Integer.valueOf(IngestBench.DEFAULTS.get("shards")));
        assertEquals(ConfigKeys.INGEST_SPREAD.defaultValue(), Integer.valueOf(IngestBench.DEFAULTS.get("spread")));
        assertEquals(java.util.List.of("__name__"), ConfigKeys.INGEST_SHARD_KEY.defaultValue(),
                "the bench maps by metric name only");
    }
}

package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.config.ConfigException;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final long MIB = 1L << 20;

    @Test
    void zeroDerivesHalfTheHeapOverTheOwnedShards() {
        assertEquals(64 * MIB, MemoryBudget.perShard(0, 8, 1024 * MIB));
        assertEquals(MemoryBudget.MIN_PER_SHARD, MemoryBudget.perShard(0, 0, 1024 * MIB), "a gateway-only node owns none");
    }

    @Test
    void aConfiguredBudgetThatFitsIsKept() {
        assertEquals(16 * MIB, MemoryBudget.perShard(16 * MIB, 4, 384 * MIB));
        assertEquals(64 * MIB, MemoryBudget.perShard(64 * MIB, 8, 1024 * MIB));
    }

    @Test
    void oneThatDoesNotFitNamesTheKeys() {
        ConfigException e = assertThrows(ConfigException.class, () -> MemoryBudget.perShard(256 * MIB, 8, 1024 * MIB));
        assertTrue(e.getMessage().contains("store.memory-budget-per-shard=256MiB x 8 owned shards = 2048MiB exceeds 50%"), e.getMessage());
        assertTrue(e.getMessage().contains("at most 64MiB"), e.getMessage());
        assertTrue(e.getMessage().contains("cluster.replicas"), e.getMessage());
        ConfigException tiny = assertThrows(ConfigException.class, () -> MemoryBudget.perShard(0, 4096, 1024 * MIB));
        assertTrue(tiny.getMessage().contains("below the minimum"), tiny.getMessage());
    }
}

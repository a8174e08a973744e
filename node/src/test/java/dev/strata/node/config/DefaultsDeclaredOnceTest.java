package dev.strata.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.ingest.flush.FlushConfig;
import dev.strata.store.memstore.MemShardOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A component run without a node (tests, tools) gets the same defaults as a node with no configuration:
 * the options classes' defaults and the configuration keys' defaults are one declaration (the memstore's
 * budget was once 1 GiB in MemShardOptions and 256 MiB in the configuration).
 */
class DefaultsDeclaredOnceTest {
    @Test
    void memoryStoreDefaultsAreTheConfigurationDefaults() {
        // The budget's configuration default is 0, "derived from the heap by the node" (ShardsComponent);
        // a component run without a node uses MemShardOptions' fixed default instead. Everything else is one declaration.
        MemoryStoreSettings settings = MemoryStoreSettings.from(ConfigKeys.DEF.resolve(java.util.List.of()));
        assertEquals(0L, settings.memoryBudgetPerShard());
        assertEquals(MemShardOptions.defaults(), settings.toOptions(MemShardOptions.DEFAULT_MEMORY_BUDGET_BYTES));
    }

    @Test
    void flushDefaultsAreTheConfigurationDefaults() {
        ResolvedConfig c = ConfigKeys.DEF.resolve(java.util.List.of());
        Duration retention = MemoryStoreSettings.from(c).memoryRetention();
        assertEquals(FlushConfig.defaults(), DurabilitySettings.from(c).toFlushConfig(retention));
    }
}

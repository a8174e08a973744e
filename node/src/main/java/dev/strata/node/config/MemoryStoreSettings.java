package dev.strata.node.config;

import dev.strata.store.memstore.MemShardOptions;
import java.time.Duration;

/**
 * The in-memory shards' chunking, out-of-order window, memory budget, memory retention and the
 * share of the budget paged chunks may keep.
 */
public record MemoryStoreSettings(Duration chunkDuration, int maxSamplesPerChunk, Duration outOfOrderWindow,
                                  long memoryBudgetPerShard, Duration memoryRetention, long pagedChunkCachePerShard) {
    public static MemoryStoreSettings from(ResolvedConfig c) {
        return new MemoryStoreSettings(c.get(ConfigKeys.STORE_CHUNK_DURATION), c.get(ConfigKeys.STORE_MAX_SAMPLES_PER_CHUNK),
                c.get(ConfigKeys.STORE_OUT_OF_ORDER_WINDOW), c.get(ConfigKeys.STORE_MEMORY_BUDGET),
                c.get(ConfigKeys.STORE_MEMORY_RETENTION), c.get(ConfigKeys.STORE_PAGED_CHUNK_CACHE));
    }

    /**
     * @param budgetPerShard the budget in force: {@link #memoryBudgetPerShard} checked against the heap, or
     *                       derived from it when that is 0 (see the node's {@code MemoryBudget})
     */
    public MemShardOptions toOptions(long budgetPerShard) {
        return MemShardOptions.defaults()
                .withChunking(chunkDuration.toMillis(), maxSamplesPerChunk)
                .withOutOfOrderWindowMs(outOfOrderWindow.toMillis())
                .withMemoryBudgetBytes(budgetPerShard);
    }
}

package dev.strata.node;

import dev.strata.node.config.ConfigException;
import dev.strata.node.config.ConfigKeys;

/**
 * The memory budget of each shard this node owns, checked against the JVM heap at start. The budgets of
 * all owned shards together may take at most {@link #HEAP_SHARE} of the maximum heap: the rest is for
 * request decoding, the label indexes, queries and the clients, which the budget does not count. With
 * {@code store.memory-budget-per-shard=0} the budget is derived: that share divided by the owned shards.
 * A configured budget that does not fit fails the start with a message naming the keys, instead of an
 * OutOfMemoryError hours later under back-pressure.
 */
final class MemoryBudget {
    /** Share of the maximum heap the shards' budgets may take together. */
    static final double HEAP_SHARE = 0.5;
    /** Smallest per-shard budget a node runs with. */
    static final long MIN_PER_SHARD = 4L << 20;

    private MemoryBudget() {}

    /**
     * @param configured  {@code store.memory-budget-per-shard} (0: derive from the heap)
     * @param ownedShards shards this node opens (0 on a gateway-only node: nothing to check)
     * @param maxHeap     {@code Runtime.maxMemory()}
     * @return the per-shard budget to use
     * @throws ConfigException naming the keys when the budget does not fit the heap
     */
    static long perShard(long configured, int ownedShards, long maxHeap) {
        if (ownedShards == 0) return configured == 0 ? MIN_PER_SHARD : configured;
        long allowed = (long) (maxHeap * HEAP_SHARE);
        if (configured == 0) {
            long derived = allowed / ownedShards;
            if (derived < MIN_PER_SHARD) {
                throw new ConfigException(ConfigKeys.STORE_MEMORY_BUDGET.name() + "=0 derives " + mib(derived) + " per shard from "
                        + mib(maxHeap) + " of heap (-Xmx) for " + ownedShards + " owned shards, below the minimum of " + mib(MIN_PER_SHARD)
                        + ": give the JVM more heap or the node fewer shards (" + ConfigKeys.SHARDS.name() + ", "
                        + ConfigKeys.CLUSTER_NODES.name() + ", " + ConfigKeys.CLUSTER_REPLICAS.name() + ")");
            }
            return derived;
        }
        if (configured > allowed / ownedShards) {
            throw new ConfigException(ConfigKeys.STORE_MEMORY_BUDGET.name() + "=" + mib(configured) + " x " + ownedShards
                    + " owned shards = " + mib(configured * ownedShards) + " exceeds " + (int) (HEAP_SHARE * 100) + "% of the JVM's "
                    + mib(maxHeap) + " heap (-Xmx): set " + ConfigKeys.STORE_MEMORY_BUDGET.name() + " to at most "
                    + mib(allowed / ownedShards) + " (or 0 to derive it from the heap), give the JVM more heap, or the node fewer"
                    + " shards (" + ConfigKeys.SHARDS.name() + ", " + ConfigKeys.CLUSTER_NODES.name() + ", "
                    + ConfigKeys.CLUSTER_REPLICAS.name() + ")");
        }
        return configured;
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + "MiB";
    }
}

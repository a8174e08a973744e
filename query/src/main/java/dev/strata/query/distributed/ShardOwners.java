package dev.strata.query.distributed;

/**
 * Who owns which shard, as the distributed query code needs it: this node's ordinal and, per shard,
 * its owners in ownership order. The node derives it from its ordinal and the replica count. Immutable.
 */
public interface ShardOwners {
    /** This node's ordinal. */
    int self();

    /** The ordinals of the nodes that own {@code shard}, in ownership order. */
    int[] owners(int shard);

    /** The number of shards of the cluster (shards are 0 .. shardCount-1). */
    int shardCount();
}

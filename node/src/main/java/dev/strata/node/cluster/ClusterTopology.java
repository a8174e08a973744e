package dev.strata.node.cluster;

import dev.strata.query.distributed.ShardOwners;
import dev.strata.node.config.ClusterSettings;
import java.util.List;

/**
 * The cluster as this node sees it: its own ordinal, who owns which shard and where every node is.
 * Derived once at start from configuration and the host name; immutable.
 */
public record ClusterTopology(int self, ShardOwnership ownership, PeerAddresses peers) implements ShardOwners {

    /**
     * @param hostname this machine's host name (the pod name in Kubernetes), for the ordinal when
     *                 {@code node.ordinal} is -1
     * @throws IllegalArgumentException naming the setting that is inconsistent
     */
    public static ClusterTopology from(ClusterSettings c, String hostname) {
        int self = NodeOrdinal.resolve(c.ordinal(), hostname, c.nodes());
        return new ClusterTopology(self, new ShardOwnership(c.nodes(), c.shards(), c.replicas()),
                new PeerAddresses(c.peers(), c.peerTemplate(), c.namespace(), c.nodes()));
    }

    /** The shards this node opens and serves. */
    public List<Integer> ownedShards() {
        return ownership.ownedBy(self);
    }

    public boolean ownsShard(int shard) {
        return ownership.owns(self, shard);
    }

    @Override
    public int[] owners(int shard) {
        return ownership.owners(shard);
    }

    @Override
    public int shardCount() {
        return ownership.shards();
    }
}

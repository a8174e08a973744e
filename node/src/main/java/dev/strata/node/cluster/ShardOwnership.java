package dev.strata.node.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which nodes own which shards: N nodes (ordinals 0..N-1), S shards, replication factor R.
 *
 * <p>Scheme: lay the S*R replica slots out in shard order (shard s has slots s*R .. s*R+R-1) and deal
 * them round-robin to the nodes: slot i goes to node {@code i mod N}. Hence
 * <ul>
 *   <li>the R owners of a shard are R consecutive ordinals (mod N), so distinct whenever R &lt;= N;</li>
 *   <li>every node holds floor(S*R/N) or ceil(S*R/N) shards (perfect balance);</li>
 *   <li>it is a pure function of (N, S, R): every node computes the same table without talking.</li>
 * </ul>
 * The first owner of a shard ({@code k = 0}) is its preferred owner for reads. Immutable.
 */
public final class ShardOwnership {
    private final int nodes;
    private final int shards;
    private final int replicas;

    public ShardOwnership(int nodes, int shards, int replicas) {
        if (nodes < 1) throw new IllegalArgumentException("cluster.nodes must be >= 1, got " + nodes);
        if (shards < 1) throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        if (replicas < 1 || replicas > nodes) {
            throw new IllegalArgumentException("cluster.replicas must be in [1, cluster.nodes=" + nodes + "], got " + replicas);
        }
        this.nodes = nodes;
        this.shards = shards;
        this.replicas = replicas;
    }

    public int nodes() { return nodes; }
    public int shards() { return shards; }
    public int replicas() { return replicas; }

    /** The ordinals owning {@code shard}, preferred owner first. */
    public int[] owners(int shard) {
        if (shard < 0 || shard >= shards) throw new IllegalArgumentException("shard " + shard + " not in [0, " + shards + ")");
        int[] out = new int[replicas];
        long base = (long) shard * replicas;
        for (int k = 0; k < replicas; k++) out[k] = (int) ((base + k) % nodes);
        return out;
    }

    public boolean owns(int ordinal, int shard) {
        for (int o : owners(shard)) if (o == ordinal) return true;
        return false;
    }

    /** The shards {@code ordinal} owns, ascending. */
    public List<Integer> ownedBy(int ordinal) {
        if (ordinal < 0 || ordinal >= nodes) {
            throw new IllegalArgumentException("node ordinal " + ordinal + " not in [0, cluster.nodes=" + nodes + ")");
        }
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < shards; s++) if (owns(ordinal, s)) out.add(s);
        return out;
    }

    @Override
    public String toString() {
        return "ShardOwnership[nodes=" + nodes + ", shards=" + shards + ", replicas=" + replicas + "]";
    }

    /** For messages: the owners of a shard as text. */
    public String ownersText(int shard) {
        return Arrays.toString(owners(shard));
    }
}

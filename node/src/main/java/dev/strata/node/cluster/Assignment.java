package dev.strata.node.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which nodes own which shard, at one epoch of the cluster: {@code owners(s)} lists the ordinals of the
 * nodes that hold shard {@code s}, preferred owner first, all distinct (a shard may have fewer than
 * {@code replicas} owners while the cluster has fewer eligible nodes, and none when it has none).
 * Immutable.
 *
 * <p>Text form ({@link #encode()}, stored in the cluster's assignment row, docs/format/membership.md):
 * {@code 1 EPOCH SHARDS REPLICAS O,O;O,O;...}: format version 1, then space-separated the epoch, the
 * shard count, the replica count and, per shard in shard order, its owners comma-separated, shards
 * separated by {@code ;} (a shard with no owner is an empty field).
 */
public final class Assignment {
    private final long epoch;
    private final int replicas;
    private final int[][] owners;

    /** @throws IllegalArgumentException for a negative epoch, no shards, or repeated or negative owners */
    public Assignment(long epoch, int replicas, int[][] owners) {
        if (epoch < 0) throw new IllegalArgumentException("assignment epoch must be >= 0, got " + epoch);
        if (replicas < 1) throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
        if (owners.length < 1) throw new IllegalArgumentException("an assignment needs at least one shard");
        this.epoch = epoch;
        this.replicas = replicas;
        this.owners = new int[owners.length][];
        for (int s = 0; s < owners.length; s++) {
            int[] o = owners[s].clone();
            if (o.length > replicas) throw new IllegalArgumentException("shard " + s + " has " + o.length + " owners, replicas=" + replicas);
            for (int i = 0; i < o.length; i++) {
                if (o[i] < 0) throw new IllegalArgumentException("shard " + s + ": negative owner " + o[i]);
                for (int j = 0; j < i; j++) {
                    if (o[j] == o[i]) throw new IllegalArgumentException("shard " + s + ": node " + o[i] + " listed twice");
                }
            }
            this.owners[s] = o;
        }
    }

    /** The static layout of {@link ShardOwnership} (cluster.nodes given), as an assignment at epoch 0. */
    public static Assignment of(ShardOwnership ownership) {
        int[][] o = new int[ownership.shards()][];
        for (int s = 0; s < o.length; s++) o[s] = ownership.owners(s);
        return new Assignment(0, ownership.replicas(), o);
    }

    public long epoch() { return epoch; }
    public int shards() { return owners.length; }
    public int replicas() { return replicas; }

    /** The owners of {@code shard}, preferred first (a copy). */
    public int[] owners(int shard) {
        if (shard < 0 || shard >= owners.length) throw new IllegalArgumentException("shard " + shard + " not in [0, " + owners.length + ")");
        return owners[shard].clone();
    }

    public boolean owns(int ordinal, int shard) {
        for (int o : owners[shard]) if (o == ordinal) return true;
        return false;
    }

    /** The shards {@code ordinal} owns, ascending (empty for a node the assignment does not know). */
    public List<Integer> ownedBy(int ordinal) {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s < owners.length; s++) if (owns(ordinal, s)) out.add(s);
        return out;
    }

    /** Every node that owns at least one shard. */
    public SortedSet<Integer> nodes() {
        SortedSet<Integer> out = new TreeSet<>();
        for (int[] o : owners) for (int n : o) out.add(n);
        return out;
    }

    /**
     * Replica slots that changed hands from {@code before} to this: per shard, the owners here that
     * were not owners there (a slot added or moved counts once; one only removed does not count).
     */
    public int movedSlotsFrom(Assignment before) {
        int moved = 0;
        for (int s = 0; s < owners.length; s++) {
            for (int o : owners[s]) if (before == null || s >= before.shards() || !before.owns(o, s)) moved++;
        }
        return moved;
    }

    public String encode() {
        StringBuilder b = new StringBuilder("1 ").append(epoch).append(' ').append(owners.length).append(' ').append(replicas).append(' ');
        for (int s = 0; s < owners.length; s++) {
            if (s > 0) b.append(';');
            for (int i = 0; i < owners[s].length; i++) {
                if (i > 0) b.append(',');
                b.append(owners[s][i]);
            }
        }
        return b.toString();
    }

    /** @throws IllegalArgumentException naming what is wrong with the text */
    public static Assignment decode(String text) {
        String[] f = text.split(" ", -1);
        if (f.length != 5 || !f[0].equals("1")) {
            throw new IllegalArgumentException("not an assignment of format version 1: '" + abbreviate(text) + "'");
        }
        try {
            long epoch = Long.parseLong(f[1]);
            int shards = Integer.parseInt(f[2]);
            int replicas = Integer.parseInt(f[3]);
            String[] per = f[4].split(";", -1);
            if (per.length != shards) {
                throw new IllegalArgumentException("assignment lists " + per.length + " shards, its header says " + shards);
            }
            int[][] owners = new int[shards][];
            for (int s = 0; s < shards; s++) {
                owners[s] = per[s].isEmpty() ? new int[0] : Arrays.stream(per[s].split(",", -1)).mapToInt(Integer::parseInt).toArray();
            }
            return new Assignment(epoch, replicas, owners);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("assignment has a field that is not a number: '" + abbreviate(text) + "'", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assignment a && a.epoch == epoch && a.replicas == replicas && Arrays.deepEquals(a.owners, owners);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch) * 31 + Arrays.deepHashCode(owners);
    }

    @Override
    public String toString() {
        return "Assignment[" + encode() + "]";
    }
}

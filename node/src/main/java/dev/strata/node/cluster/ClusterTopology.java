package dev.strata.node.cluster;

import dev.strata.query.distributed.ShardOwners;
import dev.strata.node.config.ClusterSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster as this node sees it now: its own ordinal, the latest {@link ClusterView} (assignment and
 * members) and where every member is. One code path for both forms:
 * <ul>
 *   <li><b>static</b> ({@code cluster.nodes} given): a fixed view built once from {@link ShardOwnership}
 *       ({@link Assignment#of}), every node a member at its {@link PeerAddresses} address, announcing its
 *       shards ready, so {@link #owners} is the ownership order, exactly as before membership existed;</li>
 *   <li><b>dynamic</b>: the view membership last read ({@link #update}); it changes as nodes join, leave
 *       and fail.</li>
 * </ul>
 * Thread safe: readers take the current view once per decision ({@link #view()}).
 */
public final class ClusterTopology implements ShardOwners {
    private final int self;
    private final int shards;
    private final int replicas;
    private final ShardOwnership ownership; // static form only
    private final PeerAddresses peers;      // static form only
    private volatile ClusterView view;

    /** The static form: {@code ownership} and {@code peers} fix the cluster. */
    public ClusterTopology(int self, ShardOwnership ownership, PeerAddresses peers) {
        this.self = self;
        this.shards = ownership.shards();
        this.replicas = ownership.replicas();
        this.ownership = ownership;
        this.peers = peers;
        Assignment a = Assignment.of(ownership);
        TreeMap<Integer, Member> members = new TreeMap<>();
        for (int o = 0; o < ownership.nodes(); o++) {
            members.put(o, new Member(o, peers.of(o), "", MemberState.ACTIVE, new TreeSet<>(a.ownedBy(o))));
        }
        this.view = new ClusterView(self, a, members);
    }

    private ClusterTopology(int self, int shards, int replicas) {
        this.self = self;
        this.shards = shards;
        this.replicas = replicas;
        this.ownership = null;
        this.peers = null;
        int[][] none = new int[shards][0];
        this.view = new ClusterView(self, new Assignment(0, replicas, none), new TreeMap<>());
    }

    /**
     * The dynamic form before the first view: no members, no owners (queries find no ready owner, the
     * node opens nothing) until {@link #update} is called.
     */
    public static ClusterTopology dynamic(int self, int shards, int replicas) {
        return new ClusterTopology(self, shards, replicas);
    }

    /**
     * @param hostname this machine's host name (the pod name in Kubernetes), for the ordinal when
     *                 {@code node.ordinal} is -1
     * @throws IllegalArgumentException naming the setting that is inconsistent
     */
    public static ClusterTopology from(ClusterSettings c, String hostname) {
        if (c.dynamic()) {
            return dynamic(NodeOrdinal.resolve(c.ordinal(), hostname, Integer.MAX_VALUE), c.shards(), c.replicas());
        }
        int self = NodeOrdinal.resolve(c.ordinal(), hostname, c.nodes());
        return new ClusterTopology(self, new ShardOwnership(c.nodes(), c.shards(), c.replicas()),
                new PeerAddresses(c.peers(), c.peerTemplate(), c.namespace(), c.nodes()));
    }

    /** True for the dynamic form (membership gives the views). */
    public boolean dynamic() {
        return ownership == null;
    }

    /** Replaces the view (dynamic form; membership's thread). Views of an older epoch than the current are kept out. */
    public void update(ClusterView next) {
        if (ownership != null) throw new IllegalStateException("the static cluster form has a fixed view");
        if (next.self() != self) throw new IllegalArgumentException("view of node " + next.self() + " given to node " + self);
        if (next.assignment().shards() != shards) {
            throw new IllegalArgumentException("the cluster's assignment has " + next.assignment().shards() + " shards, this node is "
                    + "configured with shards=" + shards + "; every node must use the same shards setting");
        }
        synchronized (this) {
            if (next.assignment().epoch() < view.assignment().epoch()) return;
            view = next;
        }
    }

    public ClusterView view() {
        return view;
    }

    @Override
    public int self() {
        return self;
    }

    public int replicas() {
        return replicas;
    }

    /** The static form's ownership (null with dynamic membership). */
    public ShardOwnership ownership() {
        return ownership;
    }

    /** The static form's addresses (null with dynamic membership). */
    public PeerAddresses peers() {
        return peers;
    }

    /** True when the cluster is, and stays, this one node: the static form with cluster.nodes=1. */
    public boolean singleNode() {
        return ownership != null && ownership.nodes() == 1;
    }

    /** Every member the view knows (down ones included), by ordinal: the nodes status pages ask. */
    public SortedSet<Integer> members() {
        return new TreeSet<>(view.members().keySet());
    }

    /** host:port of member {@code ordinal}'s cluster port. @throws IllegalArgumentException for an unknown member */
    public String address(int ordinal) {
        if (peers != null) return peers.of(ordinal);
        Member m = view.members().get(ordinal);
        if (m == null || m.address().isEmpty()) throw new IllegalArgumentException("node " + ordinal + " is not a known member");
        return m.address();
    }

    /** The shards the assignment gives this node. */
    public List<Integer> ownedShards() {
        return view.assignment().ownedBy(self);
    }

    public boolean ownsShard(int shard) {
        return view.assignment().owns(self, shard);
    }

    /**
     * Where to read {@code shard}, best first: the assignment's owners that announce it ready (in the
     * assignment's order), then other live members announcing it ready (a handoff's old owners), then
     * the assignment's owners not yet ready (the router skips those that do not serve it).
     */
    @Override
    public int[] owners(int shard) {
        ClusterView v = view;
        Set<Integer> out = new LinkedHashSet<>(v.readyOwners(shard));
        out.addAll(v.servingMembers(shard));
        for (int o : v.assignment().owners(shard)) out.add(o);
        List<Integer> l = new ArrayList<>(out);
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = l.get(i);
        return a;
    }

    @Override
    public int shardCount() {
        return shards;
    }
}

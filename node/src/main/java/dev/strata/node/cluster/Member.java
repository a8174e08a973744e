package dev.strata.node.cluster;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One node as the cluster sees it: what it announces in the members table, and whether it is alive.
 *
 * @param ordinal     the node's identity: its StatefulSet ordinal or {@code node.ordinal}; unique in the cluster
 * @param address     host:port of its cluster port (node-to-node traffic)
 * @param zone        its failure zone ({@code node.zone} or the Kubernetes node's
 *                    {@code topology.kubernetes.io/zone}); empty when unknown
 * @param state       what it announced, or {@link MemberState#DOWN} when its heartbeat is too old
 * @param readyShards the shards it has open and caught up, as of its last heartbeat
 */
public record Member(int ordinal, String address, String zone, MemberState state, SortedSet<Integer> readyShards) {
    public Member {
        if (ordinal < 0) throw new IllegalArgumentException("member ordinal must be >= 0, got " + ordinal);
        address = address == null ? "" : address;
        zone = zone == null ? "" : zone;
        readyShards = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(readyShards));
    }

    public Member(int ordinal, String address, String zone, MemberState state, Set<Integer> readyShards) {
        this(ordinal, address, zone, state, new TreeSet<>(readyShards));
    }

    /** The same member in another state. */
    public Member withState(MemberState s) {
        return new Member(ordinal, address, zone, s, readyShards);
    }
}

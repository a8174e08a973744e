package dev.strata.node.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster as this node last read it: the assignment in force and every known member (alive or
 * {@link MemberState#DOWN}). Immutable; a new view replaces the old one as heartbeats are read.
 *
 * @param self       this node's ordinal
 * @param assignment the assignment in force (its epoch orders views)
 * @param members    every member by ordinal, this node included
 */
public record ClusterView(int self, Assignment assignment, SortedMap<Integer, Member> members) {
    public ClusterView {
        members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
    }

    /** The members that may own shards now (alive, {@link MemberState#eligible()}), by ordinal. */
    public List<Member> eligible() {
        List<Member> out = new ArrayList<>();
        for (Member m : members.values()) if (m.state().eligible()) out.add(m);
        return out;
    }

    /** The assignment's owners of {@code shard} that announce it ready. */
    public List<Integer> readyOwners(int shard) {
        List<Integer> out = new ArrayList<>();
        for (int o : assignment.owners(shard)) {
            Member m = members.get(o);
            if (m != null && m.state() != MemberState.DOWN && m.readyShards().contains(shard)) out.add(o);
        }
        return out;
    }

    /** Every live member that announces {@code shard} ready, owner in the assignment or not (a handoff's old owner). */
    public List<Integer> servingMembers(int shard) {
        List<Integer> out = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.state() != MemberState.DOWN && m.readyShards().contains(shard)) out.add(m.ordinal());
        }
        return out;
    }
}

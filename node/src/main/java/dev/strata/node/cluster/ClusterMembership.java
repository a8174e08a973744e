package dev.strata.node.cluster;

import java.util.function.Consumer;

/**
 * Membership as the rest of the node uses it: the current {@link ClusterView}, a call when it changes,
 * and the two things a node may announce. Implemented over Cassandra by {@code Membership}; tests may
 * use an in-memory one. Thread safe.
 */
public interface ClusterMembership {
    /** The latest view (never null once started). */
    ClusterView view();

    /** Calls {@code listener} with each new view (on the membership's own thread; keep it short). */
    void onChange(Consumer<ClusterView> listener);

    /** Announces this node's own state (JOINING, ACTIVE, LEAVING) at once, and with every heartbeat after. */
    void announce(MemberState state);

    /**
     * Marks node {@code ordinal} drained (or not): an operator's decision, kept across restarts of that
     * node, until undrained. A drained live node's state is {@link MemberState#DRAINED}.
     */
    void setDrained(int ordinal, boolean drained);
}

package dev.strata.node.cluster;

import java.util.Locale;

/**
 * What a member of the cluster announces about itself (the {@code state} column of the members table),
 * plus {@link #DOWN}, which no node announces: a member whose heartbeat is older than
 * {@code cluster.failure-timeout} is down.
 */
public enum MemberState {
    /** Started, announcing itself; gets replica slots, not yet caught up on them. */
    JOINING,
    /** Serving; gets replica slots. */
    ACTIVE,
    /** Stopping (SIGTERM): gets no slots; keeps serving its shards until their new owners are ready. */
    LEAVING,
    /** Drained by an operator: running, gets no slots, serves nothing once handed off. */
    DRAINED,
    /** Missed heartbeats for the failure timeout; never announced by a node itself. */
    DOWN;

    /** True when the assignment gives this member replica slots. */
    public boolean eligible() {
        return this == JOINING || this == ACTIVE;
    }

    /** The lower-case name used in tables, JSON and logs. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static MemberState parse(String s) {
        for (MemberState m : values()) if (m.text().equals(s)) return m;
        throw new IllegalArgumentException("unknown member state '" + s + "'; states are joining, active, leaving, drained, down");
    }
}

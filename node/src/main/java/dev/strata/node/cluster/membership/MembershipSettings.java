package dev.strata.node.cluster.membership;

import java.time.Duration;

/**
 * What {@link Membership} needs to know about this node and the cluster's shape.
 *
 * @param self              this node's ordinal (its identity in the cluster)
 * @param advertiseAddress  host:port other nodes reach this node's cluster port at
 * @param zone              this node's failure zone, empty when unknown; letters, digits, {@code . _ -} only
 *                          (it is stored in the assignment row's member list, docs/format/membership.md)
 * @param shards            number of shards
 * @param replicas          wanted owners per shard (R)
 * @param heartbeatInterval how often the node writes its heartbeat and reads the cluster
 * @param failureTimeout    a member whose heartbeat is older is down; more than twice the heartbeat
 *                          interval, so one late heartbeat does not take a node out
 */
public record MembershipSettings(int self, String advertiseAddress, String zone, int shards, int replicas,
                                 Duration heartbeatInterval, Duration failureTimeout) {
    /** @throws IllegalArgumentException naming the setting that is out of range */
    public MembershipSettings {
        if (self < 0) throw new IllegalArgumentException("node ordinal must be >= 0, got " + self);
        if (advertiseAddress == null || advertiseAddress.isBlank()) {
            throw new IllegalArgumentException("membership needs this node's advertise address (host:port)");
        }
        zone = zone == null ? "" : zone;
        if (!zone.matches("[A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("zone '" + zone + "' may hold only letters, digits, '.', '_' and '-'");
        }
        if (shards < 1) throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        if (replicas < 1) throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
        if (heartbeatInterval.toMillis() < 1) {
            throw new IllegalArgumentException("heartbeat interval must be at least 1ms, got " + heartbeatInterval);
        }
        if (failureTimeout.compareTo(heartbeatInterval.multipliedBy(2)) <= 0) {
            throw new IllegalArgumentException("failure timeout " + failureTimeout.toMillis() + "ms must be more than twice the heartbeat interval "
                    + heartbeatInterval.toMillis() + "ms");
        }
    }

    /**
     * The TTL of the heartbeat columns: the failure timeout rounded up to whole seconds, plus one.
     * Cassandra counts a TTL from the write's time truncated to the second, so a TTL of n seconds ends
     * between n-1 and n seconds after the write; with the extra second, a member is seen down between
     * {@code failureTimeout} and one second after it since its last heartbeat, never before (a TTL of
     * exactly 2 s was seen to expire 1.18 s after the write).
     */
    public int heartbeatTtlSeconds() {
        long ms = failureTimeout.toMillis();
        return (int) ((ms + 999) / 1000) + 1;
    }
}

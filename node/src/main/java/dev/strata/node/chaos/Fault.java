package dev.strata.node.chaos;

/**
 * One planned fault: what is done to which process, for how long, after how long a quiet time.
 *
 * @param number      1, 2, ... in the order injected
 * @param kind        what is done (process faults and membership faults)
 * @param target      the process hurt; null for {@link Kind#JOIN} (the node does not exist yet)
 * @param quietMs     time without a fault before this one
 * @param downMs      how long the process stays killed or paused; 0 for membership faults
 * @param flushGroups for {@link Kind#RECONFIGURE}: the node's new {@code flush.groups}; 0 otherwise
 * @param joining     for {@link Kind#JOIN}: the new node's name ({@code node-<ordinal>}); null otherwise
 */
public record Fault(int number, Kind kind, FaultTarget target, long quietMs, long downMs, int flushGroups, String joining) {
    public enum Kind {
        /** SIGKILL, down for a while, started again on the same data (the window lasts until it is ready again). */
        KILL,
        /** SIGSTOP, then SIGCONT: the process hangs with its connections open. */
        PAUSE,
        /** SIGKILL, then started again with a changed {@code flush.groups} (nodes only). */
        RECONFIGURE,
        /** A node with a new ordinal starts and joins (the window lasts until every shard has its ready owners). */
        JOIN,
        /** SIGTERM of a node: it hands its shards over and exits for good (the window lasts until it is gone and R is met). */
        LEAVE,
        /** SIGKILL of a node that never comes back: after the failure timeout others take its shards (window: until R is met). */
        CRASH
    }

    /** A process fault (kill, pause, reconfigure) of an existing target. */
    public Fault(int number, Kind kind, FaultTarget target, long quietMs, long downMs, int flushGroups) {
        this(number, kind, target, quietMs, downMs, flushGroups, null);
    }

    /** Whether this fault changes the cluster's members for good (join, leave, crash). */
    public boolean membership() {
        return kind == Kind.JOIN || kind == Kind.LEAVE || kind == Kind.CRASH;
    }

    /** The fault window's name in the table: {@code kill kafka}, {@code pause node-1}, {@code join node-2}... */
    public String label() {
        return switch (kind) {
            case KILL -> "kill " + target.name();
            case PAUSE -> "pause " + target.name();
            case RECONFIGURE -> "flush.groups " + target.name();
            case JOIN -> "join " + joining;
            case LEAVE -> "leave " + target.name();
            case CRASH -> "crash " + target.name();
        };
    }

    @Override
    public String toString() {
        return "fault " + number + ": " + switch (kind) {
            case KILL -> "SIGKILL " + target.name() + ", restart after " + downMs + " ms";
            case PAUSE -> "SIGSTOP " + target.name() + ", SIGCONT after " + downMs + " ms";
            case RECONFIGURE -> "SIGKILL " + target.name() + ", restart after " + downMs + " ms with flush.groups=" + flushGroups;
            case JOIN -> "start " + joining + " (a new ordinal), it joins";
            case LEAVE -> "SIGTERM " + target.name() + ", it hands its shards over and leaves";
            case CRASH -> "SIGKILL " + target.name() + " for good, the others take its shards";
        };
    }
}

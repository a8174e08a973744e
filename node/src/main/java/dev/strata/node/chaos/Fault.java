package dev.strata.node.chaos;

/**
 * One planned fault: what is done to which process, for how long, after how long a quiet time.
 *
 * @param number      1, 2, ... in the order injected
 * @param kind        kill, pause, or kill and restart with another {@code flush.groups}
 * @param target      the process hurt
 * @param quietMs     time without a fault before this one
 * @param downMs      how long the process stays killed or paused
 * @param flushGroups for {@link Kind#RECONFIGURE}: the node's new {@code flush.groups}; 0 otherwise
 */
public record Fault(int number, Kind kind, FaultTarget target, long quietMs, long downMs, int flushGroups) {
    public enum Kind {
        /** SIGKILL, down for a while, started again on the same data (the window lasts until it is ready again). */
        KILL,
        /** SIGSTOP, then SIGCONT: the process hangs with its connections open. */
        PAUSE,
        /** SIGKILL, then started again with a changed {@code flush.groups} (nodes only). */
        RECONFIGURE
    }

    /** The fault window's name in the table: {@code kill kafka}, {@code pause node-1}, {@code flush.groups node-0}. */
    public String label() {
        return switch (kind) {
            case KILL -> "kill " + target.name();
            case PAUSE -> "pause " + target.name();
            case RECONFIGURE -> "flush.groups " + target.name();
        };
    }

    @Override
    public String toString() {
        return "fault " + number + ": " + switch (kind) {
            case KILL -> "SIGKILL " + target.name() + ", restart after " + downMs + " ms";
            case PAUSE -> "SIGSTOP " + target.name() + ", SIGCONT after " + downMs + " ms";
            case RECONFIGURE -> "SIGKILL " + target.name() + ", restart after " + downMs + " ms with flush.groups=" + flushGroups;
        };
    }
}

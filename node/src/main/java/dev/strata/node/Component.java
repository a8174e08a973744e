package dev.strata.node;

/**
 * A part of a running node with a lifecycle: started in order by {@link Node}, stopped in reverse
 * order, and asked for readiness by {@code GET /-/ready}.
 */
public interface Component {
    /** Short lower-case name, shown in logs and in the readiness report ("kafka", "http"). */
    String name();

    /**
     * Starts the component. Must not block for long: work that waits on other systems (connecting,
     * replaying) continues in the background and is reflected by {@link #isReady()}.
     *
     * @throws Exception if the component cannot start at all; the node then stops what it started
     */
    void start() throws Exception;

    /** Whether the component can do its job now. Called from HTTP threads: cheap, non-blocking. */
    boolean isReady();

    /** Releases everything the component holds. Called once, also after a failed or partial start. */
    void stop() throws Exception;
}

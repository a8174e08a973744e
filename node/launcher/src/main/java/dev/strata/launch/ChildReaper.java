package dev.strata.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Stops every live forked server when this JVM exits normally or by a signal (Ctrl-C = SIGINT,
 * SIGTERM): one shutdown hook, installed on the first fork, stops the children one by one, the most
 * recently started first (a Strata node before the Kafka and Cassandra it uses), each with a graceful
 * SIGTERM and a SIGKILL if it is still alive after the grace period. If this JVM is itself
 * SIGKILLed, hooks do not run; {@link ParentWatch} inside each child covers that case.
 */
public final class ChildReaper {
    /** How long a child may take to stop on SIGTERM during JVM exit. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(30);

    /** In start order. */
    private static final List<ChildProcess> LIVE = Collections.synchronizedList(new ArrayList<>());
    private static volatile boolean hookInstalled;
    private static volatile boolean exiting;

    private ChildReaper() {}

    /**
     * Adds a freshly forked child; false once this JVM is exiting (the hook has taken its list of
     * children to stop, so the caller must stop this one itself: a restart racing with Ctrl-C).
     */
    static boolean register(ChildProcess child) {
        installHook();
        synchronized (LIVE) {
            if (exiting) {
                return false;
            }
            LIVE.add(child);
            return true;
        }
    }

    static void unregister(ChildProcess child) {
        LIVE.remove(child);
    }

    /** The children started by this JVM that have not been stopped yet. */
    public static List<ChildProcess> live() {
        synchronized (LIVE) {
            return List.copyOf(LIVE);
        }
    }

    private static synchronized void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ChildReaper::stopAll, "strata-child-reaper"));
            hookInstalled = true;
        }
    }

    /** Whether this JVM is exiting and the hook is stopping the children (so a child's exit is expected). */
    public static boolean exiting() {
        return exiting;
    }

    /** Stops all live children, newest first; returns when all are gone. */
    static void stopAll() {
        List<ChildProcess> children;
        synchronized (LIVE) { // with register: every child is either in this list or refused
            exiting = true;
            children = new ArrayList<>(LIVE);
        }
        Collections.reverse(children);
        for (ChildProcess child : children) {
            try {
                child.stop(EXIT_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

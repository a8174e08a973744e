package dev.strata.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops every live forked server when this JVM exits normally or by a signal (Ctrl-C = SIGINT,
 * SIGTERM): one shutdown hook, installed on the first fork, stops the children in parallel with a
 * graceful SIGTERM and SIGKILLs what is still alive after the grace period. If this JVM is itself
 * SIGKILLed, hooks do not run; {@link ParentWatch} inside each child covers that case.
 */
public final class ChildReaper {
    /** How long a child may take to stop on SIGTERM during JVM exit. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(30);

    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private ChildReaper() {}

    static void register(ChildProcess child) {
        installHook();
        LIVE.add(child);
    }

    static void unregister(ChildProcess child) {
        LIVE.remove(child);
    }

    /** The children started by this JVM that have not been stopped yet. */
    public static List<ChildProcess> live() {
        return List.copyOf(LIVE);
    }

    private static synchronized void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ChildReaper::stopAll, "strata-child-reaper"));
            hookInstalled = true;
        }
    }

    /** Stops all live children in parallel; returns when all are gone. */
    static void stopAll() {
        List<Thread> stoppers = new ArrayList<>();
        for (ChildProcess child : List.copyOf(LIVE)) {
            Thread t = new Thread(() -> {
                try {
                    child.stop(EXIT_GRACE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "strata-stop-" + child.name());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

package dev.strata.node.cli;

import dev.strata.launch.ChildProcess;
import dev.strata.launch.ChildReaper;
import dev.strata.launch.FreePorts;
import java.io.PrintStream;

/** What the foreground commands (kafka, cassandra, dev) share: port checks and waiting on a child. */
final class Foreground {
    private Foreground() {}

    /** Fails before forking anything if a port is taken, naming the option that sets it. */
    static void requireFree(String host, int port, String option) {
        if (FreePorts.accepts(host, port)) {
            throw new IllegalStateException("port " + port + " on " + host + " is already in use (is a previous run "
                    + "still up?); stop that process or choose another port with " + option);
        }
    }

    /**
     * Blocks until {@code child} exits. Ctrl-C or SIGTERM to strata ends the JVM, whose shutdown hook
     * stops the child (dev.strata.launch.ChildReaper); this returns only when the child dies by itself,
     * which is an error: its log tail goes to {@code err}.
     */
    static int awaitExit(ChildProcess child, PrintStream err) throws InterruptedException {
        int code = child.waitFor();
        if (ChildReaper.exiting()) {
            return 0; // stopped by Ctrl-C / SIGTERM to strata, as asked
        }
        err.println(child.name() + " exited on its own with code " + code + ". Last lines of " + child.log() + ":");
        err.println(child.logTail());
        return 1;
    }
}

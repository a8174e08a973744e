package dev.strata.launch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Main class of every forked server JVM: {@code ParentWatch <parent pid> <real main class> <args...>}.
 * Runs the real main and, on a daemon thread, checks twice a second whether the parent process is
 * still alive; when it is gone, calls {@link System#exit} so the server's shutdown hooks stop it
 * cleanly. This covers the one case shutdown hooks in the parent cannot: the parent killed by SIGKILL.
 *
 * <p>SIGINT is ignored in the child: Ctrl-C in a terminal signals the whole process group at once, and
 * the parent must decide the stop order (a Strata node before the Kafka and Cassandra it writes to).
 * The parent's shutdown hook sends SIGTERM to each child in turn ({@link ChildReaper}).
 */
public final class ParentWatch {
    static final long POLL_MILLIS = 500;

    private ParentWatch() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ParentWatch <parent pid> <main class> [args...]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        ignoreSigint();
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        Thread watch = new Thread(() -> watch(parent), "strata-parent-watch");
        watch.setDaemon(true);
        watch.start();
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("restriction")
    private static void ignoreSigint() {
        // A no-op handler rather than SIG_IGN: servers that chain to the previous handler (Kafka logs
        // the signal, then calls it) must find a callable one.
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> { });
    }

    private static void watch(Optional<ProcessHandle> parent) {
        try {
            while (parent.isPresent() && parent.get().isAlive()) {
                Thread.sleep(POLL_MILLIS);
            }
            System.err.println("strata-parent-watch: parent process is gone, shutting down");
            System.exit(143);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

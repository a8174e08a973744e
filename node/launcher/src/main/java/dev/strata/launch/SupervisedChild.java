package dev.strata.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps one server process running, as a StatefulSet controller keeps its pods: when the process
 * exits without being asked to (a crash, SIGKILL, OOM, even exit code 0), the same server is started
 * again after a {@link RestartBackoff} and waited on until ready. Each exit, restart and readiness is
 * one line on {@code out}, starting with the label, e.g. {@code strata dev: node 1 exited with code 137;
 * restarting in 2 s (restart 1)}.
 *
 * <p>Stopping: {@link #close} stops restarting, then stops the process (SIGTERM, SIGKILL after
 * {@link ChildReaper#EXIT_GRACE}). If this JVM exits (Ctrl-C, SIGTERM) the {@link ChildReaper} hook
 * stops the process instead; an exit seen then is expected and not restarted, and a restart that
 * races with the hook is refused when it registers (see {@link ChildProcess#start}), so no process
 * is left behind either way.
 *
 * <p>Threads: one named single-thread scheduler per supervised server runs, in order, the handling of
 * each exit, the back-off and the restart with its readiness wait.
 */
public final class SupervisedChild implements AutoCloseable {
    /** Forks a fresh process of the same server (same command, directory and ports). */
    @FunctionalInterface
    public interface Starter {
        ChildProcess start() throws IOException;
    }

    private final String label;
    private final Starter starter;
    private final Readiness readiness;
    private final Duration readyTimeout;
    private final RestartBackoff backoff;
    private final PrintStream out;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger restarts = new AtomicInteger();
    private final Object lock = new Object();
    /** The latest process; guarded by {@link #lock}. */
    private ChildProcess current;
    /** Set once by {@link #close}; guarded by {@link #lock}, so no start can follow it. */
    private boolean closed;
    /** When the latest process was started (scheduler thread, and the constructor before it runs). */
    private volatile long startedNanos;
    /** Exits since the back-off was last reset (scheduler thread only). */
    private int crashes;

    private SupervisedChild(String label, ChildProcess running, Starter starter, Readiness readiness,
            Duration readyTimeout, RestartBackoff backoff, PrintStream out) {
        this.label = label;
        this.starter = starter;
        this.readiness = readiness;
        this.readyTimeout = readyTimeout;
        this.backoff = backoff;
        this.out = out;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(LocalStack.named("strata-supervise-" + running.name()));
        this.current = running;
        this.startedNanos = System.nanoTime();
    }

    /**
     * Supervises {@code running} (already started and ready) from now on; {@code starter} makes its
     * replacements, which count as ready when {@code readiness} holds within {@code readyTimeout}
     * (else they are killed, which counts as one more exit).
     */
    public static SupervisedChild supervise(String label, ChildProcess running, Starter starter, Readiness readiness,
            Duration readyTimeout, RestartBackoff backoff, PrintStream out) {
        SupervisedChild s = new SupervisedChild(label, running, starter, readiness, readyTimeout, backoff, out);
        s.watch(running);
        return s;
    }

    /** The latest process (alive, starting, or dead and about to be restarted). */
    public ChildProcess current() {
        synchronized (lock) {
            return current;
        }
    }

    /** How many times the server was restarted (or a restart was tried). */
    public int restarts() {
        return restarts.get();
    }

    private void watch(ChildProcess child) {
        child.handle().onExit().thenRunAsync(() -> exited(child), scheduler);
    }

    private void exited(ChildProcess child) {
        int code;
        try {
            code = child.waitFor(); // already gone: unregisters it and removes its pid file
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (lock) {
            if (closed || child != current || ChildReaper.exiting()) {
                return; // asked to stop: not a crash
            }
        }
        boolean stayedUp = System.nanoTime() - startedNanos >= backoff.resetAfter().toNanos();
        scheduleRestart("exited with code " + code, stayedUp);
    }

    private void scheduleRestart(String what, boolean resetBackoff) {
        if (resetBackoff) {
            crashes = 0;
        }
        crashes++;
        Duration delay = backoff.delay(crashes);
        int n = restarts.incrementAndGet();
        out.println(label + " " + what + "; restarting in " + format(delay) + " (restart " + n + ")");
        try {
            scheduler.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing to restart
        }
    }

    private void restart() {
        ChildProcess child;
        synchronized (lock) {
            if (closed || ChildReaper.exiting()) {
                return;
            }
            try {
                child = starter.start();
            } catch (ProcessStartException e) {
                return; // this JVM is exiting (the fresh process was stopped at once)
            } catch (IOException | UncheckedIOException | IllegalStateException e) {
                scheduleRestart("could not be started (" + e.getMessage() + ")", false);
                return;
            }
            current = child;
        }
        startedNanos = System.nanoTime();
        out.println(label + " restarted as pid " + child.pid() + "; waiting until it is ready");
        watch(child); // runs after this method: the scheduler has one thread
        try {
            child.awaitReady(readiness, readyTimeout);
            out.printf("%s ready again (pid %d) %.1f s after its restart%n", label, child.pid(),
                    (System.nanoTime() - startedNanos) / 1e9);
        } catch (ProcessStartException e) {
            if (!isStopping()) {
                out.println(label + " did not become ready: " + e.getMessage()); // its exit restarts it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() interrupts the wait
        }
    }

    private boolean isStopping() {
        synchronized (lock) {
            return closed || ChildReaper.exiting();
        }
    }

    /** Stops restarting, then stops the current process gracefully. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        ChildProcess last;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            last = current;
        }
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        last.stop(ChildReaper.EXIT_GRACE);
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}

package dev.strata.launch;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A server (Kafka broker, Cassandra node) run as a supervised child JVM with its state in one data
 * directory. Subclasses write their configuration and fork the process in {@link #launch()}, which
 * sets {@link #process} once the server is ready; stop, kill, restart and close are the same for all.
 * Not thread-safe: one owner drives start/stop/kill/restart.
 */
public abstract class ForkedServer implements AutoCloseable {
    /** How long a graceful stop (SIGTERM) may take before the process is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(60);

    private final Path dataDir;
    /** The running server; null after stop/kill. */
    protected ChildProcess process;

    protected ForkedServer(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Writes the configuration, forks the server and waits until it is ready (then sets {@link #process}). */
    protected abstract void launch() throws InterruptedException;

    /** The running server process; null after stop/kill. */
    public ChildProcess process() {
        return process;
    }

    /** The server's stdout and stderr. */
    public Path log() {
        return dataDir.resolve("server.log");
    }

    /** Graceful stop (SIGTERM: the server flushes and shuts down cleanly). Idempotent. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.stop(STOP_GRACE);
            process = null;
        }
    }

    /** Abrupt stop (SIGKILL): the next start recovers as after a crash. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    /** Stops (gracefully) if running, then starts again on the same data directory and ports. */
    public void restart() throws InterruptedException {
        stop();
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

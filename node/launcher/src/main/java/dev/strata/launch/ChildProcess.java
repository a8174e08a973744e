package dev.strata.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One forked server JVM: its process, log file and pid file. Output (stdout and stderr) is appended to
 * the log file; only the part written by this start counts for readiness and error messages.
 * Every child is registered with {@link ChildReaper}, which stops it when this JVM exits; a child
 * forked once that exit has begun (a supervised restart racing with Ctrl-C) is stopped at once instead.
 * Thread-safe: stop and kill may race with the reaper; both end with the process gone.
 */
public final class ChildProcess {
    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path log;
    private final Path pidFile;
    private final long logOffset;

    private ChildProcess(String name, Process process, Path log, Path pidFile, long logOffset) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
        this.logOffset = logOffset;
    }

    /** Forks {@code command} in {@code workDir}, appending its output to {@code log}, writing {@code pidFile}. */
    public static ChildProcess start(String name, JavaCommand command, Path workDir, Path log, Path pidFile) {
        PidFile.checkNotRunning(pidFile, name);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            long offset = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(command.toCommandLine())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            Process process = builder.start();
            // stdin is a pipe we never write to: a child reading it sees no terminal and no EOF surprises.
            ChildProcess child = new ChildProcess(name, process, log, pidFile, offset);
            PidFile.write(pidFile, process.pid());
            if (!ChildReaper.register(child)) {
                // This JVM is exiting and its reaper already took the list of children to stop: a
                // supervisor's restart raced with Ctrl-C. Stop the fresh child here so none is left.
                process.destroyForcibly();
                child.exited();
                throw new ProcessStartException(name + " was not started: this JVM is exiting");
            }
            return child;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessStartException(name + " was not started: interrupted");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.java() + ")", e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** A readiness check that waits for {@code marker} in the output of this start. */
    public Readiness logLine(String marker) {
        return new LogLineReadiness(log, logOffset, marker);
    }

    /**
     * Polls {@code readiness} until it holds. Fails fast, with the log tail, if the process exits; on
     * timeout the process is killed so a half-started server does not linger.
     */
    public void awaitReady(Readiness readiness, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                ChildReaper.unregister(this);
                PidFile.delete(pidFile, pid());
                if (ChildReaper.exiting()) {
                    throw new ProcessStartException(name + " was stopped while starting: this JVM is exiting");
                }
                throw new ProcessStartException(name + " exited with code " + process.exitValue()
                        + " before it was ready. Last lines of " + log + ":\n" + logTail());
            }
            if (readiness.isReady()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new ProcessStartException(name + " was not ready after " + timeout.toSeconds()
                        + " s (killed). Last lines of " + log + ":\n" + logTail());
            }
            Thread.sleep(100);
        }
    }

    /** Output of this start, last lines. */
    public String logTail() {
        return LogTail.of(log, logOffset, TAIL_LINES);
    }

    /**
     * Graceful stop: SIGTERM (the server's shutdown hooks flush and close), wait up to {@code grace},
     * then SIGKILL. Returns the exit code. Idempotent.
     */
    public int stop(Duration grace) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println(name + " (pid " + pid() + ") did not stop within " + grace.toSeconds()
                        + " s of SIGTERM: killing it");
                process.destroyForcibly();
            }
        }
        return exited();
    }

    /** Abrupt stop: SIGKILL, as a crash would. Waits until the process is gone. Returns the exit code. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return exited();
    }

    /** Waits for the process to end by itself (foreground commands). Returns the exit code. */
    public int waitFor() throws InterruptedException {
        process.waitFor();
        return exited();
    }

    private int exited() throws InterruptedException {
        int code = process.waitFor();
        ChildReaper.unregister(this);
        PidFile.delete(pidFile, pid());
        return code;
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + log + ")";
    }
}

package dev.strata.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A server's pid file ({@code server.pid} in its data directory). Forked JVMs do not write their own,
 * so the launcher writes the child's pid after the fork and removes it once the child has exited.
 */
public final class PidFile {
    private PidFile() {}

    /**
     * Fails if the pid file names a live process: two servers on one data directory would corrupt it.
     * A stale file (process gone) is ignored and later overwritten.
     */
    public static void checkNotRunning(Path file, String what) {
        read(file).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(p -> {
            throw new IllegalStateException(what + " already runs on this data directory as pid " + p.pid()
                    + " (see " + file + "); stop it first");
        });
    }

    /** The pid in {@code file}, if the file exists and holds a number. */
    public static Optional<Long> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void write(Path file, long pid) {
        try {
            Files.writeString(file, pid + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pid file " + file, e);
        }
    }

    static void delete(Path file, long pid) {
        // Only our own pid: a later server on the same directory may have replaced the file.
        if (read(file).filter(p -> p == pid).isPresent()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A stale pid file is harmless: checkNotRunning ignores dead pids.
            }
        }
    }
}

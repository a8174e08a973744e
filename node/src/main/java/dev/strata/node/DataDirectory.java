package dev.strata.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The node's data directory ({@code data.dir}): created if absent, and locked ({@code LOCK} file,
 * an OS file lock) for the life of the node, so two nodes never share one directory's indexes.
 * Start fails with a message naming the directory when it cannot be created, written or locked.
 */
public final class DataDirectory implements Component {
    static final String LOCK_FILE = "LOCK";

    private final Path dir;
    private FileChannel lockChannel;
    private FileLock lock;

    public DataDirectory(Path dir) {
        this.dir = dir;
    }

    @Override
    public String name() {
        return "data-dir";
    }

    /** The directory, absolute. */
    public Path path() {
        return dir.toAbsolutePath();
    }

    @Override
    public synchronized void start() throws IOException {
        Path abs = path();
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new IOException("cannot create data directory " + abs + " (data.dir): " + e, e);
        }
        if (!Files.isWritable(abs)) {
            throw new IOException("data directory " + abs + " (data.dir) is not writable");
        }
        FileChannel ch = FileChannel.open(abs.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this JVM
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot lock data directory " + abs + ": " + e, e);
        }
        if (l == null) {
            ch.close();
            throw new IOException("data directory " + abs + " (data.dir) is in use by another Strata node (" + LOCK_FILE
                    + " is locked)");
        }
        lockChannel = ch;
        lock = l;
    }

    @Override
    public synchronized boolean isReady() {
        return lock != null && lock.isValid();
    }

    @Override
    public synchronized void stop() throws IOException {
        if (lock != null) {
            lock.release();
            lock = null;
        }
        if (lockChannel != null) {
            lockChannel.close();
            lockChannel = null;
        }
    }
}

package dev.strata.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies what a server appends to its log file to a stream (a foreground command's terminal), on a
 * daemon thread, from the current end of the file. Stop with {@link #close()}; the remaining bytes
 * are copied before the thread ends.
 */
public final class LogFollower implements AutoCloseable {
    private final Path file;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean running = true;
    private long position;

    private LogFollower(Path file, PrintStream out, long position) {
        this.file = file;
        this.out = out;
        this.position = position;
        this.thread = new Thread(this::loop, "strata-log-follower-" + file.getFileName());
        this.thread.setDaemon(true);
    }

    /** Follows {@code file} from its current end. */
    public static LogFollower start(Path file, PrintStream out) {
        long end;
        try {
            end = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            end = 0;
        }
        LogFollower follower = new LogFollower(file, out, end);
        follower.thread.start();
        return follower;
    }

    private void loop() {
        try {
            while (running) {
                if (!copyNewBytes()) {
                    Thread.sleep(200);
                }
            }
            copyNewBytes();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies what was appended since the last call; false if nothing was. */
    private boolean copyNewBytes() {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length < position) {
                position = 0; // truncated: start over
            }
            if (length == position) {
                return false;
            }
            byte[] buffer = new byte[(int) Math.min(length - position, 1 << 16)];
            raf.seek(position);
            raf.readFully(buffer);
            position += buffer.length;
            out.write(buffer, 0, buffer.length);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
    }
}

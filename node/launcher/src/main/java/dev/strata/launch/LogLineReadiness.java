package dev.strata.launch;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ready once a log file contains a marker line written after a given offset (the log is appended to
 * across restarts, so only this start's output counts). Reads incrementally: each poll reads only the
 * new bytes, keeping a short carry so a marker split across two reads is still found.
 */
final class LogLineReadiness implements Readiness {
    private final Path file;
    private final String marker;
    private long position;
    private String carry = "";

    LogLineReadiness(Path file, long fromOffset, String marker) {
        this.file = file;
        this.marker = marker;
        this.position = fromOffset;
    }

    @Override
    public boolean isReady() {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length <= position) {
                return false;
            }
            byte[] bytes = new byte[(int) Math.min(length - position, 1 << 20)];
            raf.seek(position);
            raf.readFully(bytes);
            position += bytes.length;
            String text = carry + new String(bytes, StandardCharsets.UTF_8);
            if (text.contains(marker)) {
                return true;
            }
            carry = text.substring(Math.max(0, text.length() - marker.length()));
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}

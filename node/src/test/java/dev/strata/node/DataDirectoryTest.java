package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void createsAndLocksTheDirectory() throws Exception {
        Path dir = tmp.resolve("a/b/node");
        DataDirectory d = new DataDirectory(dir);
        d.start();
        assertTrue(Files.isDirectory(dir));
        assertTrue(d.isReady());
        DataDirectory second = new DataDirectory(dir);
        IOException e = assertThrows(IOException.class, second::start);
        assertEquals("data directory " + dir.toAbsolutePath() + " (data.dir) is in use by another Strata node (LOCK is locked)",
                e.getMessage());
        d.stop();
        assertFalse(d.isReady());
        second.start(); // free again
        second.stop();
    }

    @Test
    void aFileInTheWayIsReported() throws Exception {
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        IOException e = assertThrows(IOException.class, () -> new DataDirectory(file.resolve("sub")).start());
        assertTrue(e.getMessage().startsWith("cannot create data directory " + file.resolve("sub").toAbsolutePath()), e.getMessage());
    }
}

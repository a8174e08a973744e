package dev.strata.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    private static JavaCommand sleeper() {
        return new JavaCommand(JavaCommand.currentJava(), List.of("-Xmx32m"), System.getProperty("java.class.path"),
                Sleeper.class.getName(), List.of());
    }

    @Test
    void aSecondServerOnTheSameDirectoryIsRefusedAndPidFilesFollowTheProcess(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("server.pid");
        ChildProcess first = ChildProcess.start("sleeper", sleeper(), dir, dir.resolve("server.log"), pid);
        try {
            first.awaitReady(first.logLine("sleeper up"), Duration.ofSeconds(60));
            assertEquals(first.pid(), PidFile.read(pid).orElseThrow());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ChildProcess.start("sleeper", sleeper(), dir, dir.resolve("server.log"), pid));
            assertTrue(e.getMessage().contains("already runs on this data directory as pid " + first.pid()), e.getMessage());
            assertTrue(ChildReaper.live().contains(first));
        } finally {
            first.stop(Duration.ofSeconds(10));
        }
        assertFalse(first.isAlive());
        assertFalse(Files.exists(pid), "pid file outlived the process");
        assertFalse(ChildReaper.live().contains(first));
    }

    @Test
    void aStalePidFileIsIgnored(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("server.pid");
        Process dead = new ProcessBuilder(JavaCommand.currentJava().toString(), "-version").start();
        dead.waitFor();
        Files.writeString(pid, dead.pid() + "\n");
        ChildProcess child = ChildProcess.start("sleeper", sleeper(), dir, dir.resolve("server.log"), pid);
        try {
            assertEquals(child.pid(), PidFile.read(pid).orElseThrow());
        } finally {
            assertEquals(137, child.kill(), "SIGKILL exit code");
        }
    }

    @Test
    void aTimedOutStartIsKilledAndReported(@TempDir Path dir) throws Exception {
        ChildProcess child = ChildProcess.start("sleeper", sleeper(), dir, dir.resolve("server.log"), dir.resolve("server.pid"));
        ProcessStartException e = assertThrows(ProcessStartException.class,
                () -> child.awaitReady(() -> false, Duration.ofMillis(300)));
        assertTrue(e.getMessage().startsWith("sleeper was not ready after 0 s (killed)"), e.getMessage());
        assertFalse(child.isAlive());
    }
}

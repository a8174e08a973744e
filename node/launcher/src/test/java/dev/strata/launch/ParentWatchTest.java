package dev.strata.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Children never outlive the JVM that forked them: normal exit (shutdown hook) and SIGKILL (parent watch). */
class ParentWatchTest {

    @Test
    void aChildStopsWhenItsParentIsSigkilled(@TempDir Path dir) throws Exception {
        Process parent = startParent(dir, "wait");
        long child = readChildPid(parent);
        assertTrue(alive(child));
        parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
        parent.waitFor();
        assertTrue(awaitGone(child, 10_000), "child " + child + " outlived its SIGKILLed parent");
    }

    @Test
    void aChildIsStoppedWhenItsParentExitsNormally(@TempDir Path dir) throws Exception {
        Process parent = startParent(dir, "exit");
        long child = readChildPid(parent);
        assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "parent did not exit");
        assertEquals(0, parent.exitValue());
        assertFalse(alive(child), "child " + child + " outlived its parent's normal exit");
    }

    @Test
    void aChildIsStoppedWhenItsParentGetsSigterm(@TempDir Path dir) throws Exception {
        Process parent = startParent(dir, "wait");
        long child = readChildPid(parent);
        parent.destroy(); // SIGTERM: the parent's shutdown hook stops the child before the parent ends
        assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "parent did not exit");
        assertFalse(alive(child), "child " + child + " outlived its parent's SIGTERM");
    }

    private static Process startParent(Path dir, String mode) throws Exception {
        return new ProcessBuilder(JavaCommand.currentJava().toString(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), SleeperParent.class.getName(), dir.toString(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static long readChildPid(Process parent) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("child "), "parent said: " + line);
        return Long.parseLong(line.substring("child ".length()));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean awaitGone(long pid, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (alive(pid)) {
            if (System.currentTimeMillis() > deadline) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}

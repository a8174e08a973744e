package dev.strata.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's StatefulSet-like supervision, on a cheap child (a sleeping JVM). */
class SupervisedChildTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static JavaCommand sleeper() {
        return new JavaCommand(JavaCommand.currentJava(), List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"),
                System.getProperty("java.class.path"), Sleeper.class.getName(), List.of());
    }

    private static ChildProcess start(Path dir) {
        return ChildProcess.start("sleeper", sleeper(), dir, dir.resolve("server.log"), dir.resolve("server.pid"));
    }

    /** Ready once the log holds as many "sleeper up" lines as processes were started. */
    private static Readiness upLines(Path dir, int[] starts) {
        return () -> {
            try {
                return Files.readAllLines(dir.resolve("server.log")).stream().filter("sleeper up"::equals).count() >= starts[0];
            } catch (java.io.IOException e) {
                return false;
            }
        };
    }

    @Test
    void aKilledChildIsRestartedAfterADoublingBackoffUntilClosed(@TempDir Path dir) throws Exception {
        int[] starts = {1};
        ChildProcess first = start(dir);
        first.awaitReady(first.logLine("sleeper up"), Duration.ofSeconds(60));
        RestartBackoff backoff = new RestartBackoff(Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(60));
        SupervisedChild s = SupervisedChild.supervise("test: sleeper", first, () -> {
            starts[0]++;
            return start(dir);
        }, upLines(dir, starts), Duration.ofSeconds(60), backoff, out);
        try {
            ChildProcess previous = first;
            String[] delays = {"300 ms", "500 ms", "500 ms"};
            for (int n = 1; n <= 3; n++) {
                long t0 = System.nanoTime();
                previous.handle().destroyForcibly(); // from outside, as kill -9 would
                int restart = n;
                await(() -> printed("test: sleeper ready again"), restart, Duration.ofSeconds(60));
                long waited = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(printed("test: sleeper exited with code 137; restarting in " + delays[n - 1] + " (restart " + n + ")") == 1,
                        bytes.toString(StandardCharsets.UTF_8));
                assertTrue(waited >= backoff.delay(n).toMillis(), "restarted after " + waited + " ms, before the back-off");
                ChildProcess now = s.current();
                assertNotSame(previous, now);
                assertTrue(now.isAlive());
                assertFalse(previous.isAlive());
                assertEquals(now.pid(), PidFile.read(dir.resolve("server.pid")).orElseThrow(), "the pid file follows the restart");
                assertTrue(ChildReaper.live().contains(now) && !ChildReaper.live().contains(previous));
                previous = now;
            }
            assertEquals(3, s.restarts());
        } finally {
            s.close();
        }
        ChildProcess last = s.current();
        assertFalse(last.isAlive(), "close stops the process");
        Thread.sleep(800);
        assertEquals(3, s.restarts(), "a closed supervisor restarts nothing: " + bytes.toString(StandardCharsets.UTF_8));
        assertSame(last, s.current());
        assertFalse(ChildReaper.live().contains(last));
        assertFalse(Files.exists(dir.resolve("server.pid")));
    }

    @Test
    void closingDuringTheBackoffStartsNothing(@TempDir Path dir) throws Exception {
        ChildProcess first = start(dir);
        first.awaitReady(first.logLine("sleeper up"), Duration.ofSeconds(60));
        SupervisedChild s = SupervisedChild.supervise("test: sleeper", first, () -> start(dir), () -> true, Duration.ofSeconds(60),
                new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60)), out);
        first.handle().destroyForcibly();
        await(() -> printed("restarting in 1 s (restart 1)"), 1, Duration.ofSeconds(30));
        s.close();
        Thread.sleep(1500);
        assertSame(first, s.current(), "no new process after close: " + bytes.toString(StandardCharsets.UTF_8));
        assertEquals(0, printed("restarted as pid"));
    }

    @Test
    void aRestartRacingTheJvmExitIsStoppedAtOnce(@TempDir Path dir) throws Exception {
        String marker = "race-" + UUID.randomUUID();
        Process parent = new ProcessBuilder(JavaCommand.currentJava().toString(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), SupervisingParent.class.getName(), dir.toString(), marker)
                .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(dir.resolve("parent.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(dir.resolve("parent.out")).contains("supervising\n")) {
            assertTrue(parent.isAlive() && System.nanoTime() < deadline, Files.readString(dir.resolve("parent.out")));
            Thread.sleep(20);
        }
        parent.destroy(); // SIGTERM while the restart waits: it forks only once the reaper has taken its list
        assertTrue(parent.waitFor(60, TimeUnit.SECONDS), "parent did not exit");
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(marker)).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        String said = Files.readString(dir.resolve("parent.out"));
        assertTrue(left.isEmpty(), "the restarted child outlived its parent: " + left + "\n" + said);
        assertTrue(said.contains("restart refused: sleeper was not started: this JVM is exiting"), said);
    }

    private int printed(String text) {
        String all = bytes.toString(StandardCharsets.UTF_8);
        int n = 0;
        for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + 1)) n++;
        return n;
    }

    private interface Count {
        int get();
    }

    private void await(Count count, int atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() < atLeast) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out; printed:\n" + bytes.toString(StandardCharsets.UTF_8));
            Thread.sleep(20);
        }
    }
}

package dev.strata.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A parent main for tests: supervises a {@link Sleeper}, kills it, and holds its restart until this
 * JVM is exiting (the {@link ChildReaper} hook has taken its list), so the restart's fork races the
 * exit exactly as a node restart racing Ctrl-C in `strata dev` would. Prints "supervising" once the
 * restart waits, and what became of the restart; a hook of its own keeps the JVM up until then.
 */
public final class SupervisingParent {
    private SupervisingParent() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String marker = args[1];
        JavaCommand command = new JavaCommand(JavaCommand.currentJava(), List.of("-Xmx32m"),
                System.getProperty("java.class.path"), Sleeper.class.getName(), List.of(marker));
        ChildProcess first = ChildProcess.start("sleeper", command, dir, dir.resolve("sleeper.log"), dir.resolve("sleeper.pid"));
        first.awaitReady(first.logLine("sleeper up"), Duration.ofSeconds(60));
        CountDownLatch restartTried = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                restartTried.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-await-restart"));
        SupervisedChild.supervise("sleeper", first, () -> {
            System.out.println("supervising");
            System.out.flush();
            try {
                while (!ChildReaper.exiting()) Thread.sleep(10);
                return ChildProcess.start("sleeper", command, dir, dir.resolve("sleeper.log"), dir.resolve("sleeper.pid"));
            } catch (ProcessStartException e) {
                System.out.println("restart refused: " + e.getMessage());
                throw e;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                System.out.flush();
                restartTried.countDown();
            }
        }, () -> true, Duration.ofSeconds(30), new RestartBackoff(Duration.ZERO, Duration.ZERO, Duration.ZERO), System.out);
        first.handle().destroyForcibly();
        Thread.sleep(Long.MAX_VALUE);
    }
}

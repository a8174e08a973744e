package dev.strata.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A parent main for tests: forks a {@link Sleeper} through {@link ChildProcess}, prints the child's
 * pid, then either waits forever (to be SIGKILLed by the test) or, with argument "exit", exits
 * normally so its shutdown hook must reap the child.
 */
public final class SleeperParent {
    private SleeperParent() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        JavaCommand command = new JavaCommand(JavaCommand.currentJava(), List.of("-Xmx32m"),
                System.getProperty("java.class.path"), Sleeper.class.getName(), List.of());
        ChildProcess child = ChildProcess.start("sleeper", command, dir, dir.resolve("sleeper.log"), dir.resolve("sleeper.pid"));
        child.awaitReady(child.logLine("sleeper up"), Duration.ofSeconds(60));
        System.out.println("child " + child.pid());
        System.out.flush();
        if (args.length > 1 && args[1].equals("exit")) {
            return; // normal exit: ChildReaper's hook stops the sleeper
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}

package dev.strata.node.cli;

import dev.strata.launch.JavaCommand;
import java.nio.file.Files;
import java.nio.file.Path;

/** The java executable for a forked Cassandra node: Cassandra 5.0 runs on Java 11 and 17 only. */
final class ServerJava {
    private ServerJava() {}

    /**
     * {@code --java} if given, else this JVM's java. Rejects a running JVM of version 24 or later up
     * front (Cassandra 5.0 fails there: the SecurityManager is gone) instead of forking a doomed node.
     */
    static Path forCassandra(LongOptions options) {
        if (options.has("java")) {
            Path java = options.path("java", null);
            if (!Files.isExecutable(java)) {
                throw new UsageException("--java " + java + " is not an executable file");
            }
            return java;
        }
        int feature = Runtime.version().feature();
        if (feature >= 24) {
            throw new UsageException("Cassandra 5.0 runs on Java 11 or 17, but strata runs on Java " + feature
                    + "; pass --java /path/to/jdk-17/bin/java");
        }
        return JavaCommand.currentJava();
    }
}

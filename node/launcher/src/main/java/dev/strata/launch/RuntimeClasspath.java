package dev.strata.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The classpath of a real server runtime, as written by the pom-only modules node/kafka-runtime and
 * node/cassandra-runtime into {@code target/runtime.classpath} (maven-dependency-plugin
 * build-classpath). The servers' jars never sit on Strata's own classpath; we fork them.
 */
public final class RuntimeClasspath {
    private RuntimeClasspath() {}

    /** Classpath of the Kafka broker, read from {@code <root>/node/kafka-runtime/target/runtime.classpath}. */
    public static String kafka(Path root) {
        return read(root, "node/kafka-runtime");
    }

    /** Classpath of the Cassandra node, read from {@code <root>/node/cassandra-runtime/target/runtime.classpath}. */
    public static String cassandra(Path root) {
        return read(root, "node/cassandra-runtime");
    }

    private static String read(Path root, String module) {
        Path file = root.resolve(module).resolve("target/runtime.classpath");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing " + file + ": build it with `./mvnw -B -o -pl " + module
                    + " generate-resources` (or `./mvnw -B -o package -DskipTests`)");
        }
        return readFile(file);
    }

    /** Reads a classpath file and checks that every entry exists, naming the first missing one. */
    public static String readFile(Path file) {
        String classpath;
        try {
            classpath = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read classpath file " + file + ": " + e.getMessage(), e);
        }
        if (classpath.isEmpty()) {
            throw new IllegalStateException("classpath file " + file + " is empty");
        }
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (!Files.exists(Path.of(entry))) {
                throw new IllegalStateException("classpath file " + file + " names " + entry
                        + ", which does not exist (rebuild the runtime module)");
            }
        }
        return classpath;
    }
}

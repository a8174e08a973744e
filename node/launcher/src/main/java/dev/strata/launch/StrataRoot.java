package dev.strata.launch;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the root of the Strata checkout, where the runtime modules write their classpath files.
 * The system property {@code strata.root} wins (Maven sets it for tests, {@code bin/strata} for the
 * command line); otherwise the directory containing {@code mvnw} is searched upwards from a start
 * directory.
 */
public final class StrataRoot {
    private StrataRoot() {}

    /** The root from {@code strata.root}, else searched upwards from the working directory. */
    public static Path find() {
        String property = System.getProperty("strata.root");
        if (property != null && !property.isBlank()) {
            Path root = Path.of(property).toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                throw new IllegalStateException("strata.root=" + property + " is not a directory");
            }
            return root;
        }
        return searchUpwards(Path.of("").toAbsolutePath());
    }

    /** The nearest directory at or above {@code start} that contains {@code mvnw}. */
    public static Path searchUpwards(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Strata checkout: no mvnw at or above " + start
                + " and system property strata.root is not set");
    }
}

package dev.strata.launch;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a forked JVM: {@code java <jvmArgs> -cp <classpath> <main> <args>}.
 *
 * <p>Every fork runs under {@link ParentWatch}: the child JVM exits (running its own shutdown hooks,
 * i.e. a graceful server stop) when the JVM that forked it dies, even by SIGKILL, so no broker or
 * database outlives the command or the test run that started it.
 */
public record JavaCommand(Path java, List<String> jvmArgs, String classpath, String mainClass, List<String> args) {

    public JavaCommand {
        jvmArgs = List.copyOf(jvmArgs);
        args = List.copyOf(args);
    }

    /** The java executable of the running JVM ({@code java.home}): Cassandra 5.0 needs Java 11 or 17. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The full command line, with the parent watch in front of the main class. */
    public List<String> toCommandLine() {
        List<String> line = new ArrayList<>();
        line.add(java.toString());
        line.addAll(jvmArgs);
        line.add("-cp");
        line.add(launcherLocation() + File.pathSeparator + absolute(classpath));
        line.add(ParentWatch.class.getName());
        line.add(Long.toString(ProcessHandle.current().pid()));
        line.add(mainClass);
        line.addAll(args);
        return line;
    }

    /**
     * The classpath with every entry made absolute against this JVM's working directory: children run
     * in their own data directories, where relative entries (as {@code bin/strata} passes) would not resolve.
     * A trailing {@code *} (all jars of a directory) is kept.
     */
    static String absolute(String classpath) {
        StringBuilder sb = new StringBuilder();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(File.pathSeparator);
            }
            sb.append(Path.of(entry).toAbsolutePath().normalize());
        }
        return sb.toString();
    }

    /** The jar or classes directory holding this launcher; it has no dependencies, so it is safe on any classpath. */
    static String launcherLocation() {
        try {
            return Path.of(ParentWatch.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the launcher's own classes", e);
        }
    }
}

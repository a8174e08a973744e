package dev.strata.node.cli;

import dev.strata.node.config.NodeConfig;
import dev.strata.node.config.ResolvedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration flags shared by commands that run or inspect a node:
 * {@code --config FILE}, {@code --set key=value} (repeatable) and {@code --key=value} / {@code --key value}.
 */
public record ConfigOptions(Optional<Path> file, List<String> assignments) {
    public static final String USAGE = """
              --config FILE        YAML configuration file (nested maps flatten to dotted keys)
              --set KEY=VALUE      set one key; repeatable; overrides the file and STRATA_* variables
              --KEY=VALUE          same as --set KEY=VALUE, e.g. --kafka.bootstrap=host:9092
            """;

    /** @throws UsageException on a malformed flag (unknown keys are reported when resolving) */
    public static ConfigOptions parse(String[] args) {
        Optional<Path> file = Optional.empty();
        List<String> assignments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") || a.equals("--set")) {
                if (i + 1 >= args.length) {
                    throw new UsageException(a + " needs a value");
                }
                String v = args[++i];
                if (a.equals("--config")) {
                    file = Optional.of(Path.of(v));
                } else {
                    requireAssignment(v);
                    assignments.add(v);
                }
            } else if (a.startsWith("--config=")) {
                file = Optional.of(Path.of(a.substring("--config=".length())));
            } else if (a.startsWith("--set=")) {
                String v = a.substring("--set=".length());
                requireAssignment(v);
                assignments.add(v);
            } else if (a.startsWith("--") && a.length() > 2) {
                String body = a.substring(2);
                if (body.contains("=")) {
                    assignments.add(body);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    assignments.add(body + "=" + args[++i]);
                } else {
                    throw new UsageException("flag " + a + " needs a value (--" + body + "=VALUE)");
                }
            } else {
                throw new UsageException("unexpected argument '" + a + "'");
            }
        }
        return new ConfigOptions(file, List.copyOf(assignments));
    }

    private static void requireAssignment(String v) {
        if (v.indexOf('=') <= 0) {
            throw new UsageException("--set expects KEY=VALUE, got '" + v + "'");
        }
    }

    /** Resolves against the declared keys with the given environment. */
    public ResolvedConfig resolve(Map<String, String> env) {
        return NodeConfig.resolve(file, env, assignments);
    }
}

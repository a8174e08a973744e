package dev.strata.node.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --name=value} options of one sub-command. Every option takes a
 * value; unknown options, repeated options, missing values and stray arguments are usage errors
 * naming the culprit.
 */
final class LongOptions {
    private final Map<String, String> values;

    private LongOptions(Map<String, String> values) {
        this.values = values;
    }

    static LongOptions parse(String[] args, Set<String> allowed) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new UsageException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!allowed.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
            if (values.put(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        return new LongOptions(values);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    Path path(String name, Path fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value.isBlank()) {
            throw new UsageException("option --" + name + " needs a non-empty path");
        }
        return Path.of(value);
    }

    int port(String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("option --" + name + " must be a port number 1..65535, got '" + value + "'");
    }
}

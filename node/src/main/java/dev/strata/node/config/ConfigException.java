package dev.strata.node.config;

import java.util.List;

/**
 * The configuration could not be loaded: unknown keys, values of the wrong type or out of range, an
 * unreadable file. The message lists every problem found, each naming the key, the offending value,
 * where it came from and what was expected.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "invalid configuration: " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder("invalid configuration (" + problems.size() + " problems):");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}

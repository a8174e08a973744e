package dev.strata.node.cli;

/**
 * One sub-command of {@code bin/strata}. Implementations parse their own arguments and must answer
 * {@code --help} with real help text. {@link #run} returns the process exit code; a usage error is
 * reported on stderr with exit code 2.
 */
public interface Command {
    /** The word after {@code strata}, e.g. "dev". */
    String name();

    /** One line for {@code strata --help}. */
    String summary();

    /** Full help for {@code strata <name> --help}: usage line, options with defaults, examples. */
    String help();

    int run(String[] args) throws Exception;
}

package dev.strata.node.cli;

import dev.strata.query.promqltest.PromqlTestRunner;
import dev.strata.query.promqltest.Summary;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code strata promqltest DIR}: runs Prometheus's PromQL test scripts through Strata. */
public final class PromqltestCommand implements Command {
    @Override
    public String name() {
        return "promqltest";
    }

    @Override
    public String summary() {
        return "Run PromQL test scripts (Prometheus's .test format) through the parser, engine and store";
    }

    @Override
    public String help() {
        return """
                Usage: strata promqltest [-v] DIR

                Runs every .test file in DIR (Prometheus's promqltest script language: load, clear,
                eval instant|range, expect ...) through Strata's PromQL parser and engine over the real
                in-memory store and label index, judging results as Prometheus's harness does.
                Prints one line per file and last `promqltest: N passed, M failed, K skipped`
                (counts are evals; skips are native-histogram evals only).
                Exit status 1 when any eval failed.

                Options:
                  -v    print every failing eval with the expected and the actual result

                Example:
                  strata promqltest ../shared/promqltest
                """;
    }

    @Override
    public int run(String[] args) {
        boolean verbose = false;
        Path dir = null;
        for (String a : args) {
            if (a.equals("-v")) verbose = true;
            else if (dir == null) dir = Path.of(a);
            else throw new UsageException("unexpected argument " + a);
        }
        if (dir == null) throw new UsageException("expected a directory of .test files");
        if (!Files.isDirectory(dir)) throw new UsageException(dir + " is not a directory");
        if (verbose) System.setProperty("promqltest.verbose", "true");
        Summary s = PromqlTestRunner.run(dir, System.out);
        return s.failed() > 0 ? 1 : 0;
    }
}

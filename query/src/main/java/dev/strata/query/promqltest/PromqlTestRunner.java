package dev.strata.query.promqltest;

import dev.strata.query.engine.Engine;
import dev.strata.query.engine.QueryOptions;
import dev.strata.store.model.Labels;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs Prometheus's PromQL test scripts through the parser, engine and a {@link TestStorage}: the loop
 * over files and commands. Loading is {@link ScriptLoader}, evaluation {@link EvalRunner}, judging
 * {@link ResultCompare}, the command line {@link PromqltestMain}. Failing evals that involve native
 * histograms are counted apart ({@link HistogramEvals}).
 */
public final class PromqlTestRunner {
    /**
     * The harness's engine settings: lookback 5m, max 10,000 samples, subquery step 1m, delayed name
     * removal and start timestamps on, as Prometheus's test engine always runs the scripts (they expect it).
     */
    public static final QueryOptions OPTIONS = new QueryOptions(5 * 60_000, 10_000, 60_000, 60_000)
            .withDelayedNameRemoval(true).withUseStartTimestamps(true);

    private final Supplier<TestStorage> storageFactory;
    private final boolean verbose;
    private final PrintStream out;

    public PromqlTestRunner(Supplier<TestStorage> storageFactory, boolean verbose, PrintStream out) {
        this.storageFactory = storageFactory;
        this.verbose = verbose;
        this.out = out;
    }

    /**
     * Runs every .test file of dir through the real in-memory store (MemShard + ShardIndex); prints
     * per-file lines and the total. -Dpromqltest.verbose=true prints every failing eval.
     */
    public static Summary run(Path dir, PrintStream out) {
        return new PromqlTestRunner(LocalShardsTestStorage::new, Boolean.getBoolean("promqltest.verbose"), out).runDir(dir);
    }

    public Summary runDir(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".test")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        Summary total = new Summary(0, 0, 0);
        for (Path f : files) {
            Summary s = runFile(f);
            out.println(f.getFileName() + ": " + s);
            total = total.plus(s);
        }
        out.println("promqltest: " + total);
        return total;
    }

    public Summary runFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Script.Command> cmds = Script.parse(lines);
        TestStorage storage = storageFactory.get();
        Engine engine = new Engine(storage.queryable(), OPTIONS);
        List<Labels> histogramSeries = new ArrayList<>();
        int passed = 0, failed = 0, failedHistogram = 0;
        for (Script.Command c : cmds) {
            if (c instanceof Script.Clear) {
                storage.clear();
                histogramSeries.clear();
            } else if (c instanceof Script.Load l) {
                ScriptLoader.load(storage, l, histogramSeries);
            } else if (c instanceof Script.Eval e) {
                String err;
                try {
                    err = e.range() ? EvalRunner.runRange(engine, e) : EvalRunner.runInstant(engine, e);
                } catch (RuntimeException ex) {
                    err = "runner error: " + ex;
                }
                if (err == null) {
                    passed++;
                } else {
                    failed++;
                    boolean hist = HistogramEvals.readsHistograms(e, histogramSeries);
                    if (hist) failedHistogram++;
                    if (verbose) {
                        out.println("FAIL" + (hist ? " (histogram) " : " ") + file.getFileName() + ":" + e.line() + ": " + e.expr() + "\n    " + err);
                    }
                }
            }
        }
        return new Summary(passed, failed, failedHistogram);
    }
}

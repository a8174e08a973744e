package dev.strata.benchmarks;

import dev.strata.index.ShardIndex;
import dev.strata.store.model.Labels;
import dev.strata.store.series.SeriesKeyListing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Indexing rate: new series per second added to a fresh on-disk shard index (addSeries: exact
 * lookup + Lucene document), 200k series drawn from the 1M realistic set. Target >= 200k series/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class LabelIndexBuildBenchmark {
    static final int BATCH = 200_000;

    private List<Labels> batch;
    private ShardIndex index;
    private int round;

    @Setup(Level.Trial)
    public void generate() {
        List<Labels> all = new ArrayList<>(1_000_000);
        LabelSetGenerator.oneMillion().forEach(all::add);
        batch = new ArrayList<>(BATCH);
        int step = all.size() / BATCH;
        for (int i = 0; i < BATCH; i++) batch.add(all.get(i * step));
    }

    @Setup(Level.Invocation)
    public void freshIndex() throws IOException {
        Path dir = Path.of(System.getProperty("strata.bench.dir", "benchmarks/target/bench-data"), "label-index-build");
        CachedLabelIndex.deleteRecursively(dir);
        index = ShardIndex.open(dir, 0, SeriesKeyListing.empty());
        round++;
    }

    @TearDown(Level.Invocation)
    public void closeIndex() throws IOException {
        index.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int addSeries() {
        int last = 0;
        long t = 1_700_000_000_000L + round;
        for (Labels l : batch) last = index.addSeries(l, t);
        return last;
    }
}

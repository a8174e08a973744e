package dev.strata.benchmarks;

import dev.strata.index.ShardIndex;
import dev.strata.store.model.Labels;
import dev.strata.store.series.InMemorySeriesKeyListing;
import dev.strata.store.series.SeriesKey;
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
 * lookup + Lucene document, one thread), 200k series drawn from the 1M realistic set; and rebuilding
 * the same 200k series from a series-key listing (several indexing threads, includes the commit).
 * Target >= 200k series/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class LabelIndexBuildBenchmark {
    static final int BATCH = 200_000;

    private List<Labels> batch;
    private InMemorySeriesKeyListing listing;
    private ShardIndex index;
    private int round;

    @Setup(Level.Trial)
    public void generate() {
        List<Labels> all = new ArrayList<>(1_000_000);
        LabelSetGenerator.oneMillion().forEach(all::add);
        batch = new ArrayList<>(BATCH);
        int step = all.size() / BATCH;
        for (int i = 0; i < BATCH; i++) batch.add(all.get(i * step));
        listing = new InMemorySeriesKeyListing();
        for (int i = 0; i < BATCH; i++) listing.put(0, new SeriesKey(i, batch.get(i), 1_700_000_000_000L, 1_700_000_360_000L));
    }

    private static Path dir() {
        return Path.of(System.getProperty("strata.bench.dir", "benchmarks/target/bench-data"), "label-index-build");
    }

    @Setup(Level.Invocation)
    public void freshIndex() throws IOException {
        if (index != null) index.close();
        CachedLabelIndex.deleteRecursively(dir());
        index = ShardIndex.open(dir(), 0, SeriesKeyListing.empty());
        round++;
    }

    @TearDown(Level.Trial)
    public void closeIndex() throws IOException {
        if (index != null) index.close();
    }

    /** Rebuild from a series-key listing (missing directory): documents added by the rebuild threads, plus the commit. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rebuildFromListing() throws IOException {
        index.close();
        CachedLabelIndex.deleteRecursively(dir());
        index = ShardIndex.open(dir(), 0, listing);
        return index.seriesCount();
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

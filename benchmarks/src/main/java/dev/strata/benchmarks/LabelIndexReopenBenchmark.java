package dev.strata.benchmarks;

import dev.strata.index.ShardIndex;
import dev.strata.store.series.SeriesKeyListing;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reopening a committed ~1M-series shard index (what a node restart costs the index: open the
 * Lucene commit, verify checksums, load the series columns and last-sample times). Target < 2 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class LabelIndexReopenBenchmark {
    @Setup(Level.Trial)
    public void ensureBuilt() throws IOException {
        CachedLabelIndex.openOrBuild(LabelSetGenerator.oneMillion()).close();
    }

    @Benchmark
    public long reopen() throws IOException {
        try (ShardIndex index = ShardIndex.open(CachedLabelIndex.dir(), CachedLabelIndex.SHARD, SeriesKeyListing.empty())) {
            if (index.rebuiltFromListing()) throw new IllegalStateException("cached index was rebuilt, not reopened");
            return index.committedOffset() + index.seriesCount();
        }
    }
}

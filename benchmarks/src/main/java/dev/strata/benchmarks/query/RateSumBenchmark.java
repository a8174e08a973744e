package dev.strata.benchmarks.query;

import dev.strata.index.ShardIndex;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code sum by (job) (rate(m[5m]))} as a range query over 1 h at 15 s steps, on {@code series}
 * counters scraped every 15 s, read through the real in-memory store (MemShard chunks + ShardIndex).
 * Single-threaded, so the auxiliary counter {@code samples} (samples read from storage per second)
 * is per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class RateSumBenchmark {
    private static final long STEP = 15_000;
    private static final long HOUR = 3_600_000;

    @Param({"10000"})
    public int series;

    private ShardIndex index;
    private Engine engine;

    /** Samples scanned, reported by JMH as a rate (per second of measurement). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Scanned {
        public long samples;
    }

    @Setup(Level.Trial)
    public void setup() {
        index = ShardIndex.inMemory(0);
        MemShard mem = new MemShard(0, MemShardOptions.defaults().withMemoryBudgetBytes(4L << 30));
        Random rnd = new Random(42);
        long end = HOUR + 5 * 60_000;
        int[] ids = new int[series];
        double[] values = new double[series];
        for (int s = 0; s < series; s++) {
            Labels l = Labels.of("__name__", "m", "job", "job" + (s % 20), "instance", "i" + s);
            ids[s] = index.addSeries(l, 0);
            mem.createSeries(ids[s], l);
        }
        for (long t = 0; t <= end; t += STEP) {
            for (int s = 0; s < series; s++) {
                values[s] += rnd.nextInt(100);
                mem.append(ids[s], t, values[s]);
            }
        }
        for (int s = 0; s < series; s++) index.updateLastSampleTime(ids[s], end);
        mem.sealAll();
        QueryOptions opts = QueryOptions.defaults().withTimeoutMs(0);
        engine = new Engine(new LocalShardsQueryable(List.of(new LocalShardsQueryable.Shard(index, mem))), opts);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        index.close();
    }

    @Benchmark
    public QueryResult sumByJobRate(Scanned scanned) {
        QueryResult r = engine.rangeQuery("sum by (job) (rate(m[5m]))", 5 * 60_000, HOUR + 5 * 60_000, STEP);
        scanned.samples += r.stats().samplesScanned();
        return r;
    }
}

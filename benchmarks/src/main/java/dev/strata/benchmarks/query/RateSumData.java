package dev.strata.benchmarks.query;

import dev.strata.index.ShardIndex;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.util.List;
import java.util.Random;

/**
 * The data set of {@link RateSumBenchmark} and {@link QueryCpuProbe}: {@code series} counters
 * {@code m{job="jobN",instance="iN"}} (20 jobs) scraped every 15 s from 0 to 1 h 5 min, random
 * increments (seed 42), sealed into MemShard chunks and indexed in an in-memory ShardIndex.
 */
final class RateSumData implements AutoCloseable {
    static final long STEP = 15_000;
    static final long HOUR = 3_600_000;
    /** The range query's bounds: 1 h at 15 s steps, with 5 min of data before the first step. */
    static final long START = 5 * 60_000;
    static final long END = HOUR + 5 * 60_000;

    final ShardIndex index;
    final LocalShardsQueryable storage;
    final Engine engine;

    RateSumData(int series) {
        index = ShardIndex.inMemory(0);
        MemShard mem = new MemShard(0, MemShardOptions.defaults().withMemoryBudgetBytes(4L << 30));
        Random rnd = new Random(42);
        int[] ids = new int[series];
        double[] values = new double[series];
        for (int s = 0; s < series; s++) {
            Labels l = Labels.of("__name__", "m", "job", "job" + (s % 20), "instance", "i" + s);
            ids[s] = index.addSeries(l, 0);
            mem.createSeries(ids[s], l);
        }
        for (long t = 0; t <= END; t += STEP) {
            for (int s = 0; s < series; s++) {
                values[s] += rnd.nextInt(100);
                mem.append(ids[s], t, values[s]);
            }
        }
        for (int s = 0; s < series; s++) index.updateLastSampleTime(ids[s], END);
        mem.sealAll();
        // -Dstrata.delayedNameRemoval=true measures the delayed name-removal mode (default: names dropped at once).
        QueryOptions opts = QueryOptions.defaults().withTimeoutMs(0)
                .withDelayedNameRemoval(Boolean.getBoolean("strata.delayedNameRemoval"));
        storage = new LocalShardsQueryable(List.of(new LocalShardsQueryable.Shard(index, mem)));
        engine = new Engine(storage, opts);
    }

    @Override
    public void close() throws Exception {
        index.close();
    }
}

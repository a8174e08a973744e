package dev.strata.benchmarks;

import dev.strata.store.SampleIterator;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Memstore append throughput (one writer thread, as in production): one invocation is one scrape,
 * a sample for each of {@link #SERIES} series (the dataset's series replicated with distinct ids),
 * values replayed from the dataset, timestamps advancing by the dataset's interval. Chunk sealing
 * and encoding happen inline, as in production. Score: samples/s.
 * Also: scanning a series through the memstore iterator, samples/s: over sealed chunks
 * ({@code scan}), and over write buffers only ({@code scanHead}: each series' last chunk window,
 * unsealed, as queries over the last two hours read it).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class MemShardBenchmark {
    static final int SERIES = 10_000;

    @Param({"node-15s", "node-1s"})
    public String dataset;

    private List<Datasets.Series> data;
    private MemShard shard;
    private long scrape;
    private long interval;
    private MemShard full;
    private int fullSeries;
    private MemShard head;

    @Setup(Level.Trial)
    public void load() {
        data = Datasets.load(dataset);
        long[] t = data.get(0).timestamps();
        interval = t[1] - t[0];
        full = new MemShard(0, MemShardOptions.defaults().withMemoryBudgetBytes(Long.MAX_VALUE));
        for (int id = 0; id < data.size(); id++) {
            Datasets.Series s = data.get(id);
            full.createSeries(id, s.labels());
            for (int i = 0; i < s.timestamps().length; i++) full.append(id, s.timestamps()[i], s.values()[i]);
        }
        full.sealAll(); // scan sealed chunks, as queries over older data do
        fullSeries = data.size();
        MemShardOptions o = MemShardOptions.defaults().withMemoryBudgetBytes(Long.MAX_VALUE);
        head = new MemShard(2, o);
        for (int id = 0; id < data.size(); id++) {
            Datasets.Series s = data.get(id);
            long[] ts = s.timestamps();
            head.createSeries(id, s.labels());
            long from = o.windowStart(ts[ts.length - 1]);
            int max = o.maxSamplesPerChunk();
            int first = Math.max(0, ts.length - max + 1); // fewer than a full chunk: nothing is sealed
            for (int i = first; i < ts.length; i++) if (ts[i] >= from) head.append(id, ts[i], s.values()[i]);
        }
    }

    @Setup(Level.Iteration)
    public void freshShard() {
        shard = new MemShard(1, MemShardOptions.defaults().withMemoryBudgetBytes(Long.MAX_VALUE));
        for (int id = 0; id < SERIES; id++) {
            Labels l = data.get(id % data.size()).labels().with("replica", Integer.toString(id / data.size()));
            shard.createSeries(id, l);
        }
        scrape = 0;
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public int append() {
        long t = data.get(0).timestamps()[0] + scrape * interval;
        int n = data.size();
        int ok = 0;
        for (int id = 0; id < SERIES; id++) {
            double[] v = data.get(id % n).values();
            ok += shard.append(id, t + (id & 7), v[(int) (scrape % v.length)]).ordinal();
        }
        scrape++;
        return ok;
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Samples {
        public long samples;

        @Setup(Level.Iteration)
        public void reset() {
            samples = 0;
        }
    }

    /** Reads every series of the loaded dataset through MemShard.iterator (the query path). */
    @Benchmark
    public double scan(Samples counter) {
        double sum = 0;
        for (int id = 0; id < fullSeries; id++) {
            SampleIterator it = full.iterator(id, Long.MIN_VALUE, Long.MAX_VALUE);
            while (it.next()) {
                sum += it.timestamp();
                counter.samples++;
            }
        }
        return sum;
    }

    /** Reads every series' write buffer (nothing sealed) through MemShard.iterator. */
    @Benchmark
    public double scanHead(Samples counter) {
        double sum = 0;
        for (int id = 0; id < fullSeries; id++) {
            SampleIterator it = head.iterator(id, Long.MIN_VALUE, Long.MAX_VALUE);
            while (it.next()) {
                sum += it.timestamp();
                counter.samples++;
            }
        }
        return sum;
    }
}

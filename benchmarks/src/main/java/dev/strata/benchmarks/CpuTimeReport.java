package dev.strata.benchmarks;

import dev.strata.store.SampleIterator;
import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkReader;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The same workloads as {@link ChunkCodecBenchmark} and {@link MemShardBenchmark}, timed in thread
 * CPU time instead of wall time: on a shared, oversubscribed machine wall-clock JMH scores mostly
 * measure the scheduler, while CPU time per sample stays close to what one dedicated core does
 * (still inflated by hyperthread siblings and cache sharing). Reports the median of the measured
 * repetitions after warm-up. Run from the repo root:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.strata.benchmarks.CpuTimeReport [reps]}.
 */
public final class CpuTimeReport {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private CpuTimeReport() {}

    interface Work {
        long run(); // returns samples processed
    }

    /** Warm-up runs at least this long (and {@code warmups} times): the JIT's tiers need time, not a run count. */
    private static final long MIN_WARMUP_NANOS = 3_000_000_000L;

    static double nsPerSample(Work w, int warmups, int reps) {
        long until = System.nanoTime() + MIN_WARMUP_NANOS;
        for (int i = 0; i < warmups || System.nanoTime() < until; i++) w.run();
        double[] r = new double[reps];
        for (int i = 0; i < reps; i++) {
            long c0 = MX.getCurrentThreadCpuTime();
            long n = w.run();
            r[i] = (MX.getCurrentThreadCpuTime() - c0) / (double) n;
        }
        Arrays.sort(r);
        return r[reps / 2];
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        for (String dataset : new String[] {"node-15s", "node-1s"}) {
            List<Datasets.Chunk> chunks = Datasets.chunks(dataset);
            int max = chunks.stream().mapToInt(Datasets.Chunk::count).max().orElse(1);
            long[] ts = new long[max];
            double[] vs = new double[max];
            ChunkWriter writer = new ChunkWriter();
            ChunkReader reader = new ChunkReader();
            ByteArrayBuilder out = new ByteArrayBuilder(1 << 16);
            int warm = dataset.equals("node-1s") ? 3 : 30;
            double enc = nsPerSample(() -> {
                long n = 0;
                for (Datasets.Chunk c : chunks) {
                    out.reset();
                    writer.write(c.timestamps(), c.values(), c.count(), out);
                    n += c.count();
                }
                return n;
            }, warm, reps);
            double dec = nsPerSample(() -> {
                long n = 0;
                for (Datasets.Chunk c : chunks) n += reader.decode(c.encoded(), 0, c.encoded().length, ts, vs);
                return n;
            }, warm * 3, reps);

            List<Datasets.Series> data = Datasets.load(dataset);
            long interval = data.get(0).timestamps()[1] - data.get(0).timestamps()[0];
            int series = 10_000;
            double app = nsPerSample(() -> {
                MemShard shard = new MemShard(1, MemShardOptions.defaults().withMemoryBudgetBytes(Long.MAX_VALUE));
                for (int id = 0; id < series; id++) {
                    Labels l = data.get(id % data.size()).labels().with("replica", Integer.toString(id / data.size()));
                    shard.createSeries(id, l);
                }
                long t0 = data.get(0).timestamps()[0];
                long c0 = MX.getCurrentThreadCpuTime();
                int scrapes = 600;
                for (int s = 0; s < scrapes; s++) {
                    long t = t0 + s * interval;
                    for (int id = 0; id < series; id++) {
                        double[] v = data.get(id % data.size()).values();
                        shard.append(id, t + (id & 7), v[s % v.length]);
                    }
                }
                return (long) series * scrapes;
            }, 1, Math.max(3, reps / 3));

            MemShard full = new MemShard(0, MemShardOptions.defaults().withMemoryBudgetBytes(Long.MAX_VALUE));
            for (int id = 0; id < data.size(); id++) {
                Datasets.Series s = data.get(id);
                full.createSeries(id, s.labels());
                for (int i = 0; i < s.timestamps().length; i++) full.append(id, s.timestamps()[i], s.values()[i]);
            }
            full.sealAll(); // scan sealed chunks, as queries over older data do
            double scan = nsPerSample(() -> {
                long n = 0;
                double sum = 0;
                for (int id = 0; id < data.size(); id++) {
                    SampleIterator it = full.iterator(id, Long.MIN_VALUE, Long.MAX_VALUE);
                    while (it.next()) {
                        sum += it.value();
                        n++;
                    }
                }
                if (sum == 42.4242) System.out.print("");
                return n;
            }, warm, reps);
            System.out.printf(Locale.ROOT, "%s: encode %.1f ns/sample, decode %.1f ns/sample (%.0fM samples/s), "
                    + "append %.1f ns/sample (%.2fM samples/s, sealing included), memstore scan of sealed chunks %.1f ns/sample (CPU time, median)%n",
                dataset, enc, dec, 1000 / dec, app, 1000 / app, scan);
        }
    }
}

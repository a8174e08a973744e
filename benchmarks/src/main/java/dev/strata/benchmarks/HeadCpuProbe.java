package dev.strata.benchmarks;

import dev.strata.store.SampleIterator;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The write buffers' CPU cost in thread CPU time (so a run on the shared machine still means
 * something): appending a dataset's samples into a fresh MemShard (sealing included, as in
 * production), and reading every series' write buffer (its last chunk window, unsealed) through
 * {@link MemShard#iterator}. Prints the median ns/sample of {@code reps} repetitions, after a
 * warm-up pass over both datasets (the JIT compiles the decoder late on a loaded machine). Run from the
 * repo root: {@code java -cp benchmarks/target/benchmarks.jar dev.strata.benchmarks.HeadCpuProbe [reps]}.
 */
public final class HeadCpuProbe {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private HeadCpuProbe() {}

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        MemShardOptions o = MemShardOptions.defaults().withMemoryBudgetBytes(Long.MAX_VALUE);
        java.util.Set<String> warm = new java.util.HashSet<>();
        for (String name : List.of("node-15s", "node-1s", "node-15s", "node-1s")) {
            List<Datasets.Series> data = Datasets.load(name);
            long samples = 0;
            for (Datasets.Series s : data) samples += s.timestamps().length;
            double[] append = new double[reps];
            double[] scan = new double[reps];
            long headSamples = 0;
            for (int r = 0; r < reps; r++) {
                long t0 = MX.getCurrentThreadCpuTime();
                MemShard all = new MemShard(0, o);
                for (int id = 0; id < data.size(); id++) {
                    Datasets.Series s = data.get(id);
                    all.createSeries(id, s.labels());
                    for (int i = 0; i < s.timestamps().length; i++) all.append(id, s.timestamps()[i], s.values()[i]);
                }
                append[r] = (MX.getCurrentThreadCpuTime() - t0) / (double) samples;
                MemShard head = headOnly(data, o);
                long n = 0;
                double sum = 0;
                long t1 = MX.getCurrentThreadCpuTime();
                for (int id = 0; id < data.size(); id++) {
                    SampleIterator it = head.iterator(id, Long.MIN_VALUE, Long.MAX_VALUE);
                    while (it.next()) {
                        sum += it.value();
                        n++;
                    }
                }
                scan[r] = (MX.getCurrentThreadCpuTime() - t1) / (double) n;
                headSamples = n;
                if (Double.isNaN(sum) && n < 0) System.out.print(""); // keep the loop's result live
            }
            System.out.printf(Locale.ROOT, "%s%s: append %.1f ns/sample (%d samples), read write buffers %.1f ns/sample (%d samples); median of %d%n",
                    warm.add(name) ? "(warm-up) " : "", name, median(append), samples, median(scan), headSamples, reps);
        }
    }

    /** Each series' samples of its last chunk window, at most a chunk's worth: all in the write buffer. */
    private static MemShard headOnly(List<Datasets.Series> data, MemShardOptions o) {
        MemShard head = new MemShard(1, o);
        for (int id = 0; id < data.size(); id++) {
            Datasets.Series s = data.get(id);
            long[] ts = s.timestamps();
            head.createSeries(id, s.labels());
            long from = o.windowStart(ts[ts.length - 1]);
            for (int i = Math.max(0, ts.length - o.maxSamplesPerChunk() + 1); i < ts.length; i++) {
                if (ts[i] >= from) head.append(id, ts[i], s.values()[i]);
            }
        }
        return head;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}

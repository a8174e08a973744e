package dev.strata.benchmarks;

import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap bytes per active series in a MemShard at N series (default 1,000,000), excluding sample
 * data, from GC-settled heap deltas; then the write buffers' bytes after S samples per series
 * (default 81, 15 s apart: 20 minutes, all still in the write buffer), with values moving as
 * node_exporter's (decimal counters and integer gauges, as {@code NodeExporterWorkload}). Run:
 * {@code java -Xmx8g -cp benchmarks/target/benchmarks.jar dev.strata.benchmarks.HeapPerSeries [N] [S]}.
 * Labels look like node_exporter's (6 pairs, instance/cpu/device unique-ish per series); the
 * report separates the label sets (shared with the index in a full node) from the memstore's own
 * per-series state, and shows the write buffer's first sample apart.
 */
public final class HeapPerSeries {
    private HeapPerSeries() {}

    static long settledHeap() throws InterruptedException {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long prev = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(100);
            long used = mx.getHeapMemoryUsage().getUsed();
            if (Math.abs(prev - used) < 64 * 1024) return used;
            prev = used;
        }
        return prev;
    }

    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 81;
        String[] metrics = {"node_cpu_seconds_total", "node_network_receive_bytes_total", "node_filesystem_avail_bytes", "node_disk_io_time_seconds_total"};
        long base = settledHeap();
        List<Labels> labels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels.add(Labels.of("__name__", metrics[i & 3], "instance", "10.0." + (i >>> 16 & 255) + "." + (i >>> 8 & 255) + ":9100",
                "job", "node", "cpu", Integer.toString(i & 255), "mode", (i & 1) == 0 ? "idle" : "user", "env", "prod"));
        }
        long afterLabels = settledHeap();
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withMemoryBudgetBytes(Long.MAX_VALUE));
        for (int i = 0; i < n; i++) shard.createSeries(i, labels.get(i));
        long afterSeries = settledHeap();
        long t = 1_795_294_290_010L;
        for (int i = 0; i < n; i++) shard.append(i, t, i);
        long afterOneSample = settledHeap();
        java.util.Random rnd = new java.util.Random(1);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (i & 1) == 0 ? rnd.nextInt(1_000_000) : rnd.nextInt(1000) * 1024.0;
        for (int k = 1; k < samples; k++) {
            for (int i = 0; i < n; i++) {
                v[i] = (i & 1) == 0 ? (Math.round(v[i] * 10) + rnd.nextInt(1000)) / 10.0 : Math.max(0, v[i] + rnd.nextInt(2001) - 1000);
                shard.append(i, t + 15_000L * k, v[i]);
            }
        }
        long afterSamples = settledHeap();
        System.out.printf(Locale.ROOT, "series: %d%n", shard.seriesCount());
        System.out.printf(Locale.ROOT, "label sets (Labels objects + unique strings): %.1f B/series%n", (afterLabels - base) / (double) n);
        System.out.printf(Locale.ROOT, "memstore per-series state (excl. labels and samples): %.1f B/series%n", (afterSeries - afterLabels) / (double) n);
        System.out.printf(Locale.ROOT, "active series total excl. sample data (labels + state): %.1f B/series%n", (afterSeries - base) / (double) n);
        System.out.printf(Locale.ROOT, "write buffer with its first sample: %.1f B/series%n", (afterOneSample - afterSeries) / (double) n);
        System.out.printf(Locale.ROOT, "write buffer with %d samples: %.1f B/series (%.2f B/sample); series total incl. labels: %.1f B/series%n",
                samples, (afterSamples - afterSeries) / (double) n, (afterSamples - afterSeries) / (double) n / samples, (afterSamples - base) / (double) n);
        System.out.printf(Locale.ROOT, "shard accounted bytes: %.1f B/series%n", shard.usedBytes() / (double) n);
        if (shard.labels(n - 1) == null) throw new AssertionError("keep the shard reachable");
    }
}

package dev.strata.benchmarks;

import dev.strata.index.Matcher;
import dev.strata.index.ShardIndex;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Companion to the label-index JMH benchmarks for a shared, overloaded machine: runs the same
 * lookups and reports operations per second of this thread's CPU time (what one otherwise idle core
 * would do), alongside wall-clock rates. Not a replacement for JMH; its numbers are labelled as
 * CPU-time rates. Run: java -cp benchmarks/target/benchmarks.jar dev.strata.benchmarks.LabelIndexCpuProbe [seconds [name filter]]
 */
public final class LabelIndexCpuProbe {
    private LabelIndexCpuProbe() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        long min = Long.MIN_VALUE, max = Long.MAX_VALUE;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (args.length > 1 && args[1].equals("reopen")) {
            CachedLabelIndex.openOrBuild(LabelSetGenerator.oneMillion()).close();
            for (int round = 0; round < Integer.getInteger("rounds", 5); round++) {
                long cpu0 = mx.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
                try (ShardIndex index = ShardIndex.open(CachedLabelIndex.dir(), CachedLabelIndex.SHARD,
                        dev.strata.store.series.SeriesKeyListing.empty())) {
                    if (index.rebuiltFromListing()) throw new IllegalStateException("rebuilt");
                }
                System.out.printf("reopen round %d: %.0f ms cpu (this thread), %.0f ms wall%n", round,
                        (mx.getCurrentThreadCpuTime() - cpu0) / 1e6, (System.nanoTime() - wall0) / 1e6);
            }
            return;
        }
        if (args.length > 1 && args[1].equals("memory")) {
            postingsMemory();
            return;
        }
        if (args.length > 1 && args[1].equals("index")) {
            indexingRate();
            return;
        }
        try (ShardIndex index = CachedLabelIndex.openOrBuild(LabelSetGenerator.oneMillion())) {
            Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
            List<Matcher> nameAndJob = List.of(Matcher.eq("__name__", "kube_deployment_status_replicas"),
                    Matcher.eq("job", "kube-state-metrics"));
            List<Matcher> prefix = List.of(Matcher.re("instance", "host-1.*"));
            List<Matcher> namePrefix = List.of(Matcher.eq("__name__", "node_misc_1"), Matcher.re("instance", "host-1.*"));
            List<Matcher> nameGeneral = List.of(Matcher.eq("__name__", "node_memory_m3_bytes"),
                    Matcher.re("instance", "host-1[0-9]*:9100"));
            ops.put("select {__name__=kube_deployment_status_replicas, job=kube-state-metrics}", () -> index.select(nameAndJob, min, max));
            ops.put("select {instance=~host-1.*}", () -> index.select(prefix, min, max));
            ops.put("select {__name__=node_misc_1, instance=~host-1.*}", () -> index.select(namePrefix, min, max));
            ops.put("select {__name__=node_memory_m3_bytes, instance=~host-1[0-9]*:9100}", () -> index.select(nameGeneral, min, max));
            ops.put("labelValues(instance)", () -> index.labelValues("instance", List.of(), min, max));
            ops.put("labelValues(instance | __name__=node_misc_1)",
                    () -> index.labelValues("instance", List.of(Matcher.eq("__name__", "node_misc_1")), min, max));
            String only = args.length > 1 ? args[1] : "";
            for (Map.Entry<String, Supplier<Object>> op : ops.entrySet()) {
                if (!op.getKey().contains(only)) continue;
                for (int warm = 0; warm < 2; warm++) run(op.getValue(), seconds / 2, mx);
                double[] r = run(op.getValue(), seconds, mx);
                System.out.printf("%-80s %12.0f ops/cpu-s %10.1f us cpu/op %12.0f ops/wall-s%n", op.getKey(), r[0], 1e6 / r[0], r[1]);
            }
        }
    }

    /**
     * Heap taken by the in-memory postings at 1M series: the labels the probe's selections name, then
     * every label (measured as used heap after full GCs, and as the index's own estimate).
     */
    private static void postingsMemory() throws Exception {
        try (ShardIndex index = CachedLabelIndex.openOrBuild(LabelSetGenerator.oneMillion())) {
            long base = usedHeapAfterGc();
            long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            for (String name : List.of("__name__", "job", "instance")) index.select(List.of(Matcher.re(name, ".+")), min(), max());
            long cpu1 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long queried = usedHeapAfterGc() - base;
            System.out.printf("postings of __name__, job, instance: built in %.0f ms cpu, %.1f MB measured, %.1f MB estimated%n",
                    (cpu1 - cpu0) / 1e6, queried / 1e6, index.inMemoryPostingsBytes() / 1e6);
            List<String> names = index.labelNames(List.of(), min(), max());
            for (String name : names) index.select(List.of(Matcher.re(name, ".+")), min(), max());
            long all = usedHeapAfterGc() - base;
            System.out.printf("postings of all %d labels: %.1f MB measured, %.1f MB estimated, %.1f bytes/series%n",
                    names.size(), all / 1e6, index.inMemoryPostingsBytes() / 1e6, all / (double) index.seriesCount());
        }
    }

    private static long min() {
        return Long.MIN_VALUE;
    }

    private static long max() {
        return Long.MAX_VALUE;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * New series per second, 200k per round: of the calling (ingest) thread's CPU time while adding,
     * and of the process's CPU time until {@link ShardIndex#refresh} returns (every thread: Lucene
     * indexing wherever it runs, merges, GC).
     */
    private static void indexingRate() throws Exception {
        java.util.List<dev.strata.store.model.Labels> all = new java.util.ArrayList<>();
        LabelSetGenerator.oneMillion().forEach(all::add);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.nio.file.Path dir = java.nio.file.Path.of("benchmarks/target/bench-data/label-index-probe");
        boolean rebuild = Boolean.getBoolean("rebuild");
        dev.strata.store.series.InMemorySeriesKeyListing listing = new dev.strata.store.series.InMemorySeriesKeyListing();
        int n0 = 200_000, step0 = all.size() / n0;
        for (int i = 0; i < n0; i++) listing.put(0, new dev.strata.store.series.SeriesKey(i, all.get(i * step0), 1L, 2L));
        for (int round = 0; round < Integer.getInteger("rounds", 4); round++) {
            CachedLabelIndex.deleteRecursively(dir);
            if (rebuild) {
                long cpu0 = os.getProcessCpuTime(), wall0 = System.nanoTime();
                try (ShardIndex index = ShardIndex.open(dir, 0, listing)) {
                    long cpu = os.getProcessCpuTime() - cpu0, wall = System.nanoTime() - wall0;
                    System.out.printf("rebuild round %d: %d series: %.0f series/cpu-s, %.0f series/wall-s%n", round,
                            index.seriesCount(), n0 / (cpu / 1e9), n0 / (wall / 1e9));
                }
                continue;
            }
            try (ShardIndex index = ShardIndex.open(dir, 0, dev.strata.store.series.SeriesKeyListing.empty(), indexOptions())) {
                ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                long cpu0 = os.getProcessCpuTime(), wall0 = System.nanoTime(), thread0 = mx.getCurrentThreadCpuTime();
                int n = 200_000, step = all.size() / n;
                for (int i = 0; i < n; i++) index.addSeries(all.get(i * step), 1_700_000_000_000L);
                long ingest = mx.getCurrentThreadCpuTime() - thread0;
                // refresh() returns once every added series is in Lucene and readable from it.
                index.refresh();
                long cpu = os.getProcessCpuTime() - cpu0, wall = System.nanoTime() - wall0;
                long writer = threadCpu(mx, "strata-index-writer-");
                System.out.printf("round %d: %d series: ingest thread %.0f series/cpu-s (%.2f us/series); "
                                + "index writer thread %.2f us/series; "
                                + "process %.0f series/cpu-s (%.2f us/series, incl. Lucene, merges, GC); %.0f series/wall-s%n",
                        round, n, n / (ingest / 1e9), ingest / 1e3 / n, writer / 1e3 / n, n / (cpu / 1e9), cpu / 1e3 / n,
                        n / (wall / 1e9));
            }
        }
    }

    /** The defaults, or -DramBufferMb=N for Lucene's indexing buffer. */
    private static dev.strata.index.ShardIndexOptions indexOptions() {
        dev.strata.index.ShardIndexOptions d = dev.strata.index.ShardIndexOptions.defaults();
        String ram = System.getProperty("ramBufferMb");
        if (ram == null) return d;
        return new dev.strata.index.ShardIndexOptions(Double.parseDouble(ram), d.maxPendingScan(), d.verifyChecksumsOnOpen(),
                d.rebuildThreads(), d.indexBatchSize(), d.maxQueuedBatches());
    }

    /** CPU nanoseconds of the live threads whose name starts with {@code prefix} (0 if none). */
    private static long threadCpu(ThreadMXBean mx, String prefix) {
        long sum = 0;
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(prefix)) sum += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
        }
        return sum;
    }

    /** Returns {ops per CPU second, ops per wall second}. */
    private static double[] run(Supplier<Object> op, double seconds, ThreadMXBean mx) {
        long sink = 0, n = 0;
        long wall0 = System.nanoTime(), cpu0 = mx.getCurrentThreadCpuTime();
        long deadline = wall0 + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            sink += op.get().hashCode();
            n++;
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0, wall = System.nanoTime() - wall0;
        if (sink == 42) System.out.print("");
        return new double[] {n / (cpu / 1e9), n / (wall / 1e9)};
    }
}

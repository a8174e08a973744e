package dev.strata.benchmarks;

import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.MemShardStore;
import dev.strata.ingest.consumer.Replay;
import dev.strata.ingest.consumer.ReplayFilter;
import dev.strata.ingest.consumer.ShardConsumer;
import dev.strata.ingest.consumer.ShardConsumerConfig;
import dev.strata.ingest.consumer.ShardIndexSeries;
import dev.strata.ingest.flush.FlushGroups;
import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.MockConsumer;

/**
 * Replay (shard records -> fresh MemShard + label index, as a restart does) timed in thread CPU
 * time, so a run on the shared machine still yields samples per CPU-second. Records are applied
 * through {@link ShardConsumer#apply} (the Kafka client's fetch is not part of it). Cases:
 * <ul>
 *   <li>{@code restart}: the index already holds every series (opened from the volume), fresh
 *       MemShard and consumer per run;</li>
 *   <li>{@code restart-skip}: the same with half of the flush groups' checkpoints covering the whole
 *       log (their samples skipped as durable, counted as replayed);</li>
 *   <li>{@code first-start}: an empty index, every series added;</li>
 *   <li>{@code steady}: the same consumer applying the log again with later timestamps (no series
 *       resolution misses), the steady-state consume path for comparison.</li>
 * </ul>
 * Workload: {@code series} series x {@code scrapes} samples at 15 s, records of 500 series with
 * {@code samplesPerEntry} consecutive samples per series entry (1 = what the gateway writes for one
 * scrape). Run from the repo root:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.strata.benchmarks.ReplayCpuProbe [series] [scrapes] [reps] [samplesPerEntry]}.
 */
public final class ReplayCpuProbe {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final int SERIES_PER_RECORD = 500;
    private static final int GROUPS = 8;

    private ReplayCpuProbe() {}

    public static void main(String[] args) throws Exception {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        int perEntry = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        String only = System.getProperty("case", "");
        List<Labels> labels = new ArrayList<>();
        for (int i = 0; i < series; i++) {
            labels.add(Labels.of("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(i % 64), "instance",
                    "host-" + (i / 64) + ":9100", "job", "node", "mode", "user"));
        }
        List<byte[]> log = records(labels, scrapes, perEntry, 1_700_000_000_000L);
        long samples = (long) series * scrapes;
        ShardIndex known = ShardIndex.inMemory(0);
        for (Labels l : labels) known.addSeries(l, 1_700_000_000_000L);
        known.commit(log.size() - 1);
        long[] checkpoints = new long[GROUPS];
        for (int g = 0; g < GROUPS; g++) checkpoints[g] = g % 2 == 0 ? log.size() : -1;
        ReplayFilter half = (offset, hash) -> offset <= checkpoints[FlushGroups.groupOf(hash, GROUPS)];

        System.out.printf(Locale.ROOT, "replay probe: %d series x %d samples, %d per entry, %d records%n",
                series, scrapes, perEntry, log.size());
        if (only.isEmpty() || only.equals("restart")) {
            report("restart", samples, reps, () -> replay(log, known, ReplayFilter.NONE, samples, 0));
        }
        if (only.isEmpty() || only.equals("restart-skip")) {
            report("restart-skip", samples, reps, () -> replay(log, known, half, samples, -1));
        }
        if (only.isEmpty() || only.equals("first-start")) {
            report("first-start", samples, Math.max(3, reps / 3), () -> {
                ShardIndex fresh = ShardIndex.inMemory(0);
                try (fresh) {
                    return replay(log, fresh, ReplayFilter.NONE, samples, 0);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        if (only.isEmpty() || only.equals("steady")) {
            MemShard memory = new MemShard(0, MemShardOptions.defaults().withMemoryBudgetBytes(Long.MAX_VALUE));
            ShardConsumer consumer = new ShardConsumer(ShardConsumerConfig.of("ingest", 0, 0), new MockConsumer<>("earliest"),
                    new MemShardStore(memory), new ShardIndexSeries(known), System::nanoTime);
            long[] offset = {0};
            int[] round = {0};
            List<List<byte[]>> rounds = new ArrayList<>();
            for (int r = 0; r < reps + 2; r++) rounds.add(records(labels, scrapes, perEntry, 1_700_000_000_000L + r * scrapes * 15_000L));
            report("steady", samples, reps, () -> {
                for (byte[] rec : rounds.get(round[0]++)) consumer.apply(offset[0]++, rec);
                return 0;
            });
        }
        known.close();
    }

    interface Run {
        long run(); // CPU nanos to exclude (set-up inside the run), usually 0
    }

    private static void report(String name, long samples, int reps, Run run) {
        run.run(); // warm-up
        run.run();
        double[] ns = new double[reps];
        for (int i = 0; i < reps; i++) {
            long c0 = MX.getCurrentThreadCpuTime();
            run.run();
            ns[i] = (MX.getCurrentThreadCpuTime() - c0) / (double) samples;
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "  %-13s %7.1f ns/sample = %5.2fM samples per cpu-second (median of %d, min %.1f, max %.1f)%n",
                name, ns[reps / 2], 1000 / ns[reps / 2], reps, ns[0], ns[reps - 1]);
    }

    /** One restart: fresh MemShard and consumer, the whole log applied. */
    private static long replay(List<byte[]> log, ShardIndex index, ReplayFilter filter, long samples, int expectSkipped) {
        MemShard memory = new MemShard(0, MemShardOptions.defaults().withMemoryBudgetBytes(Long.MAX_VALUE));
        ShardConsumer consumer = new ShardConsumer(new ShardConsumerConfig("ingest", 0, 0, Duration.ZERO, Duration.ofHours(1)),
                new MockConsumer<>("earliest"), new MemShardStore(memory), new ShardIndexSeries(index), System::nanoTime,
                new Replay(log.size(), filter));
        for (int i = 0; i < log.size(); i++) consumer.apply(i, log.get(i));
        long applied = memory.appendedCount();
        long skipped = consumer.stats().replaySkippedSamples();
        if (applied + skipped != samples || (expectSkipped == 0 && skipped != 0) || (expectSkipped < 0 && skipped == 0)) {
            throw new IllegalStateException("replayed " + applied + " + skipped " + skipped + " samples, expected " + samples);
        }
        return 0;
    }

    /** The log: each record holds SERIES_PER_RECORD series, each entry {@code perEntry} consecutive samples. */
    static List<byte[]> records(List<Labels> series, int scrapes, int perEntry, long base) {
        List<byte[]> out = new ArrayList<>();
        ShardRecordWriter w = new ShardRecordWriter();
        for (int s = 0; s < scrapes; s += perEntry) {
            int n = Math.min(perEntry, scrapes - s);
            for (int from = 0; from < series.size(); from += SERIES_PER_RECORD) {
                w.reset(0);
                for (int i = from; i < Math.min(series.size(), from + SERIES_PER_RECORD); i++) {
                    Labels l = series.get(i);
                    w.beginSeries(l.hash(), l.size(), n);
                    for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
                    for (int j = 0; j < n; j++) w.sample(base + (s + j) * 15_000L, 1000.0 + (s + j) * 1.5 + (i % 7));
                    w.endSeries();
                }
                out.add(w.finish());
            }
        }
        return out;
    }
}

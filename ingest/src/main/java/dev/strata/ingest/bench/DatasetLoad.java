package dev.strata.ingest.bench;

import dev.strata.store.model.Labels;
import dev.strata.store.tools.DatasetReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dataset file (../shared/datasets format, see {@link DatasetReader}) held in memory and sent to a
 * system over remote write 1.0, as a scraper would: in order of time, one {@code window} of sample
 * time after another, each request holding at most {@code batch} samples of many series.
 *
 * <p>Timestamps are shifted by one constant so that the first sample lands at a chosen recent time
 * (every system refuses samples far in the past: Strata's gateway at 1 day, Prometheus's head at an
 * hour before its newest sample, VictoriaMetrics at its retention); spacing and jitter are kept
 * exactly. Every series' {@code job} becomes {@code "<dataset>:<job>"} (e.g. {@code node-1s:node}), so
 * two datasets of the same series (node-15s is every 15th sample of node-1s) stay apart, and the
 * benchmark's dashboard queries ({@code job="node"}) do not see them.
 */
final class DatasetLoad {
    record Series(Labels labels, long[] timestamps, double[] values) {}

    final String name;
    final List<Series> series;
    final long samples;
    private final long minT;
    private final long maxT;

    private DatasetLoad(String name, List<Series> series) {
        this.name = name;
        this.series = series;
        long n = 0, min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (Series s : series) {
            n += s.timestamps().length;
            if (s.timestamps().length > 0) {
                min = Math.min(min, s.timestamps()[0]);
                max = Math.max(max, s.timestamps()[s.timestamps().length - 1]);
            }
        }
        this.samples = n;
        this.minT = min;
        this.maxT = max;
    }

    /** Reads {@code file}; the dataset's name is the file name without {@code .jsonl.gz}. */
    static DatasetLoad read(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.jsonl(\\.gz)?$", "");
        List<Series> list = new ArrayList<>();
        DatasetReader.read(file, (labels, ts, vs, count) ->
                list.add(new Series(labels.with("job", name + ":" + labels.get("job")), Arrays.copyOf(ts, count), Arrays.copyOf(vs, count))));
        return new DatasetLoad(name, list);
    }

    static DatasetLoad of(String name, List<Series> series) {
        return new DatasetLoad(name, series);
    }

    /** Time from the first sample to the last (0 without samples). */
    long spanMs() {
        return samples == 0 ? 0 : maxT - minT;
    }

    /**
     * Sends every sample, shifted so the first lands at {@code firstSampleMs}, to {@code t}; returns the
     * samples acknowledged (2xx). Failures are printed with the first error and show as acknowledged
     * &lt; {@link #samples}. Series are split into {@code concurrency} shards, each sending one request
     * at a time, as Prometheus's remote-write queues do: a series' samples arrive in time order (a
     * receiver without an out-of-order window refuses anything else).
     */
    long send(CompareTarget t, long firstSampleMs, long windowMs, int batch, int concurrency) throws Exception {
        long shift = firstSampleMs - minT;
        int[] cursor = new int[series.size()];
        long[] shifted = new long[1024];
        List<Shard> shards = new ArrayList<>();
        try {
            for (int i = 0; i < concurrency; i++) shards.add(new Shard(new IngestBench.HttpSender(t.writeUrl(), 1)));
            for (long windowEnd = minT + windowMs; ; windowEnd += windowMs) {
                boolean more = false;
                for (int s = 0; s < series.size(); s++) {
                    Series x = series.get(s);
                    long[] ts = x.timestamps();
                    int from = cursor[s], to = from;
                    while (to < ts.length && ts[to] < windowEnd) to++;
                    cursor[s] = to;
                    if (to < ts.length) more = true;
                    if (to == from) continue;
                    if (shifted.length < to - from) shifted = new long[to - from];
                    for (int i = from; i < to; i++) shifted[i - from] = ts[i] + shift;
                    Shard shard = shards.get(s % concurrency);
                    shard.enc.add(x.labels(), shifted, Arrays.copyOfRange(x.values(), from, to), 0, to - from);
                    shard.pending += to - from;
                    if (shard.pending >= batch) shard.send();
                }
                if (!more) break;
            }
            long acked = 0, failed = 0;
            String firstError = null;
            for (Shard shard : shards) {
                if (shard.pending > 0) shard.send();
                shard.sender.drain();
                acked += shard.sender.acked.get();
                failed += shard.sender.failed.get();
                if (firstError == null) firstError = shard.sender.firstError.get();
            }
            if (failed > 0) System.out.printf("  %s: %,d of %,d samples of %s refused; first error: %s%n", t.name(), failed, samples, name, firstError);
            return acked;
        } finally {
            for (Shard shard : shards) shard.sender.close();
        }
    }

    /** One sending shard: its request being built and its sender (one request in flight). */
    private static final class Shard {
        final IngestBench.HttpSender sender;
        final RemoteWriteRequestEncoder enc = new RemoteWriteRequestEncoder();
        int pending;

        Shard(IngestBench.HttpSender sender) {
            this.sender = sender;
        }

        /** Waits for this shard's request in flight (if any), then sends the one built. */
        void send() throws InterruptedException {
            sender.send(enc.finish(), pending);
            enc.begin();
            pending = 0;
        }
    }
}

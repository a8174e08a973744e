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

    private DatasetLoad(String name, List<Series> series) {
        this.name = name;
        this.series = series;
        long n = 0, min = Long.MAX_VALUE;
        for (Series s : series) {
            n += s.timestamps().length;
            if (s.timestamps().length > 0) min = Math.min(min, s.timestamps()[0]);
        }
        this.samples = n;
        this.minT = min;
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

    /**
     * Sends every sample, shifted so the first lands at {@code firstSampleMs}, to {@code t}; returns the
     * samples acknowledged (2xx). Failures are printed (the first few) and counted by the caller as
     * acknowledged &lt; {@link #samples}.
     */
    long send(CompareTarget t, long firstSampleMs, long windowMs, int batch, int concurrency) throws Exception {
        long shift = firstSampleMs - minT;
        RemoteWriteRequestEncoder enc = new RemoteWriteRequestEncoder();
        int[] cursor = new int[series.size()];
        long[] shifted = new long[1024];
        try (IngestBench.HttpSender sender = new IngestBench.HttpSender(t.writeUrl(), concurrency)) {
            enc.begin();
            int inRequest = 0;
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
                    enc.add(x.labels(), shifted, Arrays.copyOfRange(x.values(), from, to), 0, to - from);
                    inRequest += to - from;
                    if (inRequest >= batch) {
                        send(sender, enc, inRequest);
                        inRequest = 0;
                    }
                }
                if (!more) break;
            }
            if (inRequest > 0) send(sender, enc, inRequest);
            sender.drain();
            if (sender.failed.get() > 0) {
                System.out.printf("  %s: %,d of %,d samples of %s refused; first error: %s%n", t.name(), sender.failed.get(), samples, name,
                        sender.firstError.get());
            }
            return sender.acked.get();
        }
    }

    private static void send(IngestBench.HttpSender sender, RemoteWriteRequestEncoder enc, int samples) throws InterruptedException {
        sender.send(enc.finish(), samples);
        enc.begin();
    }
}

package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.NativeHistogramRequests.Sample;
import dev.strata.node.config.NodeConfig;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.SampleIterator;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.model.Labels;
import dev.strata.store.paging.PageBudget;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xerial.snappy.Snappy;

/**
 * Native histograms through a whole node against a real Kafka broker and a real Cassandra node:
 * remote write 1.0 and 2.0 (integer and float histograms, exponential schemas, custom-bucket (NHCB)
 * histograms with their bounds, every reset hint, start timestamps, a series turning from floats to
 * histograms) -> gateway -> Kafka record version 3 -> shard consumers -> memory, read back through
 * the shards' iterators equal to what was sent ({@link FloatHistogram#equals}); three quarters of
 * the steps flushed to Cassandra before the rest is sent, the node restarted on the same data
 * directory, and everything read back again through the chunk pager (Cassandra plus what the restart
 * replayed from Kafka); finally a node with a fresh data directory and keyspace replays the whole
 * log into memory.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class NodeHistogramEndToEndTest {
    private static final long T0 = (System.currentTimeMillis() - 1_800_000L) / 15_000L * 15_000L;
    private static final int STEPS = 80;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A cumulative histogram of random observations: bucket index i holds counts[i - first]. */
    private static final class Cumulative {
        final int schema;
        final double[] custom;
        final boolean integer;
        final TreeMap<Integer, Double> pos = new TreeMap<>();
        final TreeMap<Integer, Double> neg = new TreeMap<>();
        double zero;
        double count;
        double sum;

        Cumulative(int schema, double[] custom, boolean integer) {
            this.schema = schema;
            this.custom = custom;
            this.integer = integer;
        }

        FloatHistogram observe(Random rnd, ResetHint hint, boolean negatives) {
            for (int i = 0, n = rnd.nextInt(30); i < n; i++) {
                double v = Math.exp(rnd.nextGaussian());
                double w = integer ? 1 : 0.5;
                count += w;
                sum += v;
                if (rnd.nextInt(50) == 0) {
                    if (custom == null) zero += w;
                    continue;
                }
                int idx;
                if (custom != null) {
                    idx = 0;
                    while (idx < custom.length && v > custom[idx]) idx++;
                } else {
                    idx = (int) Math.ceil(Math.log(v) / Math.log(2) * Math.pow(2, schema));
                }
                (negatives && custom == null && rnd.nextInt(4) == 0 ? neg : pos).merge(idx, w, Double::sum);
            }
            int[][] ps = spans(pos);
            int[][] ns = spans(neg);
            return new FloatHistogram(hint, custom != null ? FloatHistogram.CUSTOM_BUCKETS_SCHEMA : schema, custom != null ? 0 : 1e-9,
                    zero, count, sum, ps[0], ps[1], buckets(pos), ns[0], ns[1], buckets(neg), custom);
        }

        void reset() {
            pos.clear();
            neg.clear();
            zero = count = sum = 0;
        }

        /** One span per run of consecutive indices. */
        private static int[][] spans(TreeMap<Integer, Double> m) {
            List<int[]> out = new ArrayList<>();
            Integer prev = null;
            for (int idx : m.keySet()) {
                if (prev != null && idx == prev + 1) out.get(out.size() - 1)[1]++;
                else out.add(new int[] {prev == null ? idx : idx - prev - 1, 1});
                prev = idx;
            }
            return new int[][] {out.stream().mapToInt(a -> a[0]).toArray(), out.stream().mapToInt(a -> a[1]).toArray()};
        }

        private static double[] buckets(TreeMap<Integer, Double> m) {
            return m.values().stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    @Test
    void histogramsOfBothProtocolsSurviveFlushRestartAndReplay(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("NodeHistogramEndToEndTest seed=" + seed);
        Random rnd = new Random(seed);
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "e2e-hist");
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + data, "store.out-of-order-window=1h", "shards=4",
                "kafka.topic=hist-" + Long.toHexString(seed), "cassandra.keyspace=hist_" + Long.toHexString(seed & 0xffffffffL),
                "flush.interval=2s", "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(), "node.connect-retry-interval=200ms")));

        Labels rw1Int = Labels.of("__name__", "rw1_int_seconds", "job", "h");
        Labels rw1Float = Labels.of("__name__", "rw1_float_seconds", "job", "h");
        Labels rw1Nhcb = Labels.of("__name__", "rw1_nhcb_seconds", "job", "h");
        Labels rw1Mixed = Labels.of("__name__", "rw1_mixed", "job", "h");
        Labels rw2Int = Labels.of("__name__", "rw2_int_seconds", "job", "h");
        Labels rw2Nhcb = Labels.of("__name__", "rw2_nhcb_seconds", "job", "h");
        Cumulative int3 = new Cumulative(3, null, true);
        Cumulative floatM2 = new Cumulative(-2, null, false);
        Cumulative nhcb = new Cumulative(0, new double[] {0.25, 0.5, 1, 2.5, 5}, true);
        Cumulative mixed = new Cumulative(8, null, true);
        Cumulative int0 = new Cumulative(0, null, true);
        Cumulative floatNhcb = new Cumulative(0, new double[] {1, 10}, false);
        Map<Labels, List<Sample>> expected = new LinkedHashMap<>();
        List<Map<Labels, List<Sample>>> v1Requests = new ArrayList<>();
        List<Map<Labels, List<Sample>>> v2Requests = new ArrayList<>();
        long st = T0 - 60_000;
        for (int s = 0; s < STEPS; s++) {
            long t = T0 + 15_000L * s;
            if (s == STEPS / 2) {
                int3.reset();
                int0.reset();
                st = t - 1000;
            }
            ResetHint hint = s == STEPS / 2 ? ResetHint.YES : ResetHint.NO;
            Map<Labels, List<Sample>> v1 = new LinkedHashMap<>();
            v1.put(rw1Int, List.of(new Sample(t, 0, 0, int3.observe(rnd, hint, true))));
            v1.put(rw1Float, List.of(new Sample(t, 0, 0, floatM2.observe(rnd, ResetHint.UNKNOWN, true))));
            v1.put(rw1Nhcb, List.of(new Sample(t, 0, 0, nhcb.observe(rnd, ResetHint.NO, false))));
            v1.put(rw1Mixed, List.of(s < STEPS / 2 ? new Sample(t, 0, s * 1.5, null) : new Sample(t, 0, 0, mixed.observe(rnd, ResetHint.UNKNOWN, false))));
            Map<Labels, List<Sample>> v2 = new LinkedHashMap<>();
            v2.put(rw2Int, List.of(new Sample(t, st, 0, int0.observe(rnd, s == STEPS / 2 ? ResetHint.YES : ResetHint.NO, true))));
            v2.put(rw2Nhcb, List.of(new Sample(t, 0, 0, floatNhcb.observe(rnd, ResetHint.GAUGE, false))));
            v1Requests.add(v1);
            v2Requests.add(v2);
            for (Map<Labels, List<Sample>> m : List.of(v1, v2)) m.forEach((l, xs) -> expected.computeIfAbsent(l, k -> new ArrayList<>()).addAll(xs));
        }
        int flushedSteps = STEPS * 3 / 4;
        int total = expected.values().stream().mapToInt(List::size).sum() * flushedSteps / STEPS;

        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            awaitReady(base);
            for (int s = 0; s < STEPS; s++) {
                if (s == flushedSteps) {
                    // wait for a flush that holds every sample so far (the flush writes the write buffers as chunks, then the checkpoint)
                    long deadline = System.nanoTime() + 120_000_000_000L;
                    while (flushedSamples(get(base + "/metrics")) < total && System.nanoTime() < deadline) Thread.sleep(500);
                    assertTrue(flushedSamples(get(base + "/metrics")) >= total, "the first steps flushed to Cassandra");
                    Thread.sleep(5_000); // two more flush intervals: the checkpoint follows its flush
                }
                HttpResponse<String> r1 = post(base, NativeHistogramRequests.v1(v1Requests.get(s)), "prometheus.WriteRequest");
                assertEquals(204, r1.statusCode(), r1.body());
                HttpResponse<String> r2 = post(base, NativeHistogramRequests.v2(v2Requests.get(s)), "io.prometheus.write.v2.Request");
                assertEquals(204, r2.statusCode(), r2.body());
                assertEquals("2", r2.headers().firstValue("X-Prometheus-Remote-Write-Histograms-Written").orElse(""));
                assertEquals("0", r2.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written").orElse(""));
            }
            // the last steps are in memory, and maybe not yet flushed when the node closes
            awaitEqual(expected, () -> readMemory(node, expected.keySet()), "memory after ingest, seed=" + seed);
        }

        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            awaitReady(base);
            // the first steps come from Cassandra, the rest from Cassandra or the replay of the Kafka log
            awaitEqual(expected, () -> readPaged(node, expected.keySet()), "memory + Cassandra after the restart, seed=" + seed);
        }

        // A node with an empty data directory and keyspace on the same topic replays the whole log (record version 3).
        Path fresh = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "e2e-hist-replay");
        NodeConfig replay = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + fresh, "store.out-of-order-window=1h", "shards=4",
                "kafka.topic=hist-" + Long.toHexString(seed), "cassandra.keyspace=hist_replay_" + Long.toHexString(seed & 0xffffffffL),
                "flush.interval=2s", "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(), "node.connect-retry-interval=200ms")));
        try (NodeAssembly node = new NodeAssembly(replay)) {
            node.start();
            awaitReady("http://127.0.0.1:" + node.httpPort());
            awaitEqual(expected, () -> readMemory(node, expected.keySet()), "memory after replaying the whole log, seed=" + seed);
        }
    }

    private interface Reader {
        Map<Labels, List<Sample>> read();
    }

    private static void awaitEqual(Map<Labels, List<Sample>> expected, Reader reader, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        Map<Labels, List<Sample>> got = reader.read();
        while (!expected.equals(got) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            got = reader.read();
        }
        for (Labels l : expected.keySet()) {
            List<Sample> g = got.get(l);
            assertEquals(expected.get(l).size(), g == null ? -1 : g.size(), what + ": sample count of " + l);
            assertEquals(expected.get(l), g, what + ": " + l);
        }
    }

    private static Map<Labels, List<Sample>> readMemory(NodeAssembly node, Set<Labels> series) {
        return read(node, series, (shard, id, labels) -> shard.memory().iterator(id, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    private static Map<Labels, List<Sample>> readPaged(NodeAssembly node, Set<Labels> series) {
        // a query's range: the data's two hours around now
        return read(node, series, (shard, id, labels) -> shard.pager().iterator(id, labels, shard.index().firstSampleTime(id),
                T0 - 3_600_000L, System.currentTimeMillis() + 3_600_000L, new PageBudget(1_000_000, 1L << 30)));
    }

    private interface Source {
        SampleIterator open(LocalShardsQueryable.Shard shard, int id, Labels labels);
    }

    private static Map<Labels, List<Sample>> read(NodeAssembly node, Set<Labels> series, Source source) {
        Map<Labels, List<Sample>> out = new LinkedHashMap<>();
        Set<Integer> all = new HashSet<>(List.of(0, 1, 2, 3));
        for (LocalShardsQueryable.Shard shard : node.shards().open(all)) {
            for (Labels l : series) {
                int id = shard.index().seriesId(l);
                if (id < 0) continue;
                List<Sample> samples = new ArrayList<>();
                SampleIterator it = source.open(shard, id, l);
                while (it.next()) {
                    FloatHistogram h = it.histogram();
                    samples.add(new Sample(it.timestamp(), it.startTimestamp(), h == null ? it.value() : 0, h));
                }
                out.put(l, samples);
            }
        }
        return out;
    }

    private static long flushedSamples(String metrics) {
        Matcher m = Pattern.compile("(?m)^strata_flush_samples_total(?:\\{[^}]*})? ([0-9.e+E]+)$").matcher(metrics);
        double sum = 0;
        while (m.find()) sum += Double.parseDouble(m.group(1));
        return (long) sum;
    }

    private HttpResponse<String> post(String base, byte[] raw, String proto) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                .header("Content-Type", "application/x-protobuf;proto=" + proto)
                .header("Content-Encoding", "snappy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(raw))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(String base) throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (java.io.IOException ignored) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node not ready after 60 s: " + get(base + "/-/ready"));
    }

    private String get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}

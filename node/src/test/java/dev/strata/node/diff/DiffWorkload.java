package dev.strata.node.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The differential test's workload: a seeded, clock-free generator of what a few scraped targets would
 * expose every 15 s for {@link #STEPS} scrapes -- counters (one with a reset), gauges (negative, integer,
 * NaN and infinite values), a classic histogram ({@code _bucket}/{@code _sum}/{@code _count} with one
 * timestamp per scrape), series that start late and stop early (with and without a staleness marker, as
 * a scrape that loses a target would or would not write one) and, behind {@link #NATIVE_HISTOGRAMS},
 * native histograms (exponential schemas, negative and zero buckets, a counter reset).
 *
 * <p>Timestamps: scrape {@code s} of target {@code k} is at {@code t0 + 15 s * s + offset(k) + jitter},
 * with the millisecond part never 0. Queries use whole seconds for start, step, range, offset and {@code @},
 * so no sample lies on a window or lookback boundary, where Prometheus 3 (left-open windows) and 2.42
 * (closed windows) differ on purpose.
 */
final class DiffWorkload {
    /**
     * Native histograms in the workload and the corpus (Strata stores and queries them); Prometheus is then
     * started with {@code --enable-feature=native-histograms}.
     */
    static final boolean NATIVE_HISTOGRAMS = true;

    static final long SCRAPE_INTERVAL_MS = 15_000;
    /** 70 minutes of scrapes. */
    static final int STEPS = 280;
    static final double[] CLASSIC_BOUNDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5};
    /** The scrape at which counter {@code diff_fresh_total{instance="f<i>"}} starts from 0. */
    static final int[] FRESH_STARTS = {0, 100};
    /** The Prometheus staleness marker (a NaN with this bit pattern). */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    /** One float sample or one native histogram sample of one series, ready for remote write. */
    record Sample(Map<String, String> labels, long timestampMs, double value, NativeHistogram histogram) {
        boolean stale() {
            return histogram == null && Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
        }
    }

    /** An integer native histogram: cumulative counts per bucket index, as remote write carries it. */
    record NativeHistogram(int schema, double zeroThreshold, long zeroCount, long count, double sum,
            TreeMap<Integer, Long> positive, TreeMap<Integer, Long> negative) {}

    private final Random random;
    private final long t0;
    private final List<List<Sample>> scrapes = new ArrayList<>();
    private final Map<Integer, Long> firstSample = new TreeMap<>();

    /** {@code t0} must be a whole second. */
    DiffWorkload(long seed, long t0) {
        this.random = new Random(seed);
        this.t0 = t0;
        generate();
    }

    /** The samples of scrape round {@code s}, every series in time order across rounds. */
    List<List<Sample>> scrapes() {
        return scrapes;
    }

    long start() {
        return t0;
    }

    /** The first sample of {@code diff_fresh_total{instance="f<i>"}}, in milliseconds. */
    long freshStart(int i) {
        return firstSample.get(i);
    }

    long end() {
        return t0 + STEPS * SCRAPE_INTERVAL_MS;
    }

    /** Samples other than staleness markers: what {@code count_over_time} counts over the whole run. */
    long countedSamples() {
        long n = 0;
        for (List<Sample> round : scrapes) {
            for (Sample s : round) if (!s.stale()) n++;
        }
        return n;
    }

    private static Map<String, String> labels(String... nv) {
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < nv.length; i += 2) m.put(nv[i], nv[i + 1]);
        return m;
    }

    private void generate() {
        String[] apiInstances = {"api-0", "api-1", "api-2"};
        String[] rooms = {"cellar", "attic", "lab", "roof"};
        // Per target: a fixed offset within the interval, whole-millisecond, never on a whole second.
        Map<String, Long> offsets = new TreeMap<>();
        for (String t : List.of("api-0", "api-1", "api-2", "env", "batch-0", "batch-1", "batch-2", "batch-3", "edge", "fresh")) {
            offsets.put(t, 1_000L + random.nextInt(13_000));
        }
        // Counters and classic histograms had counted for a while before the first scrape (so the rate
        // extrapolation near the zero point, where 2.42 and 3.x differ, concerns diff_fresh_total only).
        double[] requests = new double[apiInstances.length * 2];
        for (int i = 0; i < requests.length; i++) requests[i] = 1000 + random.nextInt(50_000);
        double[][] buckets = new double[apiInstances.length][CLASSIC_BOUNDS.length + 1];
        double[] latencySum = new double[apiInstances.length];
        for (int k = 0; k < apiInstances.length; k++) {
            for (int b = 0; b <= CLASSIC_BOUNDS.length; b++) buckets[k][b] = 100 * (b + 1) + random.nextInt(50);
            latencySum[k] = buckets[k][CLASSIC_BOUNDS.length] * 0.3;
        }
        double[] fresh = new double[FRESH_STARTS.length];
        double[] temperature = {12, 31.5, 20, -4};
        NativeHistogramState[] natives = {new NativeHistogramState(0), new NativeHistogramState(1), new NativeHistogramState(3)};
        for (int s = 0; s < STEPS; s++) {
            List<Sample> round = new ArrayList<>();
            for (int k = 0; k < apiInstances.length; k++) {
                String inst = apiInstances[k];
                long ts = timestamp(s, offsets.get(inst));
                for (int c = 0; c < 2; c++) {
                    int i = 2 * k + c;
                    // api-1's 500s counter resets at scrape 150, as a restarted process's would.
                    if (k == 1 && c == 1 && s == 150) requests[i] = 0;
                    requests[i] += c == 0 ? 20 + random.nextInt(60) : random.nextInt(4);
                    round.add(new Sample(labels("__name__", "diff_requests_total", "job", "api", "instance", inst,
                            "code", c == 0 ? "200" : "500"), ts, requests[i], null));
                }
                round.add(new Sample(labels("__name__", "diff_queue_depth", "job", "api", "instance", inst), ts,
                        random.nextInt(40), null));
                int observations = 5 + random.nextInt(30);
                for (int o = 0; o < observations; o++) {
                    double v = Math.exp(random.nextGaussian() * 1.2 - 1.5);
                    latencySum[k] += v;
                    for (int b = 0; b <= CLASSIC_BOUNDS.length; b++) {
                        if (b == CLASSIC_BOUNDS.length || v <= CLASSIC_BOUNDS[b]) buckets[k][b]++;
                    }
                }
                for (int b = 0; b <= CLASSIC_BOUNDS.length; b++) {
                    String le = b == CLASSIC_BOUNDS.length ? "+Inf" : Double.toString(CLASSIC_BOUNDS[b]);
                    round.add(new Sample(labels("__name__", "diff_latency_seconds_bucket", "job", "api", "instance", inst,
                            "le", le), ts, buckets[k][b], null));
                }
                round.add(new Sample(labels("__name__", "diff_latency_seconds_sum", "job", "api", "instance", inst), ts,
                        latencySum[k], null));
                round.add(new Sample(labels("__name__", "diff_latency_seconds_count", "job", "api", "instance", inst), ts,
                        buckets[k][CLASSIC_BOUNDS.length], null));
                if (NATIVE_HISTOGRAMS) {
                    NativeHistogramState h = natives[k];
                    if (k == 2 && s == 170) h.reset();
                    h.observe(random, 3 + random.nextInt(20));
                    round.add(new Sample(labels("__name__", "diff_native_latency_seconds", "job", "api", "instance", inst),
                            ts, 0, h.snapshot()));
                }
            }
            long envTs = timestamp(s, offsets.get("env"));
            for (int r = 0; r < rooms.length; r++) {
                temperature[r] += Math.round((random.nextDouble() - 0.5) * 40) / 20.0;
                round.add(new Sample(labels("__name__", "diff_temperature", "job", "env", "room", rooms[r]), envTs,
                        temperature[r], null));
            }
            // Batch jobs: b0 starts at scrape 40; b1 stops at 160 with a staleness marker; b2 stops at 100
            // without one (its samples just end); b3 runs from 120 to 200 and ends with a marker.
            batch(round, "batch-0", s >= 40, false, s, offsets);
            batch(round, "batch-1", s < 160, s == 160, s, offsets);
            batch(round, "batch-2", s < 100, false, s, offsets);
            batch(round, "batch-3", s >= 120 && s < 200, s == 200, s, offsets);
            // Fresh counters: from 0 at their first scrape.
            long freshTs = timestamp(s, offsets.get("fresh"));
            for (int f = 0; f < FRESH_STARTS.length; f++) {
                if (s < FRESH_STARTS[f]) continue;
                fresh[f] += 1 + random.nextInt(30);
                firstSample.putIfAbsent(f, freshTs);
                round.add(new Sample(labels("__name__", "diff_fresh_total", "job", "fresh", "instance", "f" + f), freshTs, fresh[f], null));
            }
            // Edge values: NaN now and then, an infinity, a zero, on a gauge.
            long edgeTs = timestamp(s, offsets.get("edge"));
            double edge = s % 37 == 5 ? Double.NaN : s % 53 == 7 ? Double.POSITIVE_INFINITY
                    : s % 61 == 9 ? Double.NEGATIVE_INFINITY : s % 10 == 0 ? 0 : random.nextInt(2000) / 8.0 - 100;
            round.add(new Sample(labels("__name__", "diff_edge", "job", "edge"), edgeTs, edge, null));
            scrapes.add(round);
        }
    }

    private void batch(List<Sample> round, String inst, boolean up, boolean marker, int s, Map<String, Long> offsets) {
        long ts = timestamp(s, offsets.get(inst));
        Map<String, String> l = labels("__name__", "diff_batch_jobs", "job", "batch", "instance", inst);
        if (up) round.add(new Sample(l, ts, s % 7 + random.nextInt(3), null));
        else if (marker) round.add(new Sample(l, ts, Double.longBitsToDouble(STALE_NAN_BITS), null));
    }

    /** Scrape {@code s} of a target at {@code offset}: a jitter of up to ±300 ms, never a whole second. */
    private long timestamp(int s, long offset) {
        long t = t0 + s * SCRAPE_INTERVAL_MS + offset + random.nextInt(601) - 300;
        return t % 1000 == 0 ? t + 1 : t;
    }

    /** A native histogram being observed into: exponential buckets of {@code schema}, zero bucket, negatives. */
    private static final class NativeHistogramState {
        private static final double ZERO_THRESHOLD = 0.001;
        private final int schema;
        private TreeMap<Integer, Long> positive = new TreeMap<>();
        private TreeMap<Integer, Long> negative = new TreeMap<>();
        private long zero;
        private long count;
        private double sum;

        NativeHistogramState(int schema) {
            this.schema = schema;
        }

        void reset() {
            positive = new TreeMap<>();
            negative = new TreeMap<>();
            zero = 0;
            count = 0;
            sum = 0;
        }

        void observe(Random random, int n) {
            for (int i = 0; i < n; i++) {
                double v = random.nextInt(20) == 0 ? 0 : Math.exp(random.nextGaussian() * 1.5 - 1) * (random.nextInt(10) == 0 ? -1 : 1);
                count++;
                sum += v;
                if (Math.abs(v) <= ZERO_THRESHOLD) {
                    zero++;
                    continue;
                }
                // Bucket i of schema s holds (2^((i-1)/2^s), 2^(i/2^s)].
                int index = (int) Math.ceil(Math.log(Math.abs(v)) / Math.log(2) * Math.pow(2, schema));
                (v > 0 ? positive : negative).merge(index, 1L, Long::sum);
            }
        }

        NativeHistogram snapshot() {
            return new NativeHistogram(schema, ZERO_THRESHOLD, zero, count, sum, new TreeMap<>(positive), new TreeMap<>(negative));
        }
    }
}

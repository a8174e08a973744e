package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's "samples" statistic (totalQueryableSamples and its per-step form), by its rules: an
 * instant selector counts 1 per series with a value at each step; a range selector or a range function
 * counts the points in each series' window (left-open, (t - range, t]) at each step; a subquery counts
 * the points of its own steps once, whether it is returned or consumed by a function; literals count
 * nothing. The expected figures are worked out by hand from those rules for the data below.
 */
class QueryStatsTest {
    private static final InMemoryQueryable STORE = new InMemoryQueryable();
    private static final Engine ENGINE = new Engine(STORE, QueryOptions.defaults());

    static {
        // up_a: one series; req_b: two series; a sample every 15 s from 0 to 1500 s.
        Labels up = Labels.of("__name__", "up_a");
        Labels[] req = {Labels.of("__name__", "req_b", "x", "1"), Labels.of("__name__", "req_b", "x", "2")};
        for (long t = 0; t <= 1_500_000; t += 15_000) {
            STORE.append(up, t, 1);
            for (Labels l : req) STORE.append(l, t, t / 1000.0);
            // A native histogram with one span of 3 buckets: 168 + 8 * (1 + 3) = 200 bytes in Prometheus's
            // FloatHistogram.Size(), counted as (200 + 8) / 16 = 13 samples.
            double n = t / 15_000.0;
            STORE.append(Labels.of("__name__", "h_c"), t, new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, 0, 0, 0, 3 * n, n,
                    new int[] {0}, new int[] {3}, new double[] {n, n, n}, null, null, null, null));
        }
    }

    static Stream<Arguments> instant() {
        return Stream.of(
                Arguments.of("\"s\"", 300, 0),
                Arguments.of("7", 300, 0),
                Arguments.of("up_a", 300, 1),
                Arguments.of("req_b", 300, 2),
                Arguments.of("req_b{x=\"1\"}", 300, 1),
                Arguments.of("timestamp(up_a)", 300, 1),
                Arguments.of("up_a @ 100", 300, 1),
                Arguments.of("up_a[60s]", 300, 4),                 // 255, 270, 285, 300
                Arguments.of("up_a[45s] @ 100", 300, 3),           // 60, 75, 90
                Arguments.of("up_a[60s] offset 30s", 300, 4),      // 225, 240, 255, 270
                Arguments.of("req_b[60s]", 300, 8),
                Arguments.of("rate(req_b[60s])", 300, 8),
                Arguments.of("sum by (x) (rate(req_b[60s]))", 300, 8),
                Arguments.of("up_a[60s:30s]", 300, 2),             // subquery steps 270, 300
                Arguments.of("max_over_time(req_b[60s:15s])", 300, 8), // steps 255..300, 2 series
                Arguments.of("sum(rate(req_b[60s])) + sum(up_a)", 300, 9),
                Arguments.of("h_c", 300, 13),
                Arguments.of("rate(h_c[60s])", 300, 4 * 13),
                Arguments.of("h_c[30s]", 300, 2 * 13));
    }

    @ParameterizedTest(name = "{0} at {1}s")
    @MethodSource("instant")
    void instantQueries(String q, long atSeconds, long expected) {
        QueryStats s = ENGINE.instantQuery(q, atSeconds * 1000).stats();
        assertEquals(expected, s.totalQueryableSamples(), q);
        assertArrayEquals(new long[] {expected}, s.totalQueryableSamplesPerStep(), q);
        assertEquals(atSeconds * 1000, s.firstStepMs());
    }

    static Stream<Arguments> range() {
        long[] three = {300, 330, 15};
        return Stream.of(
                Arguments.of("req_b", three, new long[] {2, 2, 2}),
                Arguments.of("rate(req_b[60s])", three, new long[] {8, 8, 8}),
                Arguments.of("max_over_time(up_a[30s])", three, new long[] {2, 2, 2}),
                Arguments.of("up_a offset 15s", three, new long[] {1, 1, 1}),
                Arguments.of("sum(max_over_time(req_b[60s:15s])) + sum(up_a)", three, new long[] {9, 9, 9}),
                // the data ends at 1500 s: windows (1455, 1500], (1470, 1515], (1485, 1530] hold 3, 2, 1 points
                Arguments.of("count_over_time(up_a[45s])", new long[] {1500, 1530, 15}, new long[] {3, 2, 1}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("range")
    void rangeQueries(String q, long[] startEndStepSeconds, long[] perStep) {
        long start = startEndStepSeconds[0] * 1000, end = startEndStepSeconds[1] * 1000, step = startEndStepSeconds[2] * 1000;
        QueryStats s = ENGINE.rangeQuery(q, start, end, step).stats();
        assertArrayEquals(perStep, s.totalQueryableSamplesPerStep(), q);
        assertEquals(Arrays.stream(perStep).sum(), s.totalQueryableSamples(), q);
        assertEquals(start, s.firstStepMs());
        assertEquals(step, s.stepMs());
    }

    /**
     * A range function counts every window's points (a sample once per step that loads it), while the
     * engine's own samplesScanned counts each stored sample once: for regular series the ratio is the
     * window's point count. Random series counts, scrape and step intervals; the seed is printed.
     */
    @Test
    void windowCountsVersusDecodedSamples() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        InMemoryQueryable store = new InMemoryQueryable();
        int series = 1 + rnd.nextInt(20);
        long scrape = 1000L * (1 + rnd.nextInt(30));
        long horizon = 3_600_000;
        for (int s = 0; s < series; s++) {
            Labels l = Labels.of("__name__", "c_total", "i", Integer.toString(s));
            for (long t = 0; t <= horizon; t += scrape) store.append(l, t, t / 1000.0);
        }
        Engine engine = new Engine(store, QueryOptions.defaults());
        long range = 300_000, step = 1000L * (1 + rnd.nextInt(60)), start = range, end = horizon;
        QueryStats st = engine.rangeQuery("sum(rate(c_total[5m]))", start, end, step).stats();
        long expected = 0;
        for (long t = start; t <= end; t += step) {
            // points with t - range < p <= t, p a multiple of scrape in [0, horizon]
            long first = Math.floorDiv(t - range, scrape) + 1, last = Math.floorDiv(Math.min(t, horizon), scrape);
            expected += series * Math.max(0, last - Math.max(first, 0) + 1);
        }
        String msg = "seed=" + seed + " series=" + series + " scrape=" + scrape + " step=" + step;
        assertEquals(expected, st.totalQueryableSamples(), msg);
        // Decoded: the samples in (start - range, last step], each once.
        long lastStep = start + (end - start) / step * step;
        assertEquals(series * (Math.floorDiv(Math.min(lastStep, horizon), scrape) - Math.floorDiv(start - range, scrape)),
                st.samplesScanned(), msg);
    }
}

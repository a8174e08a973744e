package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.Labels;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's "samples" statistic (totalQueryableSamples and its per-step form). The expected figures
 * are the ones Prometheus's own engine reports for these queries over this data (its
 * TestQueryStatistics cases, float series only), so the counts are comparable with Prometheus's.
 */
class QueryStatsTest {
    private static final InMemoryQueryable STORE = new InMemoryQueryable();
    private static final Engine ENGINE = new Engine(STORE, QueryOptions.defaults());

    static {
        // load 10s: metricWith1SampleEvery10Seconds 1+1x100, metricWith3SampleEvery10Seconds{...} 1+1x100
        Labels one = Labels.of("__name__", "metricWith1SampleEvery10Seconds");
        Labels[] three = {
            Labels.of("__name__", "metricWith3SampleEvery10Seconds", "a", "1", "b", "1"),
            Labels.of("__name__", "metricWith3SampleEvery10Seconds", "a", "2", "b", "2"),
            Labels.of("__name__", "metricWith3SampleEvery10Seconds", "a", "3", "b", "2"),
        };
        for (int i = 0; i <= 100; i++) {
            STORE.append(one, i * 10_000L, 1 + i);
            for (Labels l : three) STORE.append(l, i * 10_000L, 1 + i);
        }
    }

    static Stream<Arguments> instant() {
        return Stream.of(
                Arguments.of("\"literal string\"", 21, 0),
                Arguments.of("1", 21, 0),
                Arguments.of("metricWith1SampleEvery10Seconds", 21, 1),
                Arguments.of("timestamp(metricWith1SampleEvery10Seconds)", 21, 1),
                Arguments.of("metricWith1SampleEvery10Seconds", 22, 1),
                Arguments.of("metricWith1SampleEvery10Seconds offset 10s", 21, 1),
                Arguments.of("metricWith1SampleEvery10Seconds @ 15", 21, 1),
                Arguments.of("metricWith3SampleEvery10Seconds{a=\"1\"}", 21, 1),
                Arguments.of("metricWith3SampleEvery10Seconds{a=\"1\"} @ 19", 21, 1),
                Arguments.of("metricWith3SampleEvery10Seconds{a=\"1\"}[20s] @ 19", 21, 2),
                Arguments.of("metricWith3SampleEvery10Seconds", 21, 3),
                Arguments.of("metricWith1SampleEvery10Seconds[60s]", 201, 6),
                Arguments.of("max_over_time(metricWith1SampleEvery10Seconds[60s])[20s:5s]", 201, 24),
                Arguments.of("max_over_time(metricWith1SampleEvery10Seconds[61s])[20s:5s]", 201, 26),
                Arguments.of("metricWith1SampleEvery10Seconds[60s] @ 30", 201, 4),
                Arguments.of("sum(max_over_time(metricWith3SampleEvery10Seconds[60s] @ 30))", 201, 12),
                Arguments.of("sum by (b) (max_over_time(metricWith3SampleEvery10Seconds[60s] @ 30))", 201, 12),
                Arguments.of("metricWith1SampleEvery10Seconds[60s] offset 10s", 201, 6),
                Arguments.of("metricWith3SampleEvery10Seconds[60s]", 201, 18),
                Arguments.of("max_over_time(metricWith1SampleEvery10Seconds[60s])", 201, 6),
                Arguments.of("absent_over_time(metricWith1SampleEvery10Seconds[60s])", 201, 6),
                Arguments.of("max_over_time(metricWith3SampleEvery10Seconds[60s])", 201, 18),
                Arguments.of("metricWith1SampleEvery10Seconds[60s:5s]", 201, 12),
                Arguments.of("metricWith1SampleEvery10Seconds[60s:5s] offset 10s", 201, 12),
                Arguments.of("max_over_time(metricWith3SampleEvery10Seconds[60s:5s])", 201, 36),
                Arguments.of("sum(max_over_time(metricWith3SampleEvery10Seconds[60s:5s]))"
                        + " + sum(max_over_time(metricWith3SampleEvery10Seconds[60s:5s]))", 201, 72));
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
        long[] four = {201, 220, 5};
        return Stream.of(
                Arguments.of("metricWith3SampleEvery10Seconds{a=\"1\"}", four, new long[] {1, 1, 1, 1}),
                Arguments.of("metricWith3SampleEvery10Seconds{a=\"1\"}", new long[] {204, 223, 5}, new long[] {1, 1, 1, 1}),
                Arguments.of("timestamp(metricWith1SampleEvery10Seconds)", four, new long[] {1, 1, 1, 1}),
                Arguments.of("max_over_time(metricWith3SampleEvery10Seconds{a=\"1\"}[10s])", new long[] {991, 1021, 10},
                        new long[] {1, 1, 0, 0}),
                Arguments.of("metricWith3SampleEvery10Seconds{a=\"1\"} offset 10s", four, new long[] {1, 1, 1, 1}),
                Arguments.of("max_over_time(metricWith3SampleEvery10Seconds[60s] @ 30)", four, new long[] {12, 12, 12, 12}),
                Arguments.of("metricWith3SampleEvery10Seconds", four, new long[] {3, 3, 3, 3}),
                Arguments.of("max_over_time(metricWith3SampleEvery10Seconds[60s])", four, new long[] {18, 18, 18, 18}),
                Arguments.of("max_over_time(metricWith3SampleEvery10Seconds[60s:5s])", four, new long[] {36, 36, 36, 36}),
                Arguments.of("max_over_time(metricWith1SampleEvery10Seconds[60s:5s])", four, new long[] {12, 12, 12, 12}),
                Arguments.of("sum by (b) (max_over_time(metricWith1SampleEvery10Seconds[60s:5s]))", four,
                        new long[] {12, 12, 12, 12}),
                Arguments.of("sum(max_over_time(metricWith3SampleEvery10Seconds[60s:5s]))"
                        + " + sum(max_over_time(metricWith3SampleEvery10Seconds[60s:5s]))", four, new long[] {72, 72, 72, 72}),
                Arguments.of("sum(max_over_time(metricWith3SampleEvery10Seconds[60s:5s]))"
                        + " + sum(max_over_time(metricWith1SampleEvery10Seconds[60s:5s]))", four, new long[] {48, 48, 48, 48}));
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

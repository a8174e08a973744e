package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code anchored} / {@code smoothed} over native histograms (Prometheus 3's extended range
 * selectors): whole histograms (buckets, not only count), reset corrections at the interpolated
 * boundaries, and the warnings that replace a result.
 */
class ExtendedHistogramRollupsTest {
    private final InMemoryQueryable store = new InMemoryQueryable();
    private final Engine engine = new Engine(store, QueryOptions.defaults());

    /** A schema-0 histogram with one bucket (0.5, 1] holding everything, sum = count. */
    private static FloatHistogram h(double count, ResetHint hint) {
        return new FloatHistogram(hint, 0, 0, 0, count, count, new int[] {0}, new int[] {1}, new double[] {count},
                null, null, null, null);
    }

    private static FloatHistogram custom(double count) {
        return new FloatHistogram(ResetHint.UNKNOWN, -53, 0, 0, count, count, new int[] {0}, new int[] {1},
                new double[] {count}, null, null, null, new double[] {5, 10});
    }

    private void series(String name, long stepMs, FloatHistogram... hs) {
        for (int i = 0; i < hs.length; i++) store.append(Labels.of("__name__", name), i * stepMs, hs[i]);
    }

    private static FloatHistogram onlyHistogram(QueryResult r) {
        List<Sample> s = ((Vector) r.value()).samples();
        assertEquals(1, s.size(), "samples: " + s);
        assertNotNull(s.get(0).histogram(), "a histogram result: " + s);
        return s.get(0).histogram();
    }

    private static void assertHistogram(double count, FloatHistogram got) {
        assertEquals(count, got.count(), 1e-9, "count of " + got);
        assertEquals(count, got.sum(), 1e-9, "sum of " + got);
        assertArrayEquals(new double[] {count}, got.positiveBuckets(), 1e-9, "buckets of " + got);
    }

    @Test
    void anchoredIncreaseAddsTheSampleBeforeEachResetOnce() {
        // 5 10 3(reset) at 30 s: right - left + 10 = 8 (not 11: the last sample is no reset of itself).
        series("a", 30_000, h(5, ResetHint.UNKNOWN), h(10, ResetHint.UNKNOWN), h(3, ResetHint.YES));
        FloatHistogram inc = onlyHistogram(engine.instantQuery("increase(a[70s] anchored)", 70_000));
        assertHistogram(8, inc);
        assertEquals(ResetHint.GAUGE, inc.resetHint());
        assertHistogram(8 / 70.0, onlyHistogram(engine.instantQuery("rate(a[70s] anchored)", 70_000)));
    }

    @Test
    void smoothedRateCorrectsAResetCrossedByTheRightBoundary() {
        // 5 10 3(reset) at 10 s, window (5s, 15s]: left 7.5, right 3 * 0.5 = 1.5, plus 10 for the reset.
        series("b", 10_000, h(5, ResetHint.UNKNOWN), h(10, ResetHint.UNKNOWN), h(3, ResetHint.YES));
        assertHistogram(0.4, onlyHistogram(engine.instantQuery("rate(b[10s] smoothed)", 15_000)));
    }

    @Test
    void smoothedBoundariesFromOneResetPairNeedNoCorrection() {
        // 10, 5(reset) at 20 s; the window (5s, 15s] is empty, both boundaries come from that pair:
        // 5 * 0.75 - 5 * 0.25 = 2.5.
        series("c", 20_000, h(10, ResetHint.UNKNOWN), h(5, ResetHint.YES));
        assertHistogram(2.5, onlyHistogram(engine.instantQuery("increase(c[10s] smoothed)", 15_000)));
    }

    @Test
    void smoothedVectorSelectorInterpolatesHistograms() {
        series("d", 15_000, h(1, ResetHint.UNKNOWN), h(2, ResetHint.UNKNOWN));
        assertHistogram(1 + 7 / 15.0, onlyHistogram(engine.instantQuery("d smoothed", 7_000)));
        assertHistogram(2, onlyHistogram(engine.instantQuery("d smoothed", 20_000)));
    }

    @Test
    void mixedExponentialAndCustomBucketsWarnAndGiveNoResult() {
        series("e", 30_000, h(1, ResetHint.UNKNOWN), custom(1), h(4, ResetHint.UNKNOWN));
        QueryResult r = engine.instantQuery("rate(e[1m] anchored)", 60_000);
        assertTrue(((Vector) r.value()).samples().isEmpty(), "no result: " + r.value());
        assertEquals(List.of("PromQL warning: vector contains a mix of histograms with exponential and custom buckets"
                + " schemas for metric name \"e\" (1:6)"), r.warnings());
        QueryResult v = engine.instantQuery("e smoothed", 45_000);
        assertTrue(((Vector) v.value()).samples().isEmpty(), "no result: " + v.value());
        assertEquals(1, v.warnings().size(), "warnings: " + v.warnings());
    }
}

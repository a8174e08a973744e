package dev.strata.query.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.strata.query.engine.SeriesPoints;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cached parts keep native histogram points: slicing and merging carry them in place. */
class RangeResultsCacheHistogramTest {
    private static FloatHistogram h(double count) {
        return new FloatHistogram(ResetHint.UNKNOWN, 0, 0, 0, count, count, new int[] {0}, new int[] {1}, new double[] {count},
                null, null, null, null);
    }

    @Test
    void sliceAndMergeKeepHistogramPoints() {
        Labels l = Labels.of("__name__", "m");
        SeriesPoints mixed = new SeriesPoints(l, new long[] {1000, 2000, 3000, 4000}, new double[] {1, 0, 3, 0},
                new FloatHistogram[] {null, h(2), null, h(4)});
        List<SeriesPoints> first = RangeResultsCache.slice(List.of(mixed), 0, 2000);
        List<SeriesPoints> second = RangeResultsCache.slice(List.of(mixed), 2001, Long.MAX_VALUE);
        assertArrayEquals(new FloatHistogram[] {null, h(2)}, first.get(0).histograms());
        SeriesPoints floats = new SeriesPoints(l, new long[] {5000}, new double[] {5});
        SeriesPoints merged = RangeResultsCache.merge(List.of(first, second, List.of(floats))).get(0);
        assertArrayEquals(new long[] {1000, 2000, 3000, 4000, 5000}, merged.timestamps());
        assertArrayEquals(new FloatHistogram[] {null, h(2), null, h(4), null}, merged.histograms());
        assertEquals(5.0, merged.values()[4]);
        SeriesPoints floatOnly = RangeResultsCache.merge(List.of(List.of(floats), List.of(new SeriesPoints(l, new long[] {6000}, new double[] {6})))).get(0);
        assertNull(floatOnly.histograms(), "float-only parts stay without a histogram array");
    }
}

package dev.strata.query.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.strata.store.SampleIterator;
import dev.strata.store.model.FloatHistogram;
import org.junit.jupiter.api.Test;

/**
 * The memstore's reader hands histogram samples to the engine through {@link SampleIterator#histogram()}
 * (the contract the data path implements on its branch), checked here with a fake iterator.
 */
class SampleBufferTest {
    private static final FloatHistogram H = new FloatHistogram(FloatHistogram.ResetHint.NO, 1, 0, 0, 3, 4,
            new int[] {1}, new int[] {2}, new double[] {1, 2}, null, null, null, null);

    /** Samples t = 0..n-1; every third one a histogram when {@code withHistograms}; its bulk read must not be used. */
    private static SampleIterator fake(int n, boolean withHistograms, boolean withStarts) {
        return new SampleIterator() {
            int i = -1;

            @Override public boolean next() { return ++i < n; }
            @Override public long timestamp() { return i; }
            @Override public double value() { return withHistograms && i % 3 == 0 ? Double.NaN : 10 + i; }
            @Override public long startTimestamp() { return withStarts ? 100 + i : 0; }
            @Override public FloatHistogram histogram() { return withHistograms && i % 3 == 0 ? H : null; }
            @Override public int next(long[] t, double[] v, long[] st, int off) {
                throw new AssertionError("the bulk read is for float-only sources");
            }
        };
    }

    @Test
    void histogramSamplesComeThroughTheAccessorMixedWithFloats() {
        SampleBuffer b = new SampleBuffer();
        assertEquals(2000, b.read(fake(2000, true, false)));
        FloatHistogram[] hs = b.histogramsOrNull();
        for (int i = 0; i < 2000; i++) {
            assertEquals(i, b.timestamps[i]);
            if (i % 3 == 0) {
                assertSame(H, hs[i]);
                assertEquals(0, b.values[i]);
            } else {
                assertNull(hs[i]);
                assertEquals(10 + i, b.values[i]);
            }
        }
        assertNull(b.startTimestampsOrNull());
    }

    @Test
    void floatOnlySeriesHaveNoHistogramArrayAndKeepStartTimestamps() {
        SampleBuffer b = new SampleBuffer();
        b.read(fake(5, true, false));
        assertEquals(3, b.read(fake(3, false, true)));
        assertNull(b.histogramsOrNull(), "a reused buffer forgets the previous series' histograms");
        assertArrayEquals(new long[] {100, 101, 102}, java.util.Arrays.copyOf(b.startTimestampsOrNull(), 3));
        assertEquals(0, b.read(fake(0, true, true)));
    }
}

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
 * and float-only sources ({@link SampleIterator#floatsOnly()}) through the bulk read, checked here with
 * fake iterators.
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

    /** A float-only source, t = 0..n-1, served 100 samples per bulk call; its per-sample read must not be used. */
    private static SampleIterator bulkFake(int n, boolean withStarts) {
        return new SampleIterator() {
            int i;

            @Override public boolean floatsOnly() { return true; }
            @Override public boolean next() { throw new AssertionError("a float-only source is read in bulk"); }
            @Override public long timestamp() { throw new AssertionError(); }
            @Override public double value() { throw new AssertionError(); }
            @Override public int next(long[] t, double[] v, long[] st, int off) {
                int k = Math.min(Math.min(100, n - i), t.length - off);
                for (int j = 0; j < k; j++, i++) {
                    t[off + j] = i;
                    v[off + j] = 10 + i;
                    if (st != null) st[off + j] = withStarts ? 100 + i : 0;
                }
                return k;
            }
        };
    }

    @Test
    void floatOnlySourcesAreReadInBulkAcrossBufferGrowth() {
        SampleBuffer b = new SampleBuffer();
        b.read(fake(7, true, false));
        assertEquals(2500, b.read(bulkFake(2500, false)));
        for (int i = 0; i < 2500; i++) {
            assertEquals(i, b.timestamps[i]);
            assertEquals(10 + i, b.values[i]);
        }
        assertNull(b.histogramsOrNull());
        assertNull(b.startTimestampsOrNull());
        assertEquals(3, b.read(bulkFake(3, true)));
        assertArrayEquals(new long[] {100, 101, 102}, java.util.Arrays.copyOf(b.startTimestampsOrNull(), 3));
    }
}

package dev.strata.query.storage;

import dev.strata.store.SampleIterator;
import dev.strata.store.model.FloatHistogram;
import java.util.Arrays;

/**
 * One series' samples read from a {@link SampleIterator} into reusable arrays, in the shape a
 * {@link SeriesVisitor} takes. A float-only source ({@link SampleIterator#floatsOnly()}, the usual
 * case) is read in bulk, a chunk at a time; a source that may hold native histograms, which the bulk
 * read does not carry, one sample at a time through {@link SampleIterator#histogram()}. Not thread
 * safe; one per select.
 */
final class SampleBuffer {
    long[] timestamps = new long[1024];
    double[] values = new double[1024];
    private long[] startTimestamps = new long[1024];
    private FloatHistogram[] histograms = new FloatHistogram[1024];
    private boolean anyStart;
    private boolean anyHistogram;

    /** Reads every sample of {@code si}; answers how many. A histogram sample's value is 0. */
    int read(SampleIterator si) {
        return si.floatsOnly() ? readFloats(si) : readMixed(si);
    }

    private int readFloats(SampleIterator si) {
        int n = 0;
        long st = 0;
        while (true) {
            if (n == timestamps.length) grow();
            int k = si.next(timestamps, values, startTimestamps, n);
            if (k == 0) break;
            for (int i = n; i < n + k; i++) st |= startTimestamps[i];
            n += k;
        }
        anyStart = st != 0;
        anyHistogram = false;
        return n;
    }

    private int readMixed(SampleIterator si) {
        int n = 0;
        long st = 0;
        boolean hist = false;
        while (si.next()) {
            if (n == timestamps.length) grow();
            timestamps[n] = si.timestamp();
            FloatHistogram h = si.histogram();
            histograms[n] = h;
            values[n] = h == null ? si.value() : 0;
            startTimestamps[n] = si.startTimestamp();
            st |= startTimestamps[n];
            hist |= h != null;
            n++;
        }
        anyStart = st != 0;
        anyHistogram = hist;
        return n;
    }

    private void grow() {
        int n = timestamps.length * 2;
        timestamps = Arrays.copyOf(timestamps, n);
        values = Arrays.copyOf(values, n);
        startTimestamps = Arrays.copyOf(startTimestamps, n);
        histograms = Arrays.copyOf(histograms, n);
    }

    /** The last read's start timestamps, or null when it had none (the usual case). */
    long[] startTimestampsOrNull() {
        return anyStart ? startTimestamps : null;
    }

    /** The last read's histograms (null entries for floats), or null when it had no histogram sample. */
    FloatHistogram[] histogramsOrNull() {
        return anyHistogram ? histograms : null;
    }
}

package dev.strata.query.storage;

import dev.strata.store.SampleIterator;
import dev.strata.store.model.FloatHistogram;
import java.util.Arrays;

/**
 * One series' samples read from a {@link SampleIterator} into reusable arrays, in the shape a
 * {@link SeriesVisitor} takes. Reads one sample at a time through {@link SampleIterator#histogram()}:
 * the iterator's bulk read is for float-only sources (its contract), and a series may switch between
 * floats and native histograms within the range. Not thread safe; one per select.
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
        int n = 0;
        long st = 0;
        boolean hist = false;
        while (si.next()) {
            if (n == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, n * 2);
                values = Arrays.copyOf(values, n * 2);
                startTimestamps = Arrays.copyOf(startTimestamps, n * 2);
                histograms = Arrays.copyOf(histograms, n * 2);
            }
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

    /** The last read's start timestamps, or null when it had none (the usual case). */
    long[] startTimestampsOrNull() {
        return anyStart ? startTimestamps : null;
    }

    /** The last read's histograms (null entries for floats), or null when it had no histogram sample. */
    FloatHistogram[] histogramsOrNull() {
        return anyHistogram ? histograms : null;
    }
}

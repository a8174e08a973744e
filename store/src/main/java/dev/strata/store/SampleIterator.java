package dev.strata.store;

/**
 * A forward-only cursor over one series' samples in ascending timestamp order, without duplicate
 * timestamps. Usage: {@code while (it.next()) { use(it.timestamp(), it.value()); }}. The accessors are
 * valid only after {@link #next()} returned true. Not thread safe: one reader per iterator.
 */
public interface SampleIterator {
    /** Advances to the next sample; false when exhausted. */
    boolean next();

    /** Milliseconds since the Unix epoch of the current sample. */
    long timestamp();

    /** The current sample's value, bit-exact as appended (NaN payloads such as the stale marker kept). */
    double value();

    /**
     * The current sample's start timestamp (ms since the epoch when its counter started from zero),
     * or 0 when unknown: the default for sources that keep none.
     */
    default long startTimestamp() {
        return 0;
    }

    /**
     * The current sample's native histogram, or null when the sample is a float one (then
     * {@link #value()} holds it). For a histogram sample {@link #value()} is unspecified. The bulk
     * {@link #next(long[], double[], long[], int)} is for float-only series: a source that holds
     * histograms serves them only through {@link #next()} and this accessor. Default: a float-only source.
     */
    default dev.strata.store.model.FloatHistogram histogram() {
        return null;
    }

    /**
     * True when every sample still to come is a float sample, so that the bulk
     * {@link #next(long[], double[], long[], int)} returns all of them; false when histograms may
     * follow (then read them through {@link #next()} and {@link #histogram()}). Answered before the
     * first {@link #next()} from what the source already knows (e.g. a histogram chunk's first byte),
     * without decoding. Default false: a source that cannot tell is read one sample at a time.
     */
    default boolean floatsOnly() {
        return false;
    }

    /**
     * Bulk form of {@link #next()}: copies the next samples into {@code timestamps[off..]} and
     * {@code values[off..]}, and their start timestamps into {@code startTimestamps[off..]} (0 when
     * unknown; skipped when that array is null), as many as the iterator has at hand and the arrays
     * have room for, and returns how many; 0 only when exhausted. The arrays must have room for at
     * least one sample. Calls may be mixed with {@link #next()}; after a bulk call the accessors are
     * unspecified until the next {@link #next()}. Implementations that decode blocks copy (or decode)
     * a whole block at a time instead of one sample per call.
     */
    default int next(long[] timestamps, double[] values, long[] startTimestamps, int off) {
        int room = Math.min(timestamps.length, values.length) - off;
        if (startTimestamps != null) room = Math.min(room, startTimestamps.length - off);
        if (room <= 0) throw new IllegalArgumentException("no room for samples at offset " + off);
        int n = 0;
        while (n < room && next()) {
            timestamps[off + n] = timestamp();
            values[off + n] = value();
            if (startTimestamps != null) startTimestamps[off + n] = startTimestamp();
            n++;
        }
        return n;
    }

    /** An iterator with no samples. */
    SampleIterator EMPTY = new SampleIterator() {
        @Override public boolean next() { return false; }
        @Override public long timestamp() { throw new IllegalStateException("empty iterator"); }
        @Override public double value() { throw new IllegalStateException("empty iterator"); }
        @Override public boolean floatsOnly() { return true; }
    };
}

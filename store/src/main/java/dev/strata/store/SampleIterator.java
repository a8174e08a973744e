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

    /** An iterator with no samples. */
    SampleIterator EMPTY = new SampleIterator() {
        @Override public boolean next() { return false; }
        @Override public long timestamp() { throw new IllegalStateException("empty iterator"); }
        @Override public double value() { throw new IllegalStateException("empty iterator"); }
    };
}

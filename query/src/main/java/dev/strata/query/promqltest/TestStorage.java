package dev.strata.query.promqltest;

import dev.strata.query.storage.Queryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;

/** The storage a script loads into: appends samples, clears, and is read by the engine. */
public interface TestStorage {
    void append(Labels labels, long tsMs, double value);

    /** Appends a sample with its start timestamp ({@code startTsMs} 0 = unknown). */
    void append(Labels labels, long tsMs, long startTsMs, double value);

    /** Appends a native histogram sample with its start timestamp ({@code startTsMs} 0 = unknown). */
    void append(Labels labels, long tsMs, long startTsMs, FloatHistogram histogram);

    void clear();

    Queryable queryable();
}

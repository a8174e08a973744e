package dev.strata.query.promqltest;

import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.query.storage.Queryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;

/** Test storage over {@link InMemoryQueryable}. */
public final class InMemoryTestStorage implements TestStorage {
    private final InMemoryQueryable q = new InMemoryQueryable();

    @Override public void append(Labels labels, long tsMs, double value) { q.append(labels, tsMs, value); }
    @Override public void append(Labels labels, long tsMs, long startTsMs, double value) { q.append(labels, tsMs, startTsMs, value); }
    @Override public void append(Labels labels, long tsMs, long startTsMs, FloatHistogram histogram) { q.append(labels, tsMs, startTsMs, histogram); }
    @Override public void clear() { q.clear(); }
    @Override public Queryable queryable() { return q; }
}

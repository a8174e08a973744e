package dev.strata.index;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@link LabelPostings} of a shard's labels, each built lazily the first time a selection names
 * the label (from a Lucene reader snapshot) and caught up with newly added series when a later
 * selection needs them. Memory is spent only on labels that selections use.
 */
final class InMemoryPostings {
    private final ConcurrentHashMap<String, LabelPostings> labels = new ConcurrentHashMap<>();
    private final SeriesTable table;
    private final LeafSeriesIds leafIds;
    private final Supplier<ReaderSnapshot> snapshots;

    /** {@code snapshots} returns an acquired snapshot covering at least every series loaded from disk. */
    InMemoryPostings(SeriesTable table, LeafSeriesIds leafIds, Supplier<ReaderSnapshot> snapshots) {
        this.table = table;
        this.leafIds = leafIds;
        this.snapshots = snapshots;
    }

    /** The postings of label {@code name}, covering at least the series with ids below {@code limit}. */
    LabelPostings covering(String name, int limit) throws IOException {
        LabelPostings lp = labels.computeIfAbsent(name, LabelPostings::new);
        if (lp.covered() >= limit) return lp;
        lp.writeLock().lock();
        try {
            if (!lp.built()) {
                ReaderSnapshot s = snapshots.get();
                try {
                    lp.buildFrom(s, leafIds);
                } finally {
                    s.release();
                }
            }
            if (lp.covered() < limit) lp.catchUp(table, limit);
            // A label no series has is not kept: selections naming arbitrary labels must not grow the
            // map without bound. (It is built again, cheaply, if a series with it arrives.)
            if (lp.isEmpty()) labels.remove(name, lp);
        } finally {
            lp.writeLock().unlock();
        }
        return lp;
    }

    /** Labels whose postings are kept. */
    int labelCount() {
        return labels.size();
    }

    /** Estimated heap bytes of the postings built so far. */
    long estimatedBytes() {
        long bytes = 0;
        for (LabelPostings lp : labels.values()) {
            lp.readLock().lock();
            try {
                bytes += lp.estimatedBytes();
            } finally {
                lp.readLock().unlock();
            }
        }
        return bytes;
    }
}

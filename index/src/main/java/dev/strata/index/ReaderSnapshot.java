package dev.strata.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;

/**
 * A point-in-time Lucene reader and the number of series ids it covers exactly: every series with
 * id below {@link #covered} is in the reader and none above it is. Series added later are matched by
 * scanning their labels in memory until the next refresh. Reference counted: holders call
 * {@link #release()} once per successful {@code tryAcquire}.
 */
final class ReaderSnapshot {
    final DirectoryReader reader;
    final IndexSearcher searcher;
    final int covered;

    ReaderSnapshot(DirectoryReader reader, int covered) {
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        // Label selections are one-off boolean queries over few fields; Lucene's query cache would
        // spend memory caching large filters (e.g. job="x") that are cheap to recompute.
        this.searcher.setQueryCache(null);
        this.covered = covered;
    }

    boolean tryAcquire() {
        return reader.tryIncRef();
    }

    void release() {
        try {
            reader.decRef();
        } catch (IOException e) {
            throw new UncheckedIOException("closing index reader", e);
        }
    }
}

package dev.strata.store.series;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Lists every series key persisted for one shard. The label index uses it to rebuild itself when its
 * directory is missing or corrupt, so a listing must return every series whose samples may be
 * referenced by durable chunks (in any order; ids are unique within a shard).
 *
 * <p>Implementations: {@link InMemorySeriesKeyListing} (tests, single-process runs); the Cassandra
 * series-key table (Durability issue).
 */
public interface SeriesKeyListing {
    /**
     * Calls {@code action} once per series key of {@code shard}. May be called from any thread; the
     * action is called on the caller's thread. I/O failures surface as {@link IOException}.
     */
    void forEach(int shard, Consumer<SeriesKey> action) throws IOException;

    /** A listing with no series (a brand-new shard, or a node without persistence). */
    static SeriesKeyListing empty() {
        return (shard, action) -> { };
    }
}

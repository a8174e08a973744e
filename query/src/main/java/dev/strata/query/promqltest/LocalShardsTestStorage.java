package dev.strata.query.promqltest;

import dev.strata.index.ShardIndex;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.query.storage.Queryable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Test storage over the real in-memory store: one {@link MemShard} plus an in-memory
 * {@link ShardIndex}, read through {@link LocalShardsQueryable}. Scripts load samples in any time
 * order across load commands, so the out-of-order window is unbounded here.
 * Native-histogram samples go into the same memstore (histogram chunks), so float, histogram and
 * mixed series are all read back through the query path the node uses.
 */
public final class LocalShardsTestStorage implements TestStorage {
    private static final MemShardOptions OPTIONS = MemShardOptions.defaults().withOutOfOrderWindowMs(Long.MAX_VALUE / 4);

    private ShardIndex index;
    private MemShard memory;
    private LocalShardsQueryable queryable;

    public LocalShardsTestStorage() {
        reset();
    }

    private void reset() {
        index = ShardIndex.inMemory(0);
        memory = new MemShard(0, OPTIONS);
        queryable = new LocalShardsQueryable(List.of(new LocalShardsQueryable.Shard(index, memory)));
    }

    @Override
    public void append(Labels labels, long tsMs, long startTsMs, FloatHistogram histogram) {
        int id = series(labels, tsMs);
        memory.append(id, tsMs, startTsMs, histogram);
        index.updateLastSampleTime(id, tsMs);
    }

    @Override
    public void append(Labels labels, long tsMs, double value) {
        append(labels, tsMs, 0, value);
    }

    @Override
    public void append(Labels labels, long tsMs, long startTsMs, double value) {
        int id = series(labels, tsMs);
        memory.append(id, tsMs, startTsMs, value);
        index.updateLastSampleTime(id, tsMs);
    }

    private int series(Labels labels, long tsMs) {
        int id = index.addSeries(labels, tsMs);
        memory.createSeries(id, labels);
        return id;
    }

    @Override
    public void clear() {
        try {
            index.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing test index", e);
        }
        reset();
    }

    /** A stable view that follows {@link #clear()}, so an engine built once keeps working. */
    @Override
    public Queryable queryable() {
        return (matchers, minT, maxT) -> queryable.select(matchers, minT, maxT);
    }
}

package dev.strata.query.promqltest;

import dev.strata.index.ShardIndex;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.query.storage.Queryable;
import dev.strata.query.storage.Series;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Test storage over the real in-memory store: one {@link MemShard} plus an in-memory
 * {@link ShardIndex}, read through {@link LocalShardsQueryable}. Scripts load samples in any time
 * order across load commands, so the out-of-order window is unbounded here.
 *
 * <p>The memstore on this branch stores float samples only (histogram chunks are built on the data
 * path's branch): a series that has a native-histogram sample is kept, floats and histograms, in an
 * {@link InMemoryQueryable} instead, and selections merge both sources in label order.
 */
public final class LocalShardsTestStorage implements TestStorage {
    private static final MemShardOptions OPTIONS = MemShardOptions.defaults().withOutOfOrderWindowMs(Long.MAX_VALUE / 4);

    private ShardIndex index;
    private MemShard memory;
    private LocalShardsQueryable queryable;
    private InMemoryQueryable histogramSeries;
    private Set<Labels> histogramLabels;

    public LocalShardsTestStorage() {
        reset();
    }

    private void reset() {
        index = ShardIndex.inMemory(0);
        memory = new MemShard(0, OPTIONS);
        queryable = new LocalShardsQueryable(List.of(new LocalShardsQueryable.Shard(index, memory)));
        histogramSeries = new InMemoryQueryable();
        histogramLabels = new HashSet<>();
    }

    @Override
    public void append(Labels labels, long tsMs, long startTsMs, FloatHistogram histogram) {
        histogramLabels.add(labels);
        histogramSeries.append(labels, tsMs, startTsMs, histogram);
    }

    @Override
    public void append(Labels labels, long tsMs, double value) {
        append(labels, tsMs, 0, value);
    }

    @Override
    public void append(Labels labels, long tsMs, long startTsMs, double value) {
        if (histogramLabels.contains(labels)) {
            histogramSeries.append(labels, tsMs, startTsMs, value);
            return;
        }
        int id = index.addSeries(labels, tsMs);
        memory.createSeries(id, labels);
        memory.append(id, tsMs, startTsMs, value);
        index.updateLastSampleTime(id, tsMs);
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
        return (matchers, minT, maxT) -> {
            List<Series> out = new ArrayList<>(queryable.select(matchers, minT, maxT));
            List<Series> hist = histogramSeries.select(matchers, minT, maxT);
            if (hist.isEmpty()) return out;
            out.addAll(hist);
            out.sort(Comparator.comparing(Series::labels));
            return out;
        };
    }
}

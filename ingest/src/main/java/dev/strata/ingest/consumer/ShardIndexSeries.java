package dev.strata.ingest.consumer;

import dev.strata.index.ShardIndex;
import dev.strata.store.model.Labels;

/** {@link SeriesIndex} over the shard's Lucene label index. */
public final class ShardIndexSeries implements SeriesIndex {
    private final ShardIndex index;

    public ShardIndexSeries(ShardIndex index) {
        this.index = index;
    }

    @Override
    public int seriesId(Labels labels) {
        return index.seriesId(labels);
    }

    @Override
    public int addSeries(Labels labels, long firstSampleMs) {
        return index.addSeries(labels, firstSampleMs);
    }

    @Override
    public void updateLastSampleTime(int seriesId, long lastSampleMs) {
        index.updateLastSampleTime(seriesId, lastSampleMs);
    }
}

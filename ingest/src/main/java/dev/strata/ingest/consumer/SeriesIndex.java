package dev.strata.ingest.consumer;

import dev.strata.store.model.Labels;

/**
 * What a shard consumer needs from the shard's label index ({@code dev.strata.index.ShardIndex},
 * which has exactly these methods). Called from the shard's consumer thread.
 */
public interface SeriesIndex {
    /** The id of the series with exactly these labels, or -1. */
    int seriesId(Labels labels);

    /** Adds the series if new and returns its id (dense ids). */
    int addSeries(Labels labels, long firstSampleMs);

    /** Raises the series' last sample time (never lowers it). */
    void updateLastSampleTime(int seriesId, long lastSampleMs);
}

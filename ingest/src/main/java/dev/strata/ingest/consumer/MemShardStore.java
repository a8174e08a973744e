package dev.strata.ingest.consumer;

import dev.strata.store.memstore.AppendResult;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.model.Labels;

/** {@link ShardStore} over the in-memory shard; rejection reasons are the snake_case names of {@link AppendResult}. */
public final class MemShardStore implements ShardStore {
    private final MemShard shard;

    public MemShardStore(MemShard shard) {
        this.shard = shard;
    }

    @Override
    public boolean hasSeries(int seriesId) {
        return shard.hasSeries(seriesId);
    }

    @Override
    public void createSeries(int seriesId, Labels labels) {
        shard.createSeries(seriesId, labels);
    }

    @Override
    public String append(int seriesId, long timestampMs, double value) {
        return switch (shard.append(seriesId, timestampMs, value)) {
            case APPENDED -> null;
            case DUPLICATE -> "duplicate";
            case OUT_OF_ORDER_TOO_OLD -> "out_of_order_too_old";
            case CONFLICT -> "conflict";
            case UNKNOWN_SERIES -> "unknown_series";
        };
    }

    @Override
    public boolean needsBackpressure() {
        return shard.needsBackpressure();
    }

    @Override
    public int seriesCount() {
        return shard.seriesCount();
    }
}

package dev.strata.ingest.consumer;

import dev.strata.store.memstore.AppendResult;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.model.Labels;

/** {@link ShardStore} over a {@link MemShard}: maps append outcomes to constant reason names. */
public final class MemShardStore implements ShardStore {
    private final MemShard shard;

    public MemShardStore(MemShard shard) {
        this.shard = shard;
    }

    @Override public boolean hasSeries(int seriesId) { return shard.hasSeries(seriesId); }
    @Override public void createSeries(int seriesId, Labels labels) { shard.createSeries(seriesId, labels); }
    @Override public boolean needsBackpressure() { return shard.needsBackpressure(); }
    @Override public int seriesCount() { return shard.seriesCount(); }

    @Override
    public String append(int seriesId, long timestampMs, double value) {
        AppendResult r = shard.append(seriesId, timestampMs, value);
        return switch (r) {
            case APPENDED -> null;
            case DUPLICATE -> "duplicate";
            case CONFLICT -> "conflict";
            case OUT_OF_ORDER_TOO_OLD -> "out_of_order_too_old";
            case UNKNOWN_SERIES -> "unknown_series";
        };
    }
}

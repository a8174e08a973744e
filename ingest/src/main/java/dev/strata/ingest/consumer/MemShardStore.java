package dev.strata.ingest.consumer;

import dev.strata.store.memstore.AppendResult;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.Locale;

/** {@link ShardStore} over the real in-memory shard; rejection reasons are AppendResult names in snake_case. */
public final class MemShardStore implements ShardStore {
    private static final String[] REASONS = new String[AppendResult.values().length];

    static {
        for (AppendResult r : AppendResult.values()) {
            REASONS[r.ordinal()] = r == AppendResult.APPENDED ? null
                    : r == AppendResult.UNKNOWN_SERIES ? UNKNOWN_SERIES : r.name().toLowerCase(Locale.ROOT);
        }
    }

    private final MemShard shard;

    public MemShardStore(MemShard shard) {
        this.shard = shard;
    }

    public MemShard memShard() {
        return shard;
    }

    @Override public boolean hasSeries(int seriesId) { return shard.hasSeries(seriesId); }
    @Override public void createSeries(int seriesId, Labels labels) { shard.createSeries(seriesId, labels); }
    @Override public void createNewSeries(int seriesId, Labels labels) { shard.createSeries(seriesId, labels, true); }
    @Override public void storedElsewhere(int seriesId) { shard.markStoredElsewhere(seriesId); }
    @Override public String append(int seriesId, long ts, double v) { return REASONS[shard.append(seriesId, ts, v).ordinal()]; }
    @Override public String append(int seriesId, long ts, long st, double v) { return REASONS[shard.append(seriesId, ts, st, v).ordinal()]; }
    @Override public String appendHistogram(int seriesId, long ts, long st, FloatHistogram h) {
        return REASONS[shard.append(seriesId, ts, st, h).ordinal()];
    }
    @Override public void prefetch(int[] seriesIds, int n) { shard.prefetch(seriesIds, n); }
    @Override public void observeTimestamp(long ts) { shard.observeTimestamp(ts); }
    @Override public boolean needsBackpressure() { return shard.needsBackpressure(); }
    @Override public boolean needsBackpressure(long appliedOffset) { return shard.needsBackpressure(appliedOffset); }
    @Override public int seriesCount() { return shard.seriesCount(); }
    @Override public long memoryUsedBytes() { return shard.usedBytes(); }
    @Override public long memoryBudgetBytes() { return shard.options().memoryBudgetBytes(); }
    @Override public long earlyCuts() { return shard.earlyCutCount(); }
}

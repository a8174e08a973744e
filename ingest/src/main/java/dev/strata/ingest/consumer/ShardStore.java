package dev.strata.ingest.consumer;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;

/**
 * What a shard consumer needs from the in-memory shard ({@code dev.strata.store.memstore.MemShard});
 * an adapter over MemShard implements it. Called from the shard's consumer thread only.
 */
public interface ShardStore {
    /**
     * The reason {@link #append} returns when the id is not (or no longer: evicted while idle) in the
     * store; the consumer then re-creates the series and retries once. Compare by identity.
     */
    String UNKNOWN_SERIES = "unknown_series";

    boolean hasSeries(int seriesId);

    void createSeries(int seriesId, Labels labels);

    /**
     * As {@link #createSeries}, for a series the label index has just added: no sample of it can be
     * in storage yet, so the store may answer reads of it from memory alone (MemShard.holdsEverySample).
     * Default: {@link #createSeries}.
     */
    default void createNewSeries(int seriesId, Labels labels) {
        createSeries(seriesId, labels);
    }

    /** A replay skipped samples of the series as already durable: storage holds some that memory does not. Default: nothing. */
    default void storedElsewhere(int seriesId) {}

    /**
     * Appends one sample. Returns {@code null} when stored, else the reason it was not stored as a
     * constant snake_case name ("duplicate", "out_of_order_too_old", "conflict", ...): implementations
     * must return constants (no allocation per sample).
     */
    String append(int seriesId, long timestampMs, double value);

    /**
     * Appends one sample with its start timestamp (0 = unknown). Stores that keep no start
     * timestamps store the sample alone.
     */
    default String append(int seriesId, long timestampMs, long startTimestampMs, double value) {
        return append(seriesId, timestampMs, value);
    }

    /**
     * Appends one native histogram sample with its start timestamp (0 = unknown); same outcomes as
     * {@link #append(int, long, double)}. Default, for stores without histograms (benchmark and test
     * stand-ins; the node's MemShardStore holds them): rejected, so the consumer counts it.
     */
    default String appendHistogram(int seriesId, long timestampMs, long startTimestampMs, FloatHistogram histogram) {
        return "histograms_not_stored";
    }

    /**
     * A replay skipped samples (already durable) up to {@code timestampMs}: the store advances its
     * data time as if it had seen them, so time-driven steps (MemShard's late-seal sweep) happen at
     * the same point of the log as in the original run. Default: nothing to advance.
     */
    default void observeTimestamp(long timestampMs) {}

    /**
     * Read-ahead hint: the next appends go to the first {@code n} of these series ids (-1 = unknown,
     * ignore); the store may warm its CPU caches for them. Must not change anything observable.
     * Default: nothing.
     */
    default void prefetch(int[] seriesIds, int n) {}

    /** True when the shard wants ingestion to pause (memory pressure); the consumer pauses its partition. */
    boolean needsBackpressure();

    /**
     * As {@link #needsBackpressure()}, told the offset of the last record whose samples are all
     * applied, so that a store over its budget may cut its write buffers early at that offset
     * (MemShard.needsBackpressure(long)). Default: {@link #needsBackpressure()}.
     */
    default boolean needsBackpressure(long appliedOffset) {
        return needsBackpressure();
    }

    int seriesCount();

    /** Bytes the shard accounts against its memory budget (shown per shard in the status); 0 if it keeps no budget. */
    default long memoryUsedBytes() {
        return 0;
    }

    /** Early cuts of the write buffers since start (see MemShard.cutEarly); 0 if the store never cuts early. */
    default long earlyCuts() {
        return 0;
    }

    /** The shard's memory budget in bytes; 0 if it keeps none. */
    default long memoryBudgetBytes() {
        return 0;
    }
}

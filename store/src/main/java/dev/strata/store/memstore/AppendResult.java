package dev.strata.store.memstore;

/** What {@link MemShard#append} did with a sample. Only {@link #APPENDED} changes the shard. */
public enum AppendResult {
    /** Stored (in order or merged out of order). */
    APPENDED,
    /** Same timestamp and bit-identical value already stored: ignored, so replays are idempotent. */
    DUPLICATE,
    /**
     * Older than the out-of-order window ({@code t < maxT - outOfOrderWindowMs}) or not after the
     * series' last sealed sample: rejected.
     */
    OUT_OF_ORDER_TOO_OLD,
    /** Same timestamp, different value: the first write wins, the new value is rejected and counted. */
    CONFLICT,
    /** The series id was never created (or its idle series was evicted): create it first. */
    UNKNOWN_SERIES,
    /**
     * At or before the series' persisted watermark (see {@link MemShard#restorePersistedUpTo}): a
     * replay of data already in storage, ignored.
     */
    ALREADY_PERSISTED
}

package dev.strata.store.memstore;

/**
 * Configuration of one in-memory shard.
 *
 * @param chunkDurationMs     chunks never span a multiple of this (windows aligned to the epoch), so
 *                            a replay or a replica cuts identical chunks; 2h holds 480 samples at 15 s
 * @param maxSamplesPerChunk  a window with more samples is cut into consecutive chunks of this many
 * @param outOfOrderWindowMs  a sample is accepted if {@code t >= maxT - window} (maxT: the series'
 *                            newest timestamp); 0 accepts only in-order samples
 * @param lateSealGraceMs     once the shard's newest timestamp passes a window's end by
 *                            outOfOrderWindow + this grace, every series' samples in that window are
 *                            sealed (series that went quiet get their last chunk cut too)
 * @param memoryBudgetBytes   the shard's budget for series, write buffers and chunks (see {@link MemShard})
 * @param idleSeriesMs        a series whose newest sample is this much older than the shard's newest
 *                            and that holds only persisted data may be evicted entirely
 */
public record MemShardOptions(long chunkDurationMs, int maxSamplesPerChunk, long outOfOrderWindowMs,
                              long lateSealGraceMs, long memoryBudgetBytes, long idleSeriesMs) {

    public static final long HOUR_MS = 3_600_000L;

    // Defaults, declared once: the node's configuration keys (store.*) take their defaults from these.
    public static final long DEFAULT_CHUNK_DURATION_MS = 2 * HOUR_MS;
    public static final int DEFAULT_MAX_SAMPLES_PER_CHUNK = 480;
    public static final long DEFAULT_OUT_OF_ORDER_WINDOW_MS = 600_000L;
    public static final long DEFAULT_MEMORY_BUDGET_BYTES = 256L << 20;
    /** Not a setting: how long after its window ends a write buffer stays open; equal to the default out-of-order window so late samples of that age still land in their chunk. */
    public static final long LATE_SEAL_GRACE_MS = 600_000L;
    /** Not a setting: a series without samples for this long (longer than a chunk) may leave memory once persisted. */
    public static final long IDLE_SERIES_MS = 3 * HOUR_MS;

    public MemShardOptions {
        if (chunkDurationMs <= 0) throw new IllegalArgumentException("chunkDurationMs must be > 0: " + chunkDurationMs);
        if (maxSamplesPerChunk < 1 || maxSamplesPerChunk > 1 << 20) throw new IllegalArgumentException("maxSamplesPerChunk must be in [1, 2^20]: " + maxSamplesPerChunk);
        if (outOfOrderWindowMs < 0) throw new IllegalArgumentException("outOfOrderWindowMs must be >= 0: " + outOfOrderWindowMs);
        if (lateSealGraceMs < 0) throw new IllegalArgumentException("lateSealGraceMs must be >= 0: " + lateSealGraceMs);
        if (memoryBudgetBytes <= 0) throw new IllegalArgumentException("memoryBudgetBytes must be > 0: " + memoryBudgetBytes);
        if (idleSeriesMs <= 0) throw new IllegalArgumentException("idleSeriesMs must be > 0: " + idleSeriesMs);
    }

    /** 2h chunks, at most 480 samples each, 10 min out-of-order window, 10 min grace, 1 GiB, 3h idle. */
    public static MemShardOptions defaults() {
        return new MemShardOptions(DEFAULT_CHUNK_DURATION_MS, DEFAULT_MAX_SAMPLES_PER_CHUNK, DEFAULT_OUT_OF_ORDER_WINDOW_MS,
                LATE_SEAL_GRACE_MS, DEFAULT_MEMORY_BUDGET_BYTES, IDLE_SERIES_MS);
    }

    public MemShardOptions withMemoryBudgetBytes(long bytes) {
        return new MemShardOptions(chunkDurationMs, maxSamplesPerChunk, outOfOrderWindowMs, lateSealGraceMs, bytes, idleSeriesMs);
    }

    public MemShardOptions withOutOfOrderWindowMs(long ms) {
        return new MemShardOptions(chunkDurationMs, maxSamplesPerChunk, ms, lateSealGraceMs, memoryBudgetBytes, idleSeriesMs);
    }

    public MemShardOptions withChunking(long durationMs, int maxSamples) {
        return new MemShardOptions(durationMs, maxSamples, outOfOrderWindowMs, lateSealGraceMs, memoryBudgetBytes, idleSeriesMs);
    }

    public MemShardOptions withIdleSeriesMs(long ms) {
        return new MemShardOptions(chunkDurationMs, maxSamplesPerChunk, outOfOrderWindowMs, lateSealGraceMs, memoryBudgetBytes, ms);
    }

    /** Start of the window holding {@code t} (floor to a multiple of chunkDurationMs, also for t < 0). */
    public long windowStart(long t) {
        return Math.floorDiv(t, chunkDurationMs) * chunkDurationMs;
    }
}

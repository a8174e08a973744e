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
        return new MemShardOptions(2 * HOUR_MS, 480, 600_000L, 600_000L, 1L << 30, 3 * HOUR_MS);
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

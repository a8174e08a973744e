package dev.strata.index;

/**
 * Tuning of a {@link ShardIndex}.
 *
 * @param ramBufferMb        Lucene's in-memory indexing buffer before it flushes a segment
 * @param maxPendingScan     series added since the last reader refresh that reads match by scanning
 *                           their labels in memory; beyond this many, a read refreshes the reader first
 * @param verifyChecksumsOnOpen verify the checksums of every index file when opening (reads the
 *                           whole index once; a mismatch triggers a rebuild instead of failing later)
 * @param rebuildThreads     threads adding Lucene documents when rebuilding from the series-key listing
 * @param indexBatchSize     new series handed to the background indexer thread at a time
 * @param maxQueuedBatches   full batches that may wait for the indexer before {@code addSeries}
 *                           blocks (bounds the series not yet in Lucene to about
 *                           {@code (maxQueuedBatches + 1) * indexBatchSize})
 */
public record ShardIndexOptions(double ramBufferMb, int maxPendingScan, boolean verifyChecksumsOnOpen,
                                int rebuildThreads, int indexBatchSize, int maxQueuedBatches) {
    public ShardIndexOptions {
        if (indexBatchSize < 1) throw new IllegalArgumentException("indexBatchSize must be >= 1, got " + indexBatchSize);
        if (maxQueuedBatches < 1) throw new IllegalArgumentException("maxQueuedBatches must be >= 1, got " + maxQueuedBatches);
        if (!(ramBufferMb >= 1)) throw new IllegalArgumentException("ramBufferMb must be >= 1, got " + ramBufferMb);
        if (rebuildThreads < 1) throw new IllegalArgumentException("rebuildThreads must be >= 1, got " + rebuildThreads);
        if (maxPendingScan < 0) throw new IllegalArgumentException("maxPendingScan must be >= 0, got " + maxPendingScan);
    }

    /** Options with the default background indexer queue (batches of 256, at most 64 queued). */
    public ShardIndexOptions(double ramBufferMb, int maxPendingScan, boolean verifyChecksumsOnOpen, int rebuildThreads) {
        this(ramBufferMb, maxPendingScan, verifyChecksumsOnOpen, rebuildThreads, 256, 64);
    }

    public static ShardIndexOptions defaults() {
        return new ShardIndexOptions(64, 2048, true, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
                256, 64);
    }

    /** These options with the background indexer's batch size and queue bound replaced. */
    public ShardIndexOptions withIndexQueue(int batchSize, int maxBatches) {
        return new ShardIndexOptions(ramBufferMb, maxPendingScan, verifyChecksumsOnOpen, rebuildThreads, batchSize, maxBatches);
    }
}

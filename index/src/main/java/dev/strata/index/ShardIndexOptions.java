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
 */
public record ShardIndexOptions(double ramBufferMb, int maxPendingScan, boolean verifyChecksumsOnOpen,
                                int rebuildThreads) {
    public ShardIndexOptions {
        if (!(ramBufferMb >= 1)) throw new IllegalArgumentException("ramBufferMb must be >= 1, got " + ramBufferMb);
        if (rebuildThreads < 1) throw new IllegalArgumentException("rebuildThreads must be >= 1, got " + rebuildThreads);
        if (maxPendingScan < 0) throw new IllegalArgumentException("maxPendingScan must be >= 0, got " + maxPendingScan);
    }

    public static ShardIndexOptions defaults() {
        return new ShardIndexOptions(64, 2048, true, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }
}

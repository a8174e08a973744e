package dev.strata.store.memstore;

import java.util.Arrays;

/**
 * Frees memory in a shard that is over budget, never touching unpersisted data: first idle series
 * that hold only persisted data (removed entirely), then persisted chunks oldest first (per series
 * always a prefix, so a series' in-memory data stays one contiguous, newest time range).
 */
final class Evictor {
    private Evictor() {}

    /** Frees until {@code shard.usedBytes() <= target} or nothing evictable is left. Writer thread only. */
    static void evict(MemShard shard, long target) {
        SeriesState[] all = shard.seriesArray();
        long idleBefore = shard.maxDataTimestamp() - shard.options().idleSeriesMs();
        for (SeriesState s : all) {
            if (shard.usedBytes() <= target) return;
            if (s == null || s.lastActivityT() == Long.MIN_VALUE || s.lastActivityT() >= idleBefore) continue;
            synchronized (s) {
                if (!s.fullyPersisted()) continue;
            }
            shard.removeIdleSeries(s);
        }
        if (shard.usedBytes() <= target) return;
        // Persisted chunks by age: find the cutoff that frees enough, then evict prefixes up to it.
        int n = 0;
        for (SeriesState s : all) if (s != null) n += s.chunks.length;
        long[] maxTs = new long[n];
        int k = 0;
        for (SeriesState s : all) {
            if (s == null) continue;
            for (SealedChunk c : s.chunks) {
                if (!c.persisted()) continue;
                maxTs[k] = c.maxT();
                k++;
            }
        }
        maxTs = Arrays.copyOf(maxTs, k);
        Arrays.sort(maxTs);
        long need = shard.usedBytes() - target;
        long avgChunk = Math.max(1, estimateChunkBytes(all));
        int idx = (int) Math.min(k - 1, need / avgChunk);
        if (k == 0) return;
        for (long cutoff : new long[] {maxTs[Math.max(0, idx)], Long.MAX_VALUE}) {
            for (SeriesState s : all) {
                if (s == null) continue;
                long freed;
                synchronized (s) {
                    freed = s.evictPersistedPrefix(cutoff);
                }
                shard.release(freed);
                if (shard.usedBytes() <= target) return;
            }
        }
    }

    private static long estimateChunkBytes(SeriesState[] all) {
        long bytes = 0, count = 0;
        for (SeriesState s : all) {
            if (s == null) continue;
            for (SealedChunk c : s.chunks) {
                bytes += c.heapBytes();
                count++;
            }
            if (count > 10_000) break;
        }
        return count == 0 ? 1 : bytes / count;
    }
}

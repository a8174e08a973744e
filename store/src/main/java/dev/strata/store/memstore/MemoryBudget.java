package dev.strata.store.memstore;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A shard's memory accounting against {@code memoryBudgetBytes}: series overhead, write buffers and
 * chunk bytes (charged by the series as they grow), plus {@link MemShard.Reclaimable} memory held for
 * the shard (paged-in chunks). Over budget, {@link #maybeEvict} frees down to 90%: reclaimable memory
 * first, then idle series and persisted chunks ({@link Evictor}). Unpersisted data is never dropped.
 */
final class MemoryBudget {
    private final MemShardOptions options;
    /** Bytes accounted against the budget; the series charge and release it directly. Any thread. */
    final AtomicLong used = new AtomicLong();
    /** Bumped whenever something may have become evictable (a chunk persisted, a retention eviction). */
    private final AtomicLong persistEvents = new AtomicLong();
    private long lastEvictPersistEvents = -1;
    private long lastEvictDataT = Long.MIN_VALUE;
    private volatile MemShard.Reclaimable reclaimable;

    MemoryBudget(MemShardOptions options) {
        this.options = options;
    }

    long used() {
        return used.get();
    }

    boolean over() {
        return used.get() > options.memoryBudgetBytes();
    }

    void release(long bytes) {
        if (bytes != 0) used.addAndGet(-bytes);
    }

    /** Something may have become evictable. Any thread. */
    void persistEvent() {
        persistEvents.incrementAndGet();
    }

    void setReclaimable(MemShard.Reclaimable r) {
        this.reclaimable = r;
    }

    /** See {@link MemShard#reserve}: charges only what leaves usage at or under 90% of the budget. Any thread. */
    boolean reserve(long bytes) {
        long limit = options.memoryBudgetBytes() / 10 * 9;
        while (true) {
            long u = used.get();
            if (u + bytes > limit) return false;
            if (used.compareAndSet(u, u + bytes)) return true;
        }
    }

    /**
     * Evicts down to 90% of the budget: reclaimable memory first, then (skipped if the last attempt
     * ran out of evictable data and nothing could have become evictable since) idle series and
     * persisted chunks. Writer thread only.
     */
    void maybeEvict(MemShard shard) {
        MemShard.Reclaimable r = reclaimable;
        long target = options.memoryBudgetBytes() / 10 * 9;
        if (r != null && used.get() > target) {
            r.reclaim(used.get() - target);
            if (used.get() <= options.memoryBudgetBytes()) return;
        }
        long events = persistEvents.get();
        long maxDataT = shard.maxDataTimestamp();
        boolean idleMayHaveChanged = maxDataT - lastEvictDataT >= options.idleSeriesMs() / 16;
        if (events == lastEvictPersistEvents && !idleMayHaveChanged) return;
        Evictor.evict(shard, target);
        // Skip the next attempts only if this one ran out of things to evict: one that reached its
        // target may have left evictable chunks, which the next time over the budget must find.
        lastEvictPersistEvents = used.get() > target ? events : -1;
        lastEvictDataT = maxDataT;
    }
}

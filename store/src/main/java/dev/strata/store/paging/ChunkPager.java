package dev.strata.store.paging;

import dev.strata.store.MergedSampleIterator;
import dev.strata.store.SampleIterator;
import dev.strata.store.cassandra.ChunkRow;
import dev.strata.store.encoding.ChunkReader;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.model.Labels;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * On-demand paging for one shard: reads a series over a range, taking what memory holds from the
 * {@link MemShard} and what is older than that from storage, merged without duplicate timestamps.
 *
 * <p>When storage is read: never for a series memory holds whole ({@link MemShard#holdsEverySample}:
 * created new on this node, nothing of it evicted or skipped by a replay), so the first query after a
 * load costs no storage round trip per series. Otherwise memory holds one contiguous, newest time
 * range per series (eviction drops oldest persisted chunks; a replay re-creates only samples after
 * the checkpoints). Storage is
 * read for [max(minT, firstSampleMs - outOfOrderWindow), min(maxT, firstInMemory + outOfOrderWindow)]
 * when the range starts before the oldest sample in memory and the series may have older samples
 * ({@code firstSampleMs}, the first to arrive, from the label index; out-of-order samples may be up
 * to one out-of-order window older). The overlap of one out-of-order window covers samples stored before a restart
 * that are newer than the first sample replayed into memory.
 *
 * <p>Limits: at most {@code maxConcurrentReads} storage reads run at once per pager (others queue,
 * FIFO); each query passes a {@link PageBudget}. Failures and timeouts fail the read
 * ({@link StorageReadException}), never return partial data. Paged chunks are kept in a
 * {@link PagedChunkCache} of at most {@code cacheBytes} within the shard's memory budget, so repeated
 * queries over the same old range read storage once. Thread safe.
 */
public final class ChunkPager {
    private final int shard;
    private final MemShard memory;
    private final ChunkSource source;
    private final Duration timeout;
    private final int maxConcurrentReads;
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    private int running;
    private final ThreadLocal<ChunkReader> readers = ThreadLocal.withInitial(ChunkReader::new);
    private final PagedChunkCache cache;

    /**
     * @param cacheBytes most memory kept for paged chunks (0: none kept); also bounded by the
     *                   shard's memory budget, and the first memory given back when it runs short
     */
    /**
     * Cassandra reads of one shard's pager in flight at once: enough to hide a read's latency behind the
     * others for a query that pages many series, few enough that one query does not flood the driver.
     */
    public static final int CONCURRENT_READS = 8;

    public ChunkPager(int shard, MemShard memory, ChunkSource source, int maxConcurrentReads, Duration timeout, long cacheBytes) {
        if (maxConcurrentReads < 1) throw new IllegalArgumentException("maxConcurrentReads must be >= 1: " + maxConcurrentReads);
        this.shard = shard;
        this.memory = memory;
        this.source = source;
        this.maxConcurrentReads = maxConcurrentReads;
        this.timeout = timeout;
        this.cache = new PagedChunkCache(memory, cacheBytes);
    }

    /**
     * Samples of the series in [minT, maxT] (inclusive), from memory and, when needed, storage.
     * Blocks while storage is read.
     *
     * @param seriesId      the series' dense id in this shard
     * @param labels        its labels (their hash keys the stored chunks)
     * @param firstSampleMs its first sample time as the label index knows it (Long.MIN_VALUE if unknown)
     * @throws PagingLimitException when the query's budget is exceeded
     * @throws StorageReadException when storage fails or times out
     */
    public SampleIterator iterator(int seriesId, Labels labels, long firstSampleMs, long minT, long maxT, PageBudget budget) {
        CompletableFuture<SampleIterator> f = iteratorAsync(seriesId, labels, firstSampleMs, minT, maxT, budget);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageReadException("interrupted while paging " + labels + " of shard " + shard, e);
        } catch (TimeoutException e) {
            throw new StorageReadException("paging " + labels + " of shard " + shard + " timed out after " + timeout, e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause(), labels);
        }
    }

    /**
     * As {@link #iterator} without blocking, so a query can page many series concurrently (still at
     * most maxConcurrentReads storage reads at a time).
     */
    public CompletableFuture<SampleIterator> iteratorAsync(int seriesId, Labels labels, long firstSampleMs, long minT, long maxT,
                                                           PageBudget budget) {
        if (minT > maxT) return CompletableFuture.completedFuture(SampleIterator.EMPTY);
        // A series memory holds whole (created new, nothing evicted or skipped since) has nothing
        // else in storage. Asked after the snapshot: an eviction racing with it either left the
        // snapshot its chunks or is seen here (both happen under the series' monitor).
        SampleIterator inMemory = memory.iterator(seriesId, minT, maxT);
        if (memory.holdsEverySample(seriesId)) return CompletableFuture.completedFuture(inMemory);
        long firstInMemory = memory.firstInMemoryTimestamp(seriesId);
        long overlap = memory.options().outOfOrderWindowMs();
        // The index's first sample time is the first to arrive; a later out-of-order sample may be up
        // to one out-of-order window older, so that is the lower bound of the series' data.
        long oldest = firstSampleMs == Long.MIN_VALUE ? Long.MIN_VALUE : saturatingAdd(firstSampleMs, -overlap);
        if (minT >= firstInMemory || oldest >= firstInMemory || oldest > maxT) {
            return CompletableFuture.completedFuture(inMemory);
        }
        long storageFrom = Math.max(minT, oldest);
        long storageTo = firstInMemory == Long.MAX_VALUE ? maxT : Math.min(maxT, saturatingAdd(firstInMemory, overlap));
        List<ChunkRow> cached = cache.get(seriesId, storageFrom, storageTo, firstInMemory);
        if (cached != null) {
            return CompletableFuture.completedFuture(merged(seriesId, cached, minT, maxT, storageFrom, storageTo, budget));
        }
        return limited(() -> source.read(shard, labels.hash(), storageFrom, storageTo).toCompletableFuture())
                .thenApply(rows -> {
                    cache.put(seriesId, storageFrom, storageTo, firstInMemory, rows);
                    return merged(seriesId, rows, minT, maxT, storageFrom, storageTo, budget);
                });
    }

    /** Bytes of paged chunks held in memory now. */
    public long cachedBytes() {
        return cache.bytes();
    }

    /** Reads answered from the cache of paged chunks (hits) and from storage (misses), since start. */
    public long cacheHits() {
        return cache.hits();
    }

    public long cacheMisses() {
        return cache.misses();
    }

    private SampleIterator merged(int seriesId, List<ChunkRow> rows, long minT, long maxT, long storageFrom, long storageTo,
                                  PageBudget budget) {
        long bytes = 0;
        for (ChunkRow r : rows) bytes += r.data().remaining();
        budget.charge(rows.size(), bytes);
        ChunkReader reader = readers.get();
        List<SampleIterator> sources = new ArrayList<>(rows.size() + 1);
        sources.add(memory.iterator(seriesId, minT, maxT)); // memory first: it wins ties
        for (ChunkRow r : rows) sources.add(new DecodedChunkIterator(reader, r.data(), storageFrom, storageTo));
        return MergedSampleIterator.of(sources);
    }

    private <T> CompletableFuture<T> limited(Supplier<CompletableFuture<T>> read) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            CompletableFuture<T> f;
            try {
                f = read.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((v, e) -> {
                release();
                if (e != null) result.completeExceptionally(e);
                else result.complete(v);
            });
        };
        boolean runNow;
        synchronized (queued) {
            runNow = running < maxConcurrentReads;
            if (runNow) running++;
            else queued.add(task);
        }
        if (runNow) task.run();
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (queued) {
            next = queued.poll();
            if (next == null) running--;
        }
        if (next != null) next.run();
    }

    private RuntimeException unwrap(Throwable e, Labels labels) {
        while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
        if (e instanceof PagingLimitException p) return p;
        if (e instanceof StorageReadException s) return s;
        return new StorageReadException("cannot page chunks of " + labels + " in shard " + shard + " from storage: " + e, e);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        return r;
    }
}

package dev.strata.store.memstore;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The node's record of late writes, for caches of query answers (the range-query results cache).
 *
 * <p>Contract: a cache calls {@link #guard(long)} with the newest time it may hold (or is about to
 * compute) an answer for, then reads {@link #generation()}, then reads the data, and stores the
 * answer only if the generation is still the same. Every sample a {@link MemShard} appends passes
 * through {@link #appended(long)}; one whose timestamp is at or before the guarded time is a late
 * write (an out-of-order sample, a replay, a backfill of a new series): the generation moves on and
 * the listener drops what the sample may change. The guard only rises, so a cheap volatile read is
 * all an ordinary in-order append costs.
 *
 * <p>Why this is safe: an answer at step t depends only on samples at or before t (the caches do not
 * hold queries with {@code @} or negative offsets), so a sample at ts can change only answers at
 * steps >= ts. Guard before reading data and append before checking the guard order the two sides:
 * either the query's read sees the sample, or the append sees the guard and bumps the generation
 * before the listener runs, so the store is refused or its entry is dropped afterwards.
 *
 * <p>Data can also change without an append: a shard closing (its data leaves the node's answers) or
 * opening. The node calls {@link #everything()} after each, after the change is visible to queries:
 * every cached answer is dropped and every evaluation under way is refused its store.
 */
public final class LateWrites {
    private final AtomicLong guardedUpTo = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong generation = new AtomicLong();
    private volatile LongConsumer listener = ts -> { };

    /** Raises the guarded time to at least {@code upToMs}. */
    public void guard(long upToMs) {
        guardedUpTo.accumulateAndGet(upToMs, Math::max);
    }

    public long generation() {
        return generation.get();
    }

    /** Called with the timestamp of each late write, on the appending (writer) thread. */
    public void listener(LongConsumer onLateWrite) {
        this.listener = onLateWrite;
    }

    /**
     * Whatever a query reads may have changed at any time (a shard opened or closed here): as a late
     * write at the earliest time. Call it after the change is visible to queries.
     */
    public void everything() {
        generation.incrementAndGet();
        listener.accept(Long.MIN_VALUE);
    }

    /** A sample at {@code timestampMs} was appended; writer threads, once per appended sample. */
    public void appended(long timestampMs) {
        if (timestampMs <= guardedUpTo.get()) {
            generation.incrementAndGet();
            listener.accept(timestampMs);
        }
    }
}

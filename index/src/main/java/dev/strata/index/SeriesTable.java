package dev.strata.index;

import dev.strata.store.model.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Per-series columns held in memory, indexed by series id, in pages so growth never copies data:
 * first and last sample time, the check hash, and the label set (cached; null for series loaded
 * from disk until first asked for).
 *
 * <p>Threading: one writer (under the index's write lock) sets entries and then publishes them by
 * raising {@link #limit()} (a volatile write); readers only look at ids below the limit they read.
 * Last-sample times are raised in place with opaque writes, so a reader sees a recent value, never
 * a torn one. A series id is present iff its first-sample time is not {@link #ABSENT} (ids rebuilt
 * from a listing may have gaps).
 */
final class SeriesTable {
    static final long ABSENT = Long.MIN_VALUE;
    private static final int PAGE_BITS = 13;
    private static final int PAGE = 1 << PAGE_BITS;
    private static final int MASK = PAGE - 1;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle LABELS = MethodHandles.arrayElementVarHandle(Labels[].class);

    private volatile long[][] first = new long[0][];
    private volatile long[][] last = new long[0][];
    private volatile long[][] check = new long[0][];
    private volatile Labels[][] labels = new Labels[0][];
    private volatile int limit;
    private int count;

    /** Ids below this are published (may contain gaps). */
    int limit() {
        return limit;
    }

    /** Number of present series. Writer thread only, or after a publish. */
    int count() {
        return count;
    }

    boolean present(int id) {
        return id >= 0 && id < limit && first[id >>> PAGE_BITS][id & MASK] != ABSENT;
    }

    /** Whether an entry was stored for {@code id}, published or not. */
    boolean stored(int id) {
        long[][] f = first;
        return id >= 0 && (id >>> PAGE_BITS) < f.length && f[id >>> PAGE_BITS][id & MASK] != ABSENT;
    }

    /** Writer: stores a series (not yet visible until {@link #publish}). */
    void set(int id, Labels l, long firstMs, long lastMs, long checkHash) {
        ensure(id);
        int p = id >>> PAGE_BITS, o = id & MASK;
        if (first[p][o] == ABSENT) count++;
        else throw new IllegalStateException("series id " + id + " is already present");
        first[p][o] = firstMs;
        LONGS.setOpaque(last[p], o, lastMs);
        check[p][o] = checkHash;
        labels[p][o] = l;
    }

    /** Writer: makes ids below {@code newLimit} visible to readers. */
    void publish(int newLimit) {
        if (newLimit > limit) limit = newLimit;
    }

    long first(int id) {
        return first[id >>> PAGE_BITS][id & MASK];
    }

    long last(int id) {
        return (long) LONGS.getOpaque(last[id >>> PAGE_BITS], id & MASK);
    }

    long check(int id) {
        return check[id >>> PAGE_BITS][id & MASK];
    }

    /** Raises the last-sample time (never lowers it). Single writer per id. */
    void raiseLast(int id, long ms) {
        long[] page = last[id >>> PAGE_BITS];
        if ((long) LONGS.getOpaque(page, id & MASK) < ms) LONGS.setOpaque(page, id & MASK, ms);
    }

    /** Overwrites the last-sample time (loading from disk). */
    void setLast(int id, long ms) {
        LONGS.setOpaque(last[id >>> PAGE_BITS], id & MASK, ms);
    }

    /** The cached label set, or null if not loaded yet. */
    Labels cachedLabels(int id) {
        return (Labels) LABELS.getAcquire(labels[id >>> PAGE_BITS], id & MASK);
    }

    /** Caches labels loaded from disk; racing loaders store equal values. */
    void cacheLabels(int id, Labels l) {
        LABELS.setRelease(labels[id >>> PAGE_BITS], id & MASK, l);
    }

    private void ensure(int id) {
        int p = id >>> PAGE_BITS;
        if (p < first.length) return;
        int pages = Math.max(p + 1, first.length * 2);
        long[][] nf = Arrays.copyOf(first, pages), nl = Arrays.copyOf(last, pages), nc = Arrays.copyOf(check, pages);
        Labels[][] nlab = Arrays.copyOf(labels, pages);
        for (int i = first.length; i < pages; i++) {
            nf[i] = new long[PAGE];
            Arrays.fill(nf[i], ABSENT);
            nl[i] = new long[PAGE];
            nc[i] = new long[PAGE];
            nlab[i] = new Labels[PAGE];
        }
        // Publish the inner pages before the directories (readers read directories first).
        last = nl;
        check = nc;
        labels = nlab;
        first = nf;
    }
}

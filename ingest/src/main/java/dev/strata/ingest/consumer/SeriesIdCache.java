package dev.strata.ingest.consumer;

import dev.strata.store.model.Labels;
import java.util.Arrays;

/**
 * The consumer's in-memory map from series hash to series id, with the labels of each id to confirm
 * a hit (hash collisions fall back to the index). Primitive open addressing: no boxing, no
 * allocation on lookup. Not thread safe (one per consumer thread).
 */
final class SeriesIdCache {
    /**
     * Open addressing, linear probing, two longs per slot: {@code [2i]} = hash, {@code [2i + 1]} =
     * id + 1 (0 = empty slot). One array so that a lookup touches one cache line, not one per array.
     */
    private long[] slots = new long[2 << 12];
    private int size;
    private Labels[] labelsById = new Labels[1 << 12];
    private long[] lastReported = new long[1 << 12];

    /** The cached id for {@code hash}, or -1. The caller confirms with {@link #labels(int)}. */
    int get(long hash) {
        long[] s = slots;
        int mask = (s.length >>> 1) - 1;
        for (int i = mix(hash) & mask; ; i = (i + 1) & mask) {
            long id = s[2 * i + 1];
            if (id == 0) return -1;
            if (s[2 * i] == hash) return (int) (id - 1);
        }
    }

    /**
     * Read-ahead for a batch of entries: looks up each hash ({@code ids[i]} = its cached id or -1,
     * unconfirmed) and touches the cached labels' string references that a later confirmation will
     * compare. The lookups are independent of each other, so the CPU overlaps their cache misses
     * instead of taking them one after another. No effect on the cache's contents.
     */
    void prefetch(long[] hashes, int n, int[] ids) {
        int sink = 0;
        for (int i = 0; i < n; i++) ids[i] = get(hashes[i]);
        Labels[] byId = labelsById;
        for (int i = 0; i < n; i++) {
            int id = ids[i];
            if (id < 0 || id >= byId.length) continue;
            Labels l = byId[id];
            if (l != null && l.size() > 0 && l.value(l.size() - 1) == null) sink++;
        }
        prefetchSink = sink;
    }

    /** Keeps the read-ahead's loads from being optimized away; never read. */
    @SuppressWarnings("unused")
    private int prefetchSink;

    /** Caches {@code id} for {@code hash} (first writer wins: a colliding second series stays uncached). */
    void put(long hash, int id, Labels labels) {
        if (id >= labelsById.length) {
            int n = Math.max(id + 1, labelsById.length * 2);
            labelsById = Arrays.copyOf(labelsById, n);
            int old = lastReported.length;
            lastReported = Arrays.copyOf(lastReported, n);
            Arrays.fill(lastReported, old, n, Long.MIN_VALUE);
        }
        labelsById[id] = labels;
        if (get(hash) >= 0) return;
        if ((size + 1) * 2 > slots.length >>> 1) grow();
        insert(slots, hash, id);
        size++;
    }

    Labels labels(int id) {
        return id < labelsById.length ? labelsById[id] : null;
    }

    /** True (and remembered) if {@code ts} is newer than what was last reported to the index for {@code id}. */
    boolean advanceLast(int id, long ts) {
        if (ts <= lastReported[id]) return false;
        lastReported[id] = ts;
        return true;
    }

    int size() {
        return size;
    }

    private static void insert(long[] s, long hash, int id) {
        int mask = (s.length >>> 1) - 1;
        int i = mix(hash) & mask;
        while (s[2 * i + 1] != 0) i = (i + 1) & mask;
        s[2 * i] = hash;
        s[2 * i + 1] = id + 1L;
    }

    private void grow() {
        long[] old = slots;
        long[] next = new long[old.length * 2];
        for (int i = 0; i < old.length; i += 2) if (old[i + 1] != 0) insert(next, old[i], (int) (old[i + 1] - 1));
        slots = next;
    }

    private static int mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    {
        Arrays.fill(lastReported, Long.MIN_VALUE);
    }
}

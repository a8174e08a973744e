package dev.strata.ingest.consumer;

import dev.strata.store.model.Labels;
import java.util.Arrays;

/**
 * The consumer's in-memory map from series hash to series id, with the labels of each id to confirm
 * a hit (hash collisions fall back to the index). Primitive open addressing: no boxing, no
 * allocation on lookup. Not thread safe (one per consumer thread).
 */
final class SeriesIdCache {
    private long[] keys = new long[1 << 12];
    private int[] ids = new int[1 << 12];
    private boolean[] used = new boolean[1 << 12];
    private int size;
    private Labels[] labelsById = new Labels[1 << 12];
    private long[] lastReported = new long[1 << 12];

    /** The cached id for {@code hash}, or -1. The caller confirms with {@link #labels(int)}. */
    int get(long hash) {
        int mask = keys.length - 1;
        for (int i = mix(hash) & mask; used[i]; i = (i + 1) & mask) {
            if (keys[i] == hash) return ids[i];
        }
        return -1;
    }

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
        if ((size + 1) * 2 > keys.length) grow();
        insert(hash, id);
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

    private void insert(long hash, int id) {
        int mask = keys.length - 1;
        int i = mix(hash) & mask;
        while (used[i]) i = (i + 1) & mask;
        used[i] = true;
        keys[i] = hash;
        ids[i] = id;
    }

    private void grow() {
        long[] k = keys;
        int[] v = ids;
        boolean[] u = used;
        keys = new long[k.length * 2];
        ids = new int[k.length * 2];
        used = new boolean[k.length * 2];
        for (int i = 0; i < k.length; i++) if (u[i]) insert(k[i], v[i]);
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

package dev.strata.index;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Series hash ({@code Labels.hash()}) -> series id, open addressing on primitive arrays (about 24
 * bytes per series at the 0.5-0.75 load factor). A hash shared by several label sets keeps its first
 * id in the table and the others in a small overflow map. Not thread safe (used under the index's
 * write lock).
 */
final class SeriesHashTable {
    private long[] keys;
    private int[] ids; // -1 = empty slot
    private int size;
    private final Map<Long, int[]> overflow = new HashMap<>();

    SeriesHashTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        ids = new int[cap];
        Arrays.fill(ids, -1);
    }

    /** The ids stored under {@code hash}: the first in the table, then the overflow ones. */
    int first(long hash) {
        int mask = keys.length - 1;
        for (int i = mix(hash) & mask; ; i = (i + 1) & mask) {
            int id = ids[i];
            if (id < 0) return -1;
            if (keys[i] == hash) return id;
        }
    }

    int[] others(long hash) {
        return overflow.getOrDefault(hash, EMPTY);
    }

    private static final int[] EMPTY = new int[0];

    void add(long hash, int id) {
        if (first(hash) >= 0) {
            int[] prev = others(hash);
            int[] next = Arrays.copyOf(prev, prev.length + 1);
            next[prev.length] = id;
            overflow.put(hash, next);
            return;
        }
        if ((size + 1) * 4L > keys.length * 3L) grow();
        insert(hash, id);
        size++;
    }

    private void insert(long hash, int id) {
        int mask = keys.length - 1;
        int i = mix(hash) & mask;
        while (ids[i] >= 0) i = (i + 1) & mask;
        keys[i] = hash;
        ids[i] = id;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldIds = ids;
        keys = new long[oldKeys.length * 2];
        ids = new int[oldIds.length * 2];
        Arrays.fill(ids, -1);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldIds[i] >= 0) insert(oldKeys[i], oldIds[i]);
        }
    }

    private static int mix(long h) {
        // XXH64 output is already well mixed; fold the high bits in anyway.
        return (int) (h ^ (h >>> 32));
    }
}

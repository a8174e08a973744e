package dev.strata.ingest.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.strata.store.model.Labels;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesIdCacheTest {
    @Test
    void findsEveryIdAcrossGrowthAndCollidingProbes() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        SeriesIdCache cache = new SeriesIdCache();
        Map<Long, Integer> expected = new HashMap<>();
        int n = 50_000;
        for (int id = 0; id < n; id++) {
            // few distinct low bits force long probe runs; a few 0 and -1 hashes on purpose
            long hash = id % 1000 == 0 ? (id / 1000 % 2 == 0 ? 0L : -1L) - id : (rnd.nextLong() << 12) | (id & 7);
            Labels l = Labels.of("id", Integer.toString(id));
            cache.put(hash, id, l);
            expected.putIfAbsent(hash, id);
            assertSame(l, cache.labels(id), "seed=" + seed);
        }
        for (Map.Entry<Long, Integer> e : expected.entrySet()) {
            assertEquals((int) e.getValue(), cache.get(e.getKey()), "hash " + e.getKey() + " seed=" + seed);
        }
        assertEquals(expected.size(), cache.size(), "seed=" + seed);
        assertEquals(-1, cache.get(rnd.nextLong() << 12 | 9), "an absent hash, seed=" + seed);
    }

    @Test
    void firstWriterOfAHashWins() {
        SeriesIdCache cache = new SeriesIdCache();
        cache.put(42L, 7, Labels.of("a", "1"));
        cache.put(42L, 9, Labels.of("a", "2"));
        assertEquals(7, cache.get(42L));
        assertEquals(Labels.of("a", "2"), cache.labels(9));
    }

    @Test
    void advanceLastReportsOnlyNewerTimes() {
        SeriesIdCache cache = new SeriesIdCache();
        cache.put(1L, 5000, Labels.of("a", "1"));
        assertEquals(true, cache.advanceLast(5000, 10));
        assertEquals(false, cache.advanceLast(5000, 10));
        assertEquals(false, cache.advanceLast(5000, 9));
        assertEquals(true, cache.advanceLast(5000, 11));
    }
    @Test
    void prefetchLooksUpLikeGetAndChangesNothing() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("SeriesIdCacheTest seed=" + seed);
        Random rnd = new Random(seed);
        SeriesIdCache cache = new SeriesIdCache();
        long[] known = new long[5_000];
        for (int id = 0; id < known.length; id++) {
            known[id] = (rnd.nextLong() << 10) | (id & 3); // colliding low bits: probe runs
            cache.put(known[id], id, id % 50 == 0 ? Labels.EMPTY : Labels.of("id", Integer.toString(id)));
        }
        long[] hashes = new long[64];
        int[] ids = new int[64];
        for (int round = 0; round < 2_000; round++) {
            int n = rnd.nextInt(hashes.length + 1);
            for (int i = 0; i < n; i++) hashes[i] = rnd.nextInt(3) == 0 ? rnd.nextLong() : known[rnd.nextInt(known.length)];
            cache.prefetch(hashes, n, ids);
            for (int i = 0; i < n; i++) assertEquals(cache.get(hashes[i]), ids[i], "seed=" + seed + " round=" + round);
        }
        assertEquals(known.length, cache.size(), "seed=" + seed);
        for (int id = 0; id < known.length; id++) assertEquals(id, cache.get(known[id]), "seed=" + seed);
    }
}

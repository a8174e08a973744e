package dev.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Series id -> doc through runs or the sorted table, against a hash-map reference, on seeded random segments. */
class LeafSeriesIdsTest {
    @Test
    void docOfFindsEveryIdAndOnlyThem() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int round = 0; round < 200; round++) {
            int maxDoc = 1 + rnd.nextInt(rnd.nextBoolean() ? 200 : 20_000);
            int[] ids = new int[maxDoc];
            Map<Integer, Integer> reference = new HashMap<>();
            int d = 0;
            int base = rnd.nextInt(1 << 20);
            while (d < maxDoc) {
                // Runs of ascending ids, disjoint, in random order (merged segments interleave id ranges).
                int len = Math.min(maxDoc - d, 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 5000));
                base += 1 + rnd.nextInt(50) + len;
                int start = rnd.nextBoolean() ? base : base - 2 * len - 100;
                if (start < 0) start = base;
                for (int i = 0; i < len; i++) {
                    if (reference.containsKey(start + i)) start = base; // keep ids unique
                }
                for (int i = 0; i < len; i++) {
                    ids[d + i] = start + i;
                    reference.put(start + i, d + i);
                }
                base = Math.max(base, start + len);
                d += len;
            }
            LeafSeriesIds.Segment seg = LeafSeriesIds.segmentOf(ids);
            String ctx = "seed=" + seed + " round=" + round + " maxDoc=" + maxDoc + " runs=" + (seg.runStart() != null);
            for (int doc = 0; doc < maxDoc; doc++) assertEquals(doc, seg.docOf(ids[doc]), ctx + " id=" + ids[doc]);
            for (int probe = 0; probe < 500; probe++) {
                int id = rnd.nextInt(base + 100);
                assertEquals((int) reference.getOrDefault(id, -1), seg.docOf(id), ctx + " probe id=" + id);
            }
        }
    }

    @Test
    void fragmentedSegmentsUseTheSortedTable() {
        int[] ids = new int[4096];
        for (int i = 0; i < ids.length; i++) ids[i] = ids.length - i; // descending: every doc is a run
        LeafSeriesIds.Segment fragmented = LeafSeriesIds.segmentOf(ids);
        assertNull(fragmented.runStart());
        assertEquals(4095, fragmented.docOf(1));
        assertEquals(-1, fragmented.docOf(0));
        int[] ascending = new int[4096];
        for (int i = 0; i < ascending.length; i++) ascending[i] = 7 + i;
        assertEquals(1, LeafSeriesIds.segmentOf(ascending).runStart().length);
    }
}

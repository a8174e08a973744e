package dev.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.apache.lucene.util.FixedBitSet;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/** The run-wise doc bitset -> series id mapping against a doc-by-doc reference, on seeded random segments. */
class SeriesIdGathererTest {
    @Test
    void runWiseMappingEqualsDocByDoc() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int round = 0; round < 200; round++) {
            int maxDoc = 1 + rnd.nextInt(rnd.nextBoolean() ? 200 : 20_000);
            int[] ids = new int[maxDoc];
            int d = 0;
            while (d < maxDoc) {
                // A run of ascending ids starting anywhere (merged segments interleave id ranges).
                int len = Math.min(maxDoc - d, 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 5000));
                int base = rnd.nextInt(1 << 24);
                for (int i = 0; i < len; i++) ids[d + i] = base + i;
                d += len;
            }
            FixedBitSet docs = new FixedBitSet(maxDoc);
            double density = rnd.nextDouble();
            for (int i = 0; i < maxDoc; i++) if (rnd.nextDouble() < density) docs.set(i);
            RoaringBitmap expected = new RoaringBitmap();
            for (int i = 0; i < maxDoc; i++) if (docs.get(i)) expected.add(ids[i]);
            LeafSeriesIds.Segment seg = LeafSeriesIds.segmentOf(ids);
            RoaringBitmap actual = new RoaringBitmap();
            if (seg.runStart() == null) continue; // too fragmented: mapped doc by doc
            SeriesIdGatherer.addRuns(docs, seg, actual);
            if (!expected.equals(actual)) {
                fail("seed=" + seed + " round=" + round + " maxDoc=" + maxDoc + ": expected " + expected.getCardinality()
                        + " ids, got " + actual.getCardinality() + ", differing in "
                        + RoaringBitmap.xor(expected, actual).getCardinality());
            }
        }
    }

    @Test
    void fragmentedSegmentsAreMappedDocByDoc() {
        int[] ids = new int[4096];
        for (int i = 0; i < ids.length; i++) ids[i] = ids.length - i; // descending: every doc is a run
        assertEquals(null, LeafSeriesIds.segmentOf(ids).runStart());
        int[] ascending = new int[4096];
        for (int i = 0; i < ascending.length; i++) ascending[i] = 7 + i;
        assertEquals(1, LeafSeriesIds.segmentOf(ascending).runStart().length);
    }
}

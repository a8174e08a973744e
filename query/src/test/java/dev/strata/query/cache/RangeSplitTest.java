package dev.strata.query.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangeSplitTest {
    @Test
    void partsFollowIntervalsOnTheQueryGrid() {
        // Steps 30 s apart from 00:59:00 to 02:01:00, split by hour: the grid is kept, parts end inside their hour.
        long h = 3_600_000L;
        List<RangeSplit.Part> parts = RangeSplit.parts(h - 60_000, 2 * h + 60_000, 30_000, h);
        assertEquals(List.of(new RangeSplit.Part(0, h - 60_000, h - 30_000),
                new RangeSplit.Part(1, h, 2 * h - 30_000),
                new RangeSplit.Part(2, 2 * h, 2 * h + 60_000)), parts);
    }

    @Test
    void randomRangesAreCoveredExactlyOnce() {
        long seed = System.nanoTime();
        System.out.println("RangeSplitTest seed " + seed);
        Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            long step = 1 + rnd.nextInt(600_000);
            long interval = 1 + rnd.nextInt(7_200_000);
            long start = rnd.nextLong(-10_000_000_000L, 10_000_000_000L);
            long end = start + rnd.nextLong(0, step * 500L);
            List<RangeSplit.Part> parts = RangeSplit.parts(start, end, step, interval);
            long expect = start;
            for (RangeSplit.Part p : parts) {
                assertEquals(expect, p.fromMs(), "seed " + seed);
                assertTrue(p.toMs() >= p.fromMs() && (p.toMs() - p.fromMs()) % step == 0, "seed " + seed);
                assertEquals(p.interval(), Math.floorDiv(p.fromMs(), interval), "seed " + seed);
                assertEquals(p.interval(), Math.floorDiv(p.toMs(), interval), "seed " + seed);
                expect = p.toMs() + step;
            }
            assertTrue(expect > end && expect - step <= end, "seed " + seed);
        }
    }
}

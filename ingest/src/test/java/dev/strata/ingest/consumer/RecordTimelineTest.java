package dev.strata.ingest.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecordTimelineTest {
    @Test
    void answersWithTheNearestSampleAtOrBeforeAnOffset() {
        RecordTimeline t = new RecordTimeline();
        assertEquals(-1, t.timestampAtOrBefore(5));
        t.add(10, 1000);
        t.add(20, 2000);
        t.add(20, 9999); // not past the last offset: ignored
        t.add(30, 3000);
        assertEquals(1000, t.timestampAtOrBefore(5), "before every sample: the first one's");
        assertEquals(1000, t.timestampAtOrBefore(19));
        assertEquals(2000, t.timestampAtOrBefore(20));
        assertEquals(3000, t.timestampAtOrBefore(99));
        t.forgetBefore(25);
        assertEquals(2, t.size(), "the last sample at or before 25 stays");
        assertEquals(2000, t.timestampAtOrBefore(25));
    }

    @Test
    void thinningWhenFullOnlyMovesAnswersBackInTime() {
        RecordTimeline t = new RecordTimeline();
        for (int i = 0; i < 3 * RecordTimeline.CAPACITY; i++) t.add(i, 1000L * i);
        assertTrue(t.size() <= RecordTimeline.CAPACITY);
        assertEquals(0, t.timestampAtOrBefore(0), "the oldest sample is kept");
        for (long offset = 0; offset < 3 * RecordTimeline.CAPACITY; offset += 7) {
            long ts = t.timestampAtOrBefore(offset);
            assertTrue(ts <= 1000L * offset, "never younger than the record itself: " + offset + " -> " + ts);
        }
    }
}

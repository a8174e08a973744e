package dev.strata.ingest.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.flush.FlushGroups;
import dev.strata.store.cassandra.CheckpointTable.Stored;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RecoveryPlanTest {
    /** A hash whose flush group (of 4) is {@code g}. */
    private static long hashOfGroup(int g) {
        for (long h = 0; ; h += 1 << 16) if (FlushGroups.groupOf(h, 4) == g) return h;
    }

    /** Rows of topic "t" with 4 groups. */
    private static List<Stored> rows(Map<Integer, Long> cps) {
        List<Stored> out = new ArrayList<>();
        new TreeMap<>(cps).forEach((g, off) -> out.add(new Stored(g, off, "t", 4)));
        return out;
    }

    @Test
    void startsAfterTheLowestCheckpointAndSkipsPerGroup() {
        RecoveryPlan p = RecoveryPlan.of("t", 4, rows(Map.of(0, 100L, 1, 80L, 2, 120L, 3, 90L)), 150, false, 0, 200);
        assertEquals(81, p.startOffset());
        assertEquals(200, p.endOffset());
        assertEquals(0, p.lostOffsets());
        assertTrue(p.skip(100, hashOfGroup(0)));
        assertFalse(p.skip(101, hashOfGroup(0)));
        assertFalse(p.skip(81, hashOfGroup(1)));
        assertTrue(p.skip(120, hashOfGroup(2)));
        assertFalse(p.skip(121, hashOfGroup(2)));
    }

    @Test
    void aGroupWithoutCheckpointReplaysFromTheBeginning() {
        RecoveryPlan p = RecoveryPlan.of("t", 4, rows(Map.of(0, 100L, 1, 80L, 2, 120L)), 150, false, 0, 200);
        assertEquals(0, p.startOffset());
        assertFalse(p.skip(0, hashOfGroup(3)));
        assertTrue(p.skip(0, hashOfGroup(0)));
    }

    @Test
    void anIndexCommittedBeforeTheCheckpointsPullsTheStartBackUnlessRebuilt() {
        assertEquals(51, RecoveryPlan.of("t", 4, rows(Map.of(0, 100L, 1, 100L, 2, 100L, 3, 100L)), 50, false, 0, 200).startOffset());
        assertEquals(101, RecoveryPlan.of("t", 4, rows(Map.of(0, 100L, 1, 100L, 2, 100L, 3, 100L)), -1, true, 0, 200).startOffset());
    }

    @Test
    void offsetsNoLongerInTheLogAreReportedAsLost() {
        RecoveryPlan p = RecoveryPlan.of("t", 4, rows(Map.of(0, 100L, 1, 100L, 2, 100L, 3, 100L)), 200, false, 150, 300);
        assertEquals(150, p.startOffset());
        assertEquals(49, p.lostOffsets());
    }

    @Test
    void checkpointsOfAnotherTopicIdMeanANewLogReadFromItsBeginning() {
        RecoveryPlan p = RecoveryPlan.of("u", 4, rows(Map.of(0, 100L, 1, 80L, 2, 120L, 3, 90L)), 150, false, 0, 200);
        assertEquals(0, p.startOffset());
        assertFalse(p.skip(0, hashOfGroup(0)));
        assertTrue(p.newLog().contains("topic id t"), p.newLog());
        assertTrue(p.rewrite());
        assertEquals(List.of(-1L, -1L, -1L, -1L), Arrays.stream(p.checkpoints()).boxed().toList());
    }

    @Test
    void aCheckpointAtOrBeyondTheLogEndMeansANewLogEvenWithoutIds() {
        List<Stored> legacy = List.of(new Stored(0, 500, null, 0), new Stored(1, 480, null, 0));
        RecoveryPlan p = RecoveryPlan.of("t", 2, legacy, 500, false, 0, 30);
        assertEquals(0, p.startOffset());
        assertFalse(p.skip(0, hashOfGroup(0)));
        assertTrue(p.newLog().contains("log ends at 30"), p.newLog());
        // an index committed past the end says the same
        assertTrue(RecoveryPlan.of("t", 4, List.of(), 40, false, 0, 30).newLog() != null);
        assertNull(RecoveryPlan.of("t", 4, List.of(), 40, true, 0, 30).newLog());
    }

    @Test
    void legacyRowsOfTheSameLayoutAreKeptAndStamped() {
        List<Stored> legacy = List.of(new Stored(0, 100, null, 0), new Stored(1, 80, null, 0));
        RecoveryPlan p = RecoveryPlan.of("t", 2, legacy, 150, false, 0, 200);
        assertEquals(81, p.startOffset());
        assertNull(p.newLog());
        assertNull(p.layoutChange());
        assertTrue(p.rewrite());
        assertFalse(RecoveryPlan.of("t", 4, rows(Map.of(0, 100L, 1, 80L, 2, 120L, 3, 90L)), 150, false, 0, 200).rewrite());
    }

    @Test
    void anotherGroupCountResumesEveryGroupFromTheLowestCheckpoint() {
        RecoveryPlan p = RecoveryPlan.of("t", 2, rows(Map.of(0, 100L, 1, 80L, 2, 120L, 3, 90L)), 150, false, 0, 200);
        assertEquals("flush groups changed from 4 to 2", p.layoutChange());
        assertEquals(81, p.startOffset());
        assertEquals(List.of(80L, 80L), Arrays.stream(p.checkpoints()).boxed().toList());
        assertFalse(p.skip(81, hashOfGroup(0)));
        assertTrue(p.rewrite());
        // a group of the old layout without a checkpoint: from the beginning
        assertEquals(0, RecoveryPlan.of("t", 8, rows(Map.of(0, 100L, 1, 80L, 2, 120L)), 150, false, 0, 200).startOffset());
        // legacy rows with a group number beyond the configured count
        List<Stored> legacy = List.of(new Stored(0, 100, null, 0), new Stored(1, 80, null, 0), new Stored(2, 70, null, 0));
        RecoveryPlan q = RecoveryPlan.of("t", 2, legacy, 150, false, 0, 200);
        assertEquals(71, q.startOffset());
        assertTrue(q.layoutChange().contains("at least 3"), q.layoutChange());
    }
}

package dev.strata.ingest.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.flush.FlushGroups;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryPlanTest {
    /** A hash whose flush group (of 4) is {@code g}. */
    private static long hashOfGroup(int g) {
        for (long h = 0; ; h += 1 << 16) if (FlushGroups.groupOf(h, 4) == g) return h;
    }

    @Test
    void startsAfterTheLowestCheckpointAndSkipsPerGroup() {
        RecoveryPlan p = RecoveryPlan.of(4, Map.of(0, 100L, 1, 80L, 2, 120L, 3, 90L), 150, false, 0, 200);
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
        RecoveryPlan p = RecoveryPlan.of(4, Map.of(0, 100L, 1, 80L, 2, 120L), 150, false, 0, 200);
        assertEquals(0, p.startOffset());
        assertFalse(p.skip(0, hashOfGroup(3)));
        assertTrue(p.skip(0, hashOfGroup(0)));
    }

    @Test
    void anIndexCommittedBeforeTheCheckpointsPullsTheStartBackUnlessRebuilt() {
        assertEquals(51, RecoveryPlan.of(4, Map.of(0, 100L, 1, 100L, 2, 100L, 3, 100L), 50, false, 0, 200).startOffset());
        assertEquals(101, RecoveryPlan.of(4, Map.of(0, 100L, 1, 100L, 2, 100L, 3, 100L), -1, true, 0, 200).startOffset());
    }

    @Test
    void offsetsNoLongerInTheLogAreReportedAsLost() {
        RecoveryPlan p = RecoveryPlan.of(4, Map.of(0, 100L, 1, 100L, 2, 100L, 3, 100L), 200, false, 150, 300);
        assertEquals(150, p.startOffset());
        assertEquals(49, p.lostOffsets());
    }
}

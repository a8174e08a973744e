package dev.strata.node.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The fault plan is reproducible from its seed, covers every kind and target, and changes flush.groups for real. */
class FaultPlanTest {
    private record Named(String name, boolean reconfigurable) implements FaultTarget {
        @Override
        public long pid() {
            return 1;
        }

        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public void kill() {}

        @Override
        public void start() {}

        @Override
        public void start(UnaryOperator<List<String>> change) {}
    }

    private static final List<FaultTarget> TARGETS = List.of(new Named("node-0", true), new Named("node-1", true),
            new Named("kafka", false), new Named("cassandra", false));

    private static List<String> plan(long seed, int n) {
        FaultPlan plan = new FaultPlan(seed, TARGETS, 4);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Fault f = plan.next();
            out.add(f + " quiet " + f.quietMs());
        }
        return out;
    }

    @Test
    void sameSeedSamePlan() {
        long seed = new java.util.Random().nextLong();
        System.err.println("FaultPlanTest seed=" + seed);
        assertEquals(plan(seed, 200), plan(seed, 200));
        assertNotEquals(plan(seed, 200), plan(seed + 1, 200));
    }

    @Test
    void everyKindOnEveryTargetWithinTheBounds() {
        long seed = new java.util.Random().nextLong();
        System.err.println("FaultPlanTest seed=" + seed);
        FaultPlan plan = new FaultPlan(seed, TARGETS, 4);
        Set<String> seen = new HashSet<>();
        Map<String, Integer> groups = new HashMap<>(Map.of("node-0", 4, "node-1", 4));
        for (int i = 1; i <= 2000; i++) {
            Fault f = plan.next();
            assertEquals(i, f.number());
            seen.add(f.label());
            assertTrue(f.quietMs() >= 3_000 && f.quietMs() <= 12_000, f + " quiet " + f.quietMs());
            switch (f.kind()) {
                case KILL -> assertTrue(f.downMs() >= 1_000 && f.downMs() <= 8_000, f.toString());
                case PAUSE -> assertTrue(f.downMs() >= 2_000 && f.downMs() <= 12_000, f.toString());
                case RECONFIGURE -> {
                    assertTrue(f.target().reconfigurable(), f.toString());
                    assertNotEquals(groups.get(f.target().name()), f.flushGroups(), "a reconfiguration changes flush.groups: " + f);
                    groups.put(f.target().name(), f.flushGroups());
                }
            }
        }
        assertEquals(Set.of("kill node-0", "kill node-1", "kill kafka", "kill cassandra", "pause node-0", "pause node-1",
                "pause kafka", "pause cassandra", "flush.groups node-0", "flush.groups node-1"), seen);
    }

    @Test
    void membershipFaultsKeepTheNodeCountInRangeAndNeverHitAGoneNode() {
        long seed = new java.util.Random().nextLong();
        System.err.println("FaultPlanTest seed=" + seed);
        FaultPlan plan = new FaultPlan(seed, TARGETS, 4, 1, 3, 2);
        Set<String> live = new HashSet<>(Set.of("node-0", "node-1"));
        Set<String> gone = new HashSet<>();
        Map<Fault.Kind, Integer> kinds = new HashMap<>();
        for (int i = 1; i <= 2000; i++) {
            Fault f = plan.next();
            kinds.merge(f.kind(), 1, Integer::sum);
            if (i == 1) assertTrue(f.membership(), "the first fault is a membership fault: " + f);
            if (f.kind() == Fault.Kind.JOIN) {
                assertTrue(live.add(f.joining()), "a new ordinal: " + f);
                assertTrue(!gone.contains(f.joining()), "never an ordinal that left: " + f);
                plan.joined(new Named(f.joining(), true));
            } else {
                assertTrue(!gone.contains(f.target().name()), "a node that left or crashed is no target: " + f);
                if (f.kind() == Fault.Kind.LEAVE || f.kind() == Fault.Kind.CRASH) {
                    assertTrue(live.remove(f.target().name()), f.toString());
                    gone.add(f.target().name());
                }
            }
            assertTrue(live.size() >= 1 && live.size() <= 3, "node count " + live.size() + " after " + f);
        }
        for (Fault.Kind k : Fault.Kind.values()) assertTrue(kinds.getOrDefault(k, 0) > 0, "kind " + k + " never planned: " + kinds);
    }

    @Test
    void windowsAttributeATimeToTheFaultActiveThen() throws InterruptedException {
        FaultWindows w = new FaultWindows();
        long before = System.nanoTime();
        Thread.sleep(2);
        int h = w.open("kill kafka");
        Thread.sleep(2);
        long during = System.nanoTime();
        assertEquals("kill kafka", w.current());
        Thread.sleep(2);
        w.close(h);
        Thread.sleep(2);
        long after = System.nanoTime();
        assertEquals(FaultWindows.NO_FAULT, w.labelAt(before));
        assertEquals("kill kafka", w.labelAt(during));
        assertEquals(FaultWindows.NO_FAULT, w.labelAt(after));
        assertEquals(null, w.current());
        assertEquals(1, w.count("kill kafka"));
    }
}

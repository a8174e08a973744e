package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The {@link AssignmentPlanner} contract, checked on {@link BalancedPlanner} over seeded random histories
 * of joins, leaves and crashes (to the planner a crash and a leave are the same: the member is no longer
 * eligible; a crashed member may come back with its ordinal). Every test prints its seed; rerun one with
 * {@code -Dstrata.planner.seed=N}.
 */
class BalancedPlannerTest {
    private static final AssignmentPlanner PLANNER = new BalancedPlanner();
    /** Slots a leave may move beyond the lower bound that balance forces. */
    private static final int LEAVE_SLACK = 2;
    private static final long SEED = Long.getLong("strata.planner.seed", System.nanoTime());

    private static Random random(String test) {
        System.out.println("BalancedPlannerTest." + test + " seed " + SEED + " (-Dstrata.planner.seed=" + SEED + ")");
        return new Random(SEED);
    }

    private static Member member(int ordinal, String zone) {
        return new Member(ordinal, "strata-" + ordinal + ":9091", zone, MemberState.ACTIVE, Set.of());
    }

    @Test
    void firstAssignmentWithoutZonesIsTheStaticRoundRobin() {
        for (int n = 1; n <= 8; n++) {
            for (int s = 1; s <= 64; s++) {
                for (int r = 1; r <= n; r++) {
                    List<Member> members = new ArrayList<>();
                    for (int i = 0; i < n; i++) members.add(member(i, ""));
                    Assignment a = PLANNER.next(null, members, s, r);
                    Assignment rr = Assignment.of(new ShardOwnership(n, s, r));
                    assertEquals(1, a.epoch());
                    for (int shard = 0; shard < s; shard++) {
                        assertArrayEquals(rr.owners(shard), a.owners(shard), "N=" + n + " S=" + s + " R=" + r + " shard " + shard);
                    }
                    assertEquals(0, a.movedSlotsFrom(rr), "static -> dynamic moves nothing");
                }
            }
        }
    }

    @Test
    void randomHistoriesKeepTheInvariantsAndMoveLittle() {
        Random rnd = random("randomHistoriesKeepTheInvariantsAndMoveLittle");
        for (int run = 0; run < 150; run++) {
            boolean zoned = run % 2 == 1;
            int shards = 1 + rnd.nextInt(64);
            int replicas = 1 + rnd.nextInt(3);
            int zones = 1 + rnd.nextInt(3);
            String shape = "run " + run + " S=" + shards + " R=" + replicas + (zoned ? " zones=" + zones : "");
            Map<Integer, Member> live = new TreeMap<>();
            Map<Integer, String> zoneOf = new HashMap<>();
            int start = 1 + rnd.nextInt(8);
            for (int i = 0; i < start; i++) {
                zoneOf.put(i, zoned ? "z" + rnd.nextInt(zones) : "");
                live.put(i, member(i, zoneOf.get(i)));
            }
            Assignment a = PLANNER.next(null, shuffled(live.values(), rnd), shards, replicas);
            check(shape + " first", a, live.values(), shards, replicas);
            for (int step = 0; step < 30; step++) {
                int n = live.size();
                boolean join = n == 0 || (n < 8 && rnd.nextBoolean());
                String what;
                int changed;
                if (join) {
                    // a new ordinal, or a crashed / departed member coming back with its old one
                    changed = rnd.nextInt(3) == 0 && zoneOf.size() > n ? pickAbsent(zoneOf.keySet(), live.keySet(), rnd) : zoneOf.size();
                    zoneOf.putIfAbsent(changed, zoned ? "z" + rnd.nextInt(zones) : "");
                    live.put(changed, member(changed, zoneOf.get(changed)));
                    what = "join " + changed;
                } else {
                    List<Integer> ords = new ArrayList<>(live.keySet());
                    changed = ords.get(rnd.nextInt(ords.size()));
                    live.remove(changed);
                    what = (rnd.nextBoolean() ? "leave " : "crash ") + changed;
                }
                String at = shape + " step " + step + " (" + what + ", members " + live.keySet() + ")";
                Assignment b = PLANNER.next(a, shuffled(live.values(), rnd), shards, replicas);
                assertEquals(a.epoch() + 1, b.epoch(), at);
                check(at, b, live.values(), shards, replicas);
                assertEquals(b, PLANNER.next(a, shuffled(live.values(), rnd), shards, replicas), at + ": not deterministic");
                if (!zoned && join) checkJoinMovement(at, a, b, changed, n, shards, replicas);
                if (!zoned && !join) checkLeaveMovement(at, a, b, changed, n - 1, replicas);
                a = b;
            }
        }
    }

    /** Adding one node to N moves at most ceil(S*r/(N+1)) slots, and every one of them to the new node. */
    private static void checkJoinMovement(String at, Assignment before, Assignment after, int joined, int n, int shards, int replicas) {
        if (n == 0) return;
        int r = Math.min(replicas, n + 1);
        int bound = (shards * r + n) / (n + 1);
        int moved = after.movedSlotsFrom(before);
        assertTrue(moved <= bound, at + ": moved " + moved + " slots, bound ceil(S*r/(N+1)) = " + bound);
        for (int s = 0; s < after.shards(); s++) {
            for (int o : after.owners(s)) {
                if (!before.owns(o, s)) assertEquals(joined, o, at + ": shard " + s + " moved to " + o + ", not to the new node");
            }
        }
    }

    /**
     * Removing one node moves exactly the slots it held (none when the shards now need fewer owners), plus
     * what +-1 balance forces when the remaining owners cannot absorb them (see balanceForcedMoves), plus a
     * small slack: over 4000 histories (about 30,000 leaves) the planner exceeded that lower bound 13 times,
     * by 1 or 2 slots, where the bound itself may be loose.
     */
    private static void checkLeaveMovement(String at, Assignment before, Assignment after, int left, int remaining, int replicas) {
        int held = before.ownedBy(left).size();
        int expected = remaining >= replicas ? held : 0;
        int moved = after.movedSlotsFrom(before);
        int forced = expected == 0 ? 0 : balanceForcedMoves(before, left, replicas);
        assertTrue(moved >= expected && moved <= expected + forced + LEAVE_SLACK, at + ": moved " + moved + " slots; node " + left
                + " held " + held + ", balance forces at least " + forced + " more, slack " + LEAVE_SLACK);
    }

    /**
     * A lower bound on the slots beyond the leaver's that a balanced result must move: a remaining node i
     * can take at most f_i of the leaver's slots (those of shards it does not own yet), so a node that would
     * stay below floor(T'/N') even with all of them must receive the rest from other nodes. (With the
     * round-robin's layout, R=2 and an even N, a node's shards are all co-owned by one partner, which can
     * then take none of them.)
     */
    private static int balanceForcedMoves(Assignment before, int left, int replicas) {
        SortedSet<Integer> remaining = new TreeSet<>(before.nodes());
        remaining.remove(left);
        if (remaining.isEmpty()) return 0;
        int n = remaining.size();
        int floor = before.shards() * Math.min(replicas, n) / n;
        List<Integer> leaverShards = before.ownedBy(left);
        int forcedUp = 0;
        for (int i : remaining) {
            int free = 0;
            for (int s : leaverShards) if (!before.owns(i, s)) free++;
            forcedUp += Math.max(0, floor - before.ownedBy(i).size() - free);
        }
        if (n < replicas) return forcedUp;
        // The leaver's slots that fit on nodes not owning the shard without passing ceil(T'/N') (a bipartite
        // matching, by augmenting paths); each one that does not fit pushes a kept slot off its node.
        int ceil = (before.shards() * replicas + n - 1) / n;
        Map<Integer, Integer> room = new HashMap<>();
        for (int i : remaining) room.put(i, Math.max(0, ceil - before.ownedBy(i).size()));
        Map<Integer, List<Integer>> placed = new HashMap<>();
        for (int i : remaining) placed.put(i, new ArrayList<>());
        int fit = 0;
        for (int s : leaverShards) if (augment(before, s, remaining, room, placed, new HashSet<>())) fit++;
        return Math.max(forcedUp, leaverShards.size() - fit);
    }

    private static boolean augment(Assignment a, int s, SortedSet<Integer> nodes, Map<Integer, Integer> room,
                                   Map<Integer, List<Integer>> placed, Set<Integer> seen) {
        for (int i : nodes) {
            if (a.owns(i, s) || !seen.add(i)) continue;
            if (placed.get(i).size() < room.get(i)) {
                placed.get(i).add(s);
                return true;
            }
            for (int k = 0; k < placed.get(i).size(); k++) {
                int other = placed.get(i).get(k);
                if (augment(a, other, nodes, room, placed, seen)) {
                    placed.get(i).set(k, s);
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void threeZonesOfTwoNodesNeverPutBothReplicasInOneZone() {
        Random rnd = random("threeZonesOfTwoNodesNeverPutBothReplicasInOneZone");
        for (int run = 0; run < 40; run++) {
            int shards = 1 + rnd.nextInt(64);
            Map<Integer, Member> all = new TreeMap<>();
            for (int i = 0; i < 6; i++) all.put(i, member(i, "zone-" + (char) ('a' + i % 3)));
            Map<Integer, Member> live = new TreeMap<>(all);
            Assignment a = PLANNER.next(null, live.values(), shards, 2);
            for (int step = 0; step < 30; step++) {
                int o = rnd.nextInt(6);
                if (live.remove(o) == null) live.put(o, all.get(o));
                a = PLANNER.next(a, shuffled(live.values(), rnd), shards, 2);
                String at = "run " + run + " S=" + shards + " step " + step + " members " + live.keySet();
                check(at, a, live.values(), shards, 2);
                long liveZones = live.values().stream().map(Member::zone).distinct().count();
                if (liveZones < 2) continue;
                for (int s = 0; s < shards; s++) {
                    int[] ow = a.owners(s);
                    assertEquals(2, ow.length, at);
                    assertTrue(!all.get(ow[0]).zone().equals(all.get(ow[1]).zone()), at + ": shard " + s + " has both replicas in "
                            + all.get(ow[0]).zone());
                }
            }
        }
    }

    @Test
    void fourthNodeTakesAboutAQuarterOfTheSlotsAndAllOfThemGoToIt() {
        List<Member> three = List.of(member(0, ""), member(1, ""), member(2, ""));
        Assignment a = PLANNER.next(null, three, 8, 2);
        List<Member> four = new ArrayList<>(three);
        four.add(member(3, ""));
        Assignment b = PLANNER.next(a, four, 8, 2);
        assertEquals(4, b.movedSlotsFrom(a));
        assertEquals(4, b.ownedBy(3).size());
        for (int o = 0; o < 3; o++) assertEquals(4, b.ownedBy(o).size(), "node " + o);
    }

    @Test
    void noEligibleMembersLeavesEveryShardWithoutOwners() {
        Assignment a = PLANNER.next(null, List.of(member(0, "")), 4, 2);
        Assignment b = PLANNER.next(a, List.of(), 4, 2);
        for (int s = 0; s < 4; s++) assertEquals(0, b.owners(s).length);
        Assignment c = PLANNER.next(b, List.of(member(0, ""), member(5, "")), 4, 2);
        check("after empty", c, List.of(member(0, ""), member(5, "")), 4, 2);
    }

    /**
     * The contract at one step: r = min(R, N) distinct eligible owners per shard; distinct zones where the
     * members span >= r zones, else at most the even-spread cap per zone; loads within one of each other
     * inside each zone, and overall when zones are absent or all of one size.
     */
    private static void check(String at, Assignment a, java.util.Collection<Member> live, int shards, int replicas) {
        assertEquals(shards, a.shards(), at);
        assertEquals(replicas, a.replicas(), at);
        Map<Integer, String> zone = new HashMap<>();
        for (Member m : live) zone.put(m.ordinal(), m.zone());
        int n = live.size();
        int r = Math.min(replicas, n);
        Map<String, Integer> zoneSize = new TreeMap<>();
        for (String z : zone.values()) zoneSize.merge(z, 1, Integer::sum);
        int cap = 1;
        while (capFit(zoneSize, cap) < r) cap++; // the even-spread cap; 1 (distinct zones) when >= r zones
        Map<Integer, Integer> load = new TreeMap<>();
        for (int o : zone.keySet()) load.put(o, 0);
        for (int s = 0; s < shards; s++) {
            int[] ow = a.owners(s);
            assertEquals(r, ow.length, at + ": shard " + s + " owners " + java.util.Arrays.toString(ow));
            Set<Integer> distinct = new HashSet<>();
            Map<String, Integer> perZone = new HashMap<>();
            for (int o : ow) {
                if (!zone.containsKey(o)) fail(at + ": shard " + s + " owned by " + o + ", not an eligible member");
                assertTrue(distinct.add(o), at + ": shard " + s + " lists " + o + " twice");
                perZone.merge(zone.get(o), 1, Integer::sum);
                load.merge(o, 1, Integer::sum);
            }
            for (var e : perZone.entrySet()) {
                assertTrue(e.getValue() <= cap, at + ": shard " + s + " has " + e.getValue() + " owners in zone '" + e.getKey()
                        + "', cap " + cap + " (zones " + zoneSize + ")");
            }
        }
        if (n == 0) return;
        for (String z : zoneSize.keySet()) {
            TreeSet<Integer> loads = new TreeSet<>();
            zone.forEach((o, oz) -> { if (oz.equals(z)) loads.add(load.get(o)); });
            assertTrue(loads.last() - loads.first() <= 1, at + ": loads in zone '" + z + "' " + load);
        }
        boolean evenZones = new HashSet<>(zoneSize.values()).size() == 1;
        if (evenZones) {
            TreeSet<Integer> loads = new TreeSet<>(load.values());
            assertTrue(loads.last() - loads.first() <= 1, at + ": unbalanced " + load + " (zones " + zoneSize + ")");
        }
    }

    private static int capFit(Map<String, Integer> zoneSize, int cap) {
        return zoneSize.values().stream().mapToInt(sz -> Math.min(sz, cap)).sum();
    }

    private static int pickAbsent(Set<Integer> known, Set<Integer> live, Random rnd) {
        List<Integer> absent = new ArrayList<>(known);
        absent.removeAll(live);
        Collections.sort(absent);
        return absent.get(rnd.nextInt(absent.size()));
    }

    private static List<Member> shuffled(java.util.Collection<Member> members, Random rnd) {
        List<Member> out = new ArrayList<>(members);
        Collections.shuffle(out, rnd);
        return out;
    }
}

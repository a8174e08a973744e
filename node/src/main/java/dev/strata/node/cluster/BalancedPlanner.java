package dev.strata.node.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link AssignmentPlanner} of dynamic membership: balanced, zone-aware, minimal movement.
 *
 * <p>With {@code N} eligible members, {@code r = min(R, N)} owners per shard and {@code T = S*r} replica
 * slots, it works in three steps on a copy of the previous assignment:
 * <ol>
 *   <li><b>Keep.</b> Every owner that is still eligible keeps its slot, in its place in the owner list
 *       (so a shard whose preferred owner left is now preferred on its next owner, already ready). Only
 *       owners beyond {@code r}, and owners beyond the zone cap {@code m} (below), are dropped, the last
 *       in the list first. Without a previous assignment the start is {@link ShardOwnership}'s
 *       round-robin over the members in ordinal order, so a cluster going from {@code cluster.nodes=N}
 *       with ordinals 0..N-1 to dynamic membership moves nothing.</li>
 *   <li><b>Fill.</b> Each shard short of {@code r} owners gets, in shard order, the least-loaded eligible
 *       member that does not own it and whose zone is under the cap (ties: lower ordinal). The new owner
 *       goes last in the list (it is not ready yet).</li>
 *   <li><b>Balance.</b> While some member holds at least two slots more than another, move one slot
 *       from the most-loaded member towards the least-loaded one it can give to: directly when a shard
 *       allows it, else along the shortest chain of single-slot moves (a chain is only needed when zones
 *       forbid the direct move). Each move lowers the sum of squared loads, so this ends. Which slot
 *       moves: first one the receiver held in the previous assignment (a move back), then one the giver
 *       did not hold before (it moved in this plan anyway), then a non-preferred slot (so preferred
 *       owners change least), then the lowest shard. Ties between receivers: lowest load, then fewest
 *       slots in the previous assignment (a member that just joined), then lowest ordinal.</li>
 * </ol>
 *
 * <p><b>Zones.</b> Each distinct {@link Member#zone()} is a zone; the empty zone (unknown) counts as one
 * zone like any other, so a cluster without zones has a single zone and no constraint. The cap {@code m}
 * is the smallest number of owners per zone per shard with which {@code r} owners fit:
 * {@code sum over zones of min(m, members in the zone) >= r}. Hence {@code m = 1} (distinct zones)
 * whenever the members span at least {@code r} zones, and otherwise the owners are spread as evenly as
 * the zones' sizes allow. Zones win over balance: with zones of unequal size the loads are balanced to
 * +-1 within each zone, and across zones as far as the cap allows.
 *
 * <p>Pure: no clock, no randomness, no dependence on the iteration order of {@code eligible}.
 */
public final class BalancedPlanner implements AssignmentPlanner {

    @Override
    public Assignment next(Assignment previous, Collection<Member> eligible, int shards, int replicas) {
        if (shards < 1) throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        if (replicas < 1) throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
        long epoch = previous == null ? 1 : previous.epoch() + 1;
        TreeMap<Integer, Member> byOrdinal = new TreeMap<>();
        for (Member m : eligible) {
            if (byOrdinal.put(m.ordinal(), m) != null) {
                throw new IllegalArgumentException("member " + m.ordinal() + " listed twice among the eligible members");
            }
        }
        if (byOrdinal.isEmpty()) return new Assignment(epoch, replicas, new int[shards][0]);
        return new Plan(previous, new ArrayList<>(byOrdinal.values()), shards, replicas).run(epoch);
    }

    /** One planning run; nodes are indexed 0..N-1 in ordinal order. */
    private static final class Plan {
        final Assignment previous;
        final int n;
        final int shards;
        final int replicas;
        final int r;
        final int[] ordinal;
        final int[] zone;
        final int cap;
        final Map<Integer, Integer> index = new HashMap<>();
        final List<List<Integer>> owners = new ArrayList<>();
        final int[] load;
        final int[] previousLoad;
        /** own[s][i]: member i owns shard s now; wasOwn[s][i]: in the previous assignment. */
        final boolean[][] own;
        final boolean[][] wasOwn;
        /** zoneOwners[s][z]: owners of shard s in zone z now. */
        final int[][] zoneOwners;

        Plan(Assignment previous, List<Member> members, int shards, int replicas) {
            this.previous = previous;
            this.n = members.size();
            this.shards = shards;
            this.replicas = replicas;
            this.r = Math.min(replicas, n);
            this.ordinal = new int[n];
            this.zone = new int[n];
            Map<String, Integer> zones = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                ordinal[i] = members.get(i).ordinal();
                index.put(ordinal[i], i);
                zone[i] = zones.computeIfAbsent(members.get(i).zone(), z -> zones.size());
            }
            int[] zoneSize = new int[zones.size()];
            for (int z : zone) zoneSize[z]++;
            this.cap = zoneCap(zoneSize, r);
            this.load = new int[n];
            this.previousLoad = new int[n];
            this.own = new boolean[shards][n];
            this.wasOwn = new boolean[shards][n];
            this.zoneOwners = new int[shards][zones.size()];
            if (previous != null) {
                for (int s = 0; s < Math.min(shards, previous.shards()); s++) {
                    for (int o : previous.owners(s)) {
                        Integer i = index.get(o);
                        if (i != null) {
                            previousLoad[i]++;
                            wasOwn[s][i] = true;
                        }
                    }
                }
            }
        }

        /** The smallest m with sum over zones of min(m, zone size) >= r. */
        static int zoneCap(int[] zoneSize, int r) {
            for (int m = 1; ; m++) {
                int fit = 0;
                for (int size : zoneSize) fit += Math.min(m, size);
                if (fit >= r) return m;
            }
        }

        Assignment run(long epoch) {
            keep();
            fill();
            balance();
            int[][] out = new int[shards][];
            for (int s = 0; s < shards; s++) out[s] = owners.get(s).stream().mapToInt(i -> ordinal[i]).toArray();
            return new Assignment(epoch, replicas, out);
        }

        void keep() {
            for (int s = 0; s < shards; s++) {
                List<Integer> start = new ArrayList<>();
                if (previous == null) {
                    // ShardOwnership's round-robin: slot s*r+k goes to the ((s*r+k) mod N)-th member.
                    for (int k = 0; k < r; k++) start.add((int) (((long) s * r + k) % n));
                } else if (s < previous.shards()) {
                    for (int o : previous.owners(s)) {
                        Integer i = index.get(o);
                        if (i != null) start.add(i);
                    }
                }
                List<Integer> kept = new ArrayList<>();
                for (int i : start) {
                    if (kept.size() < r && !kept.contains(i) && zoneCount(kept, zone[i]) < cap) kept.add(i);
                }
                owners.add(new ArrayList<>());
                for (int i : kept) add(s, i);
            }
        }

        void fill() {
            for (int s = 0; s < shards; s++) {
                List<Integer> o = owners.get(s);
                while (o.size() < r) {
                    int best = -1;
                    for (int i = 0; i < n; i++) {
                        if (own[s][i] || zoneOwners[s][zone[i]] >= cap) continue;
                        if (best < 0 || load[i] < load[best]) best = i;
                    }
                    // cap guarantees a candidate: if none, every zone holds min(cap, size) owners, >= r.
                    add(s, best);
                }
            }
        }

        void balance() {
            Integer[] byLoad = new Integer[n];
            while (true) {
                for (int i = 0; i < n; i++) byLoad[i] = i;
                Arrays.sort(byLoad, Comparator.comparingInt((Integer i) -> -load[i]).thenComparingInt(i -> i));
                boolean moved = false;
                // Free moves first (slots that moved in this plan anyway, or go back to a previous owner).
                for (boolean freeOnly : new boolean[] {true, false}) {
                    for (int giver : byLoad) {
                        if (load[giver] - 2 < minLoad()) break;
                        if (moveTowardsLighter(giver, freeOnly)) {
                            moved = true;
                            break;
                        }
                    }
                    if (moved) break;
                }
                if (!moved) return;
            }
        }

        int minLoad() {
            int min = Integer.MAX_VALUE;
            for (int l : load) min = Math.min(min, l);
            return min;
        }

        /**
         * Breadth-first over "a can give a slot to b" from {@code giver}; at the first depth that reaches a
         * member with load <= load(giver) - 2, moves one slot along the chain to the best such member.
         * A chain of free moves (see {@link #shardToMove}) is an augmenting path of the slots this plan
         * placed: it rebalances a greedy fill without moving any slot that kept its owner.
         */
        boolean moveTowardsLighter(int giver, boolean freeOnly) {
            int[] via = new int[n];
            int[] viaShard = new int[n];
            Arrays.fill(via, -1);
            via[giver] = giver;
            List<Integer> frontier = List.of(giver);
            while (!frontier.isEmpty()) {
                List<Integer> next = new ArrayList<>();
                for (int a : frontier) {
                    for (int b = 0; b < n; b++) {
                        if (via[b] >= 0) continue;
                        int s = shardToMove(a, b, freeOnly);
                        if (s < 0) continue;
                        via[b] = a;
                        viaShard[b] = s;
                        next.add(b);
                    }
                }
                int target = -1;
                for (int b : next) {
                    if (load[b] > load[giver] - 2) continue;
                    if (target < 0 || receiverOrder(b, target) < 0) target = b;
                }
                if (target >= 0) {
                    // Apply from the receiving end; each step is re-checked (two steps may touch one shard).
                    ArrayDeque<int[]> steps = new ArrayDeque<>();
                    for (int b = target; b != giver; b = via[b]) steps.add(new int[] {via[b], b, viaShard[b]});
                    List<int[]> done = new ArrayList<>();
                    for (int[] step : steps) {
                        if (!canMove(step[2], step[0], step[1])) {
                            for (int k = done.size() - 1; k >= 0; k--) move(done.get(k)[2], done.get(k)[1], done.get(k)[0]);
                            return false;
                        }
                        move(step[2], step[0], step[1]);
                        done.add(step);
                    }
                    return true;
                }
                frontier = next;
            }
            return false;
        }

        int receiverOrder(int a, int b) {
            if (load[a] != load[b]) return Integer.compare(load[a], load[b]);
            if (previousLoad[a] != previousLoad[b]) return Integer.compare(previousLoad[a], previousLoad[b]);
            return Integer.compare(a, b);
        }

        /**
         * The shard whose slot {@code a} should give to {@code b}, or -1 when none may move. With
         * {@code freeOnly}, only a move that adds no moved slot against the previous assignment.
         */
        int shardToMove(int a, int b, boolean freeOnly) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int s = 0; s < shards; s++) {
                if (!canMove(s, a, b)) continue;
                if (freeOnly && !wasOwner(b, s) && wasOwner(a, s)) continue;
                int rank = (wasOwner(b, s) ? 0 : 4) + (wasOwner(a, s) ? 2 : 0) + (owners.get(s).get(0) == a ? 1 : 0);
                if (rank < bestRank) {
                    best = s;
                    bestRank = rank;
                }
            }
            return best;
        }

        boolean wasOwner(int i, int s) {
            return wasOwn[s][i];
        }

        boolean canMove(int s, int a, int b) {
            if (!own[s][a] || own[s][b]) return false;
            return zone[a] == zone[b] || zoneOwners[s][zone[b]] < cap;
        }

        /** Member i becomes shard s's last owner. */
        void add(int s, int i) {
            owners.get(s).add(i);
            own[s][i] = true;
            zoneOwners[s][zone[i]]++;
            load[i]++;
        }

        /** b takes a's place in shard s's owner list. */
        void move(int s, int a, int b) {
            List<Integer> o = owners.get(s);
            o.set(o.indexOf(a), b);
            own[s][a] = false;
            own[s][b] = true;
            zoneOwners[s][zone[a]]--;
            zoneOwners[s][zone[b]]++;
            load[a]--;
            load[b]++;
        }

        int zoneCount(List<Integer> members, int z) {
            int c = 0;
            for (int i : members) if (zone[i] == z) c++;
            return c;
        }
    }
}

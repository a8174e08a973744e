package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.selfmetrics.MetricsRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardHandoff} against an in-memory cluster: every node has a fake shard set whose newly opened
 * shards become ready after a random number of ticks, and sees the same assignment and the others' ready
 * shards (as membership would carry them). No Kafka, no Cassandra.
 */
class ShardHandoffTest {

    /** A node's shard set: opened shards are ready after 1..4 ticks; released ones go at once. */
    static final class FakeShards implements ShardHandoff.LocalShardSet {
        final Map<Integer, Integer> ticksLeft = new TreeMap<>();
        final Random random;

        FakeShards(Random random) {
            this.random = random;
        }

        @Override
        public synchronized Set<Integer> desired() {
            return new TreeSet<>(ticksLeft.keySet());
        }

        @Override
        public synchronized Set<Integer> ready() {
            Set<Integer> out = new TreeSet<>();
            ticksLeft.forEach((s, t) -> { if (t == 0) out.add(s); });
            return out;
        }

        @Override
        public synchronized void setDesired(Set<Integer> shards) {
            ticksLeft.keySet().retainAll(shards);
            for (int s : shards) ticksLeft.putIfAbsent(s, 1 + random.nextInt(4));
        }

        synchronized void tick() {
            ticksLeft.replaceAll((s, t) -> Math.max(0, t - 1));
        }
    }

    /** N simulated nodes sharing one assignment; each node's view carries every live node's ready shards. */
    static final class Sim {
        final Map<Integer, FakeShards> shards = new ConcurrentSkipListMap<>();
        final Map<Integer, ShardHandoff> handoffs = new ConcurrentSkipListMap<>();
        final Map<Integer, FakeMembership> memberships = new ConcurrentSkipListMap<>();
        final Map<Integer, MemberState> states = new ConcurrentSkipListMap<>();
        final Map<Integer, MetricsRegistry> metrics = new TreeMap<>();
        final AtomicLong clock = new AtomicLong();
        final Random random;
        volatile Assignment assignment;

        Sim(Random random, Assignment first) {
            this.random = random;
            this.assignment = first;
        }

        void add(int ordinal) {
            FakeShards s = new FakeShards(random);
            FakeMembership m = new FakeMembership(() -> view(ordinal));
            MetricsRegistry r = new MetricsRegistry();
            shards.put(ordinal, s);
            memberships.put(ordinal, m);
            metrics.put(ordinal, r);
            states.put(ordinal, MemberState.JOINING);
            handoffs.put(ordinal, new ShardHandoff(m, s, r, clock::get));
        }

        ClusterView view(int self) {
            SortedMap<Integer, Member> members = new TreeMap<>();
            states.forEach((o, st) -> members.put(o, new Member(o, "127.0.0.1:" + (9000 + o), "", st,
                    st == MemberState.DOWN ? Set.of() : shards.get(o).ready())));
            return new ClusterView(self, assignment, members);
        }

        /** Live nodes that have {@code shard} ready. */
        int serving(int shard) {
            int n = 0;
            for (var e : shards.entrySet()) {
                if (states.get(e.getKey()) != MemberState.DOWN && e.getValue().ready().contains(shard)) n++;
            }
            return n;
        }

        /** One round: every live node's shards progress, then every live node steps on its view, in random order. */
        void round(Runnable afterEachStep) {
            clock.addAndGet(100_000_000L);
            for (var e : shards.entrySet()) if (states.get(e.getKey()) != MemberState.DOWN) e.getValue().tick();
            List<Integer> order = new java.util.ArrayList<>(handoffs.keySet());
            java.util.Collections.shuffle(order, random);
            for (int o : order) {
                if (states.get(o) == MemberState.DOWN) continue;
                handoffs.get(o).step(view(o));
                afterEachStep.run();
            }
        }

        void converge(Runnable check) {
            for (int i = 0; i < 40; i++) round(check);
        }
    }

    private static Assignment layout(int nodes, int shards, int replicas, long epoch) {
        ShardOwnership own = new ShardOwnership(nodes, shards, replicas);
        int[][] o = new int[shards][];
        for (int s = 0; s < shards; s++) o[s] = own.owners(s);
        return new Assignment(epoch, replicas, o);
    }

    /** The assignment with node {@code joiner} taking every {@code every}-th slot (a planner's minimal move, by hand). */
    private static Assignment withJoiner(Assignment a, int joiner, int every) {
        int[][] o = new int[a.shards()][];
        int slot = 0;
        for (int s = 0; s < a.shards(); s++) {
            o[s] = a.owners(s);
            for (int k = 0; k < o[s].length; k++, slot++) if (slot % every == every - 1) o[s][k] = joiner;
        }
        return new Assignment(a.epoch() + 1, a.replicas(), o);
    }

    private static long seed() {
        long seed = Long.getLong("strata.test.seed", System.nanoTime());
        System.out.println("ShardHandoffTest seed=" + seed);
        return seed;
    }

    @Test
    void aPlannedMoveNeverReleasesBeforeTheNewOwnersAreReady() {
        for (int replicas = 1; replicas <= 2; replicas++) {
            long seed = seed();
            Sim sim = new Sim(new Random(seed), layout(3, 8, replicas, 1));
            for (int o = 0; o < 3; o++) sim.add(o);
            sim.converge(() -> {});
            for (int s = 0; s < 8; s++) assertEquals(replicas, sim.serving(s), "R=" + replicas + " before the move, seed=" + seed);

            sim.add(3);
            sim.assignment = withJoiner(sim.assignment, 3, 4);
            int r = replicas;
            int[] minServing = {Integer.MAX_VALUE};
            sim.converge(() -> {
                for (int s = 0; s < 8; s++) {
                    minServing[0] = Math.min(minServing[0], sim.serving(s));
                    assertTrue(sim.serving(s) >= r, "shard " + s + " served by " + sim.serving(s) + " < R=" + r + " mid-move, seed=" + seed);
                }
            });
            assertEquals(replicas, minServing[0]);
            for (int o = 0; o < 4; o++) {
                assertEquals(new TreeSet<>(sim.assignment.ownedBy(o)), sim.shards.get(o).desired(),
                        "node " + o + " holds exactly its share after the move, seed=" + seed);
            }
            assertEquals(8 * replicas / 4, sim.assignment.ownedBy(3).size());
            assertEquals(MemberState.ACTIVE, sim.memberships.get(3).lastAnnounced(), "the joiner announced active once ready");
            assertEquals(8 * replicas / 4, sim.handoffs.get(3).handoffs(), "handoffs counted on the new owner");
            assertEquals(0, sim.handoffs.get(3).rereplications());
            assertEquals(0, sim.handoffs.get(3).underReplicated());
        }
    }

    @Test
    void anOldOwnerKeepsServingWhileItsSuccessorRecovers() {
        Sim sim = new Sim(new Random(1), new Assignment(1, 1, new int[][] {{0}}));
        sim.add(0);
        sim.converge(() -> {});
        sim.add(1);
        sim.assignment = new Assignment(2, 1, new int[][] {{1}});
        sim.shards.get(1).setDesired(Set.of()); // node 1 starts empty
        // node 1 opens shard 0 but is never ready: node 0 must hold it forever
        ShardHandoff h0 = sim.handoffs.get(0);
        h0.step(sim.view(0));
        sim.handoffs.get(1).step(sim.view(1));
        sim.shards.get(1).ticksLeft.put(0, 1_000_000);
        for (int i = 0; i < 20; i++) {
            h0.step(sim.view(0));
            assertEquals(Set.of(0), sim.shards.get(0).desired(), "released while the new owner is not ready");
        }
        assertEquals(List.of(new ShardHandoff.Move(0, List.of(0), List.of(1), "recovering")), ShardHandoff.inProgress(sim.view(0)));
        sim.shards.get(1).ticksLeft.put(0, 0);
        assertEquals(List.of(new ShardHandoff.Move(0, List.of(0), List.of(), "releasing")), ShardHandoff.inProgress(sim.view(0)));
        h0.step(sim.view(0));
        assertEquals(Set.of(), sim.shards.get(0).desired(), "released once the new owner is ready");
        assertEquals(List.of(), ShardHandoff.inProgress(sim.view(0)));
    }

    @Test
    void aDownOwnersShardsAreReReplicatedAndCounted() {
        long seed = seed();
        Sim sim = new Sim(new Random(seed), layout(3, 6, 2, 1));
        for (int o = 0; o < 3; o++) sim.add(o);
        sim.converge(() -> {});
        sim.states.put(2, MemberState.DOWN);
        sim.round(() -> {});
        assertTrue(sim.handoffs.get(0).underReplicated() > 0, "node 2's shards are under-replicated once it is down");
        // the planner's answer: node 2's slots go to whichever of 0 and 1 does not own the shard yet
        int[][] o = new int[6][];
        for (int s = 0; s < 6; s++) {
            int[] before = sim.assignment.owners(s);
            o[s] = before.clone();
            for (int k = 0; k < o[s].length; k++) {
                if (o[s][k] == 2) o[s][k] = before[1 - k] == 0 ? 1 : 0;
            }
        }
        sim.assignment = new Assignment(2, 2, o);
        sim.converge(() -> {});
        long moved = 0;
        for (int n = 0; n < 2; n++) moved += sim.handoffs.get(n).rereplications();
        assertEquals(layout(3, 6, 2, 1).ownedBy(2).size(), moved, "every slot of the down node re-replicated, seed=" + seed);
        for (int s = 0; s < 6; s++) assertEquals(2, sim.serving(s), "R restored for shard " + s);
        assertEquals(0, sim.handoffs.get(0).underReplicated());
        assertTrue(sim.handoffs.get(0).underReplicatedSeconds() > 0, "the time R was unmet is counted");
        assertEquals(moved, sim.handoffs.get(0).handoffs() + sim.handoffs.get(1).handoffs());
    }

    @Test
    void leavingHandsEveryShardOverBeforeReturning() throws Exception {
        Sim sim = new Sim(new Random(3), layout(2, 4, 1, 1));
        sim.add(0);
        sim.add(1);
        sim.converge(() -> {});
        ShardHandoff leaver = sim.handoffs.get(1);
        AtomicReference<String> problem = new AtomicReference<>();
        Thread mover = new Thread(() -> {
            // membership's part: node 1 announces leaving, the planner gives its slots to node 0
            while (sim.memberships.get(1).lastAnnounced() != MemberState.LEAVING) Thread.onSpinWait();
            sim.states.put(1, MemberState.LEAVING);
            sim.assignment = new Assignment(2, 1, new int[][] {{0}, {0}, {0}, {0}});
            for (int i = 0; i < 40 && !sim.shards.get(1).desired().isEmpty(); i++) {
                sim.shards.get(0).tick();
                sim.handoffs.get(0).step(sim.view(0));
                for (int s = 0; s < 4; s++) if (sim.serving(s) < 1) problem.set("shard " + s + " left without a ready owner");
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        mover.start();
        leaver.start();
        try {
            assertTrue(leaver.leave(Duration.ofSeconds(20)), "handed over within the timeout");
        } finally {
            leaver.close();
            mover.join();
        }
        assertEquals(null, problem.get());
        assertEquals(Set.of(), sim.shards.get(1).desired());
        assertEquals(Set.of(0, 1, 2, 3), sim.shards.get(0).ready());
    }

    @Test
    void aLoneNodeLeavesWithoutWaiting() throws Exception {
        Sim sim = new Sim(new Random(4), layout(1, 4, 1, 1));
        sim.add(0);
        sim.converge(() -> {});
        long t0 = System.nanoTime();
        assertTrue(sim.handoffs.get(0).leave(Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "no other member: no wait");
        assertEquals(MemberState.LEAVING, sim.memberships.get(0).lastAnnounced());
    }

    @Test
    void aLeaveTimesOutWhenNobodyTakesTheShards() throws Exception {
        Sim sim = new Sim(new Random(5), layout(2, 2, 1, 1));
        sim.add(0);
        sim.add(1);
        sim.converge(() -> {});
        ShardHandoff h = sim.handoffs.get(1);
        h.start();
        try {
            // the assignment never changes: node 1 keeps its shard and gives up after the timeout
            assertFalse(h.leave(Duration.ofMillis(600)));
        } finally {
            h.close();
        }
        assertEquals(Set.of(1), sim.shards.get(1).desired(), "still serving: a timed-out leave stops as before, shard unreleased");
    }

    @Test
    void aDrainedNodeReleasesEverythingOnceTheOthersAreReady() {
        Sim sim = new Sim(new Random(6), layout(2, 4, 1, 1));
        sim.add(0);
        sim.add(1);
        sim.converge(() -> {});
        sim.states.put(1, MemberState.DRAINED);
        sim.assignment = new Assignment(2, 1, new int[][] {{0}, {0}, {0}, {0}});
        sim.converge(() -> {
            for (int s = 0; s < 4; s++) assertTrue(sim.serving(s) >= 1, "shard " + s + " unserved while draining");
        });
        assertEquals(Set.of(), sim.shards.get(1).desired());
    }

    @Test
    void theStaticViewHasNoHandoffs() {
        ClusterTopology t = new ClusterTopology(0, new ShardOwnership(3, 8, 2), new PeerAddresses(List.of("a:1", "b:2", "c:3"), "", "x", 3));
        assertEquals(List.of(), ShardHandoff.inProgress(t.view()));
        Map<Integer, int[]> owners = new HashMap<>();
        for (int s = 0; s < 8; s++) owners.put(s, t.owners(s));
        for (int s = 0; s < 8; s++) assertEquals(java.util.Arrays.toString(t.ownership().owners(s)), java.util.Arrays.toString(owners.get(s)),
                "the static form routes in ownership order");
    }
}

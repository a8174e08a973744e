package dev.strata.node.cluster.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.strata.node.cluster.Assignment;
import dev.strata.node.cluster.ClusterView;
import dev.strata.node.cluster.Member;
import dev.strata.node.cluster.MemberState;
import dev.strata.store.cassandra.CassandraSchema;
import dev.strata.store.cassandra.Consistency;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Membership} against a real Cassandra node: several instances in one JVM (ordinals as nodes,
 * heartbeat 200 ms, failure timeout 2 s) converge on one assignment, and each change of the eligible
 * members (join, crash, drain, undrain, leave, return) costs exactly one epoch although every running
 * instance proposes it ({@link RacingPlanner} makes the first two proposers meet before the LWT).
 */
@ExtendWith(CassandraExtension.class)
class MembershipCassandraTest {
    private static final String KEYSPACE = "membership_t";
    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(2);
    private static final int SHARDS = 8;
    private static final int REPLICAS = 2;

    private static CassandraNode cassandra;
    private static CqlSession session;
    private static MembersTable members;
    private static AssignmentTable assignments;
    private final List<Membership> started = new ArrayList<>();

    @BeforeAll
    static void schema(CassandraNode node) {
        long t0 = System.nanoTime();
        cassandra = node;
        session = cassandra.openSession();
        // Only the keyspace and the membership tables: CassandraSchema.create's other tables cost ~10 s of DDL here.
        session.execute("CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE + " WITH replication = {'class':'SimpleStrategy','replication_factor':1}");
        CassandraSchema.createMembershipTables(session, KEYSPACE);
        System.err.printf("MembershipCassandraTest: session and schema in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        members = new MembersTable(session, KEYSPACE, Consistency.ONE, Duration.ofSeconds(10));
        assignments = new AssignmentTable(session, KEYSPACE, Consistency.ONE, Duration.ofSeconds(10));
    }

    @AfterAll
    static void closeSession() {
        if (session != null) session.close();
    }

    @BeforeEach
    void emptyCluster() {
        session.execute("DELETE FROM " + KEYSPACE + ".members WHERE cluster = 'strata'");
        session.execute("DELETE FROM " + KEYSPACE + ".cluster_assignment WHERE cluster = 'strata' IF EXISTS");
    }

    @AfterEach
    void stopAll() {
        started.forEach(Membership::close);
    }

    @Test
    void membersConvergeAndEachChangeOfMembersCostsOneEpoch() throws Exception {
        RacingPlanner planner = new RacingPlanner(null);
        Membership m0 = start(0, planner);
        Membership m1 = start(1, planner);
        Membership m2 = start(2, planner);
        long e = awaitConverged(List.of(m0, m1, m2), Set.of(0, 1, 2));
        assertStable(e);
        awaitTrue("every owner announces its shards ready", () -> {
            ClusterView v = m0.view();
            for (int s = 0; s < SHARDS; s++) if (v.readyOwners(s).size() != REPLICAS) return false;
            return true;
        });

        Membership m3 = start(3, planner);
        assertEquals(e + 1, awaitConverged(List.of(m0, m1, m2, m3), Set.of(0, 1, 2, 3)), "a join is one epoch");
        assertTrue(planner.calls(e + 1) >= 2, "the join was proposed by " + planner.calls(e + 1) + " nodes; the test wants a race");
        assertStable(e + 1);

        long crash = System.nanoTime();
        m2.close(); // a crash: the row stays until its heartbeat expires
        assertEquals(e + 2, awaitConverged(List.of(m0, m1, m3), Set.of(0, 1, 3)), "a crash is one epoch");
        long seenDownMs = (System.nanoTime() - crash) / 1_000_000;
        assertTrue(seenDownMs >= FAILURE_TIMEOUT.toMillis() - 2 * HEARTBEAT.toMillis(), "seen down after " + seenDownMs + " ms");
        assertEquals(new Member(2, "127.0.0.1:7002", "", MemberState.DOWN, Set.of()), m1.view().members().get(2),
                "a crashed member stays listed, down, with its address");
        assertStable(e + 2);

        m0.setDrained(1, true);
        assertEquals(e + 3, awaitConverged(List.of(m0, m1, m3), Set.of(0, 3)), "a drain is one epoch");
        assertEquals(MemberState.DRAINED, m3.view().members().get(1).state());
        assertEquals(MemberState.DRAINED, m1.view().members().get(1).state(), "the drained node's own heartbeats keep the mark");
        assertStable(e + 3);
        m3.setDrained(1, false);
        assertEquals(e + 4, awaitConverged(List.of(m0, m1, m3), Set.of(0, 1, 3)), "an undrain is one epoch");
        assertEquals(MemberState.JOINING, m0.view().members().get(1).state());

        m3.leave();
        assertTrue(members.read(3).isEmpty(), "leave deletes the row");
        assertEquals(e + 5, awaitConverged(List.of(m0, m1), Set.of(0, 1)), "a leave is one epoch");
        assertTrue(!m0.view().members().containsKey(3), "a member that left is not listed: " + m0.view().members());

        Membership back = start(2, planner); // node 2 returns
        assertEquals(e + 6, awaitConverged(List.of(m0, m1, back), Set.of(0, 1, 2)), "a return is one epoch");
        assertStable(e + 6);
        for (long epoch = e + 2; epoch <= e + 6; epoch++) {
            assertTrue(planner.calls(epoch) >= 1, "epoch " + epoch);
        }
    }

    @Test
    void aLiveDuplicateOrdinalIsRefusedACrashedOnesRowIsTakenOver() throws Exception {
        RacingPlanner planner = new RacingPlanner(null);
        Membership first = start(0, planner);
        Membership duplicate = membership(0, planner);
        IllegalStateException refused = assertThrows(IllegalStateException.class, duplicate::start);
        assertTrue(refused.getMessage().contains("node ordinal 0 is in use: a live node at 127.0.0.1:7000"), refused.getMessage());
        assertEquals(first.instanceId(), members.read(0).orElseThrow().instance(), "the refused process wrote nothing");

        first.close(); // crashed: its heartbeat columns live on for up to the failure timeout
        long t0 = System.nanoTime();
        Membership restarted = start(0, planner);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(tookMs < FAILURE_TIMEOUT.toMillis(), "took over after " + tookMs + " ms");
        assertEquals(restarted.instanceId(), members.read(0).orElseThrow().instance());

        restarted.announce(MemberState.ACTIVE);
        assertEquals("active", members.read(0).orElseThrow().state(), "announce writes at once");
        assertThrows(IllegalArgumentException.class, () -> restarted.announce(MemberState.DOWN));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> restarted.setDrained(7, true));
        assertTrue(unknown.getMessage().contains("ordinal 7"), unknown.getMessage());

        long before = restarted.view().assignment().epoch();
        restarted.announce(MemberState.LEAVING);
        awaitTrue("a leaving node gets no slots", () -> restarted.view().assignment().epoch() == before + 1
                && restarted.view().assignment().nodes().isEmpty());
        assertEquals(MemberState.LEAVING, restarted.view().members().get(0).state());
    }

    @Test
    void aDrainedNodeThatLeavesKeepsItsMark() throws Exception {
        RacingPlanner planner = new RacingPlanner(null);
        Membership m0 = start(0, planner);
        Membership m1 = start(1, planner);
        awaitConverged(List.of(m0, m1), Set.of(0, 1));
        m0.setDrained(1, true);
        awaitConverged(List.of(m0, m1), Set.of(0));
        m1.leave(); // e.g. a rolling restart of the drained node
        assertTrue(members.read(1).orElseThrow().markOnly(), "only the drained mark is left");
        Membership m1again = start(1, planner);
        awaitTrue("the restarted node is still drained", () -> m1again.view().members().get(1).state() == MemberState.DRAINED);
        assertEquals(Set.of(0), m0.view().assignment().nodes());
        m0.setDrained(1, false);
        awaitConverged(List.of(m0, m1again), Set.of(0, 1));
    }

    @Test
    void aNodeThatCannotReachCassandraKeepsItsViewAndOthersSeeItDown() throws Exception {
        RacingPlanner planner = new RacingPlanner(null);
        Membership m0 = start(0, planner);
        try (CqlSession own = cassandra.openSession()) {
            Membership m1 = start(1, planner, own);
            long e = awaitConverged(List.of(m0, m1), Set.of(0, 1));
            ClusterView before = m1.view();
            own.close(); // every request of node 1 now fails, as with Cassandra unreachable
            assertEquals(e + 1, awaitConverged(List.of(m0), Set.of(0)), "node 0 reassigns node 1's shards");
            assertEquals(MemberState.DOWN, m0.view().members().get(1).state());
            assertTrue(before == m1.view(), "node 1 keeps its last view: " + m1.view());
        }
    }

    @Test
    void lightweightTransactionsHaveOneWinner() throws Exception {
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Callable<Boolean>> first = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                AssignmentTable.Stored s = new AssignmentTable.Stored(1, text(1, i), "racer" + i);
                first.add(() -> assignments.insertFirst(s));
            }
            assertEquals(1, race(pool, first), "IF NOT EXISTS has one winner");
            for (long epoch = 2; epoch <= 4; epoch++) {
                List<Callable<Boolean>> next = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    AssignmentTable.Stored s = new AssignmentTable.Stored(epoch, text(epoch, i), "racer" + i);
                    long expected = epoch - 1;
                    next.add(() -> assignments.replace(expected, s));
                }
                assertEquals(1, race(pool, next), "IF epoch = " + (epoch - 1) + " has one winner");
                AssignmentTable.Stored row = assignments.readSerial().orElseThrow();
                assertEquals(epoch, row.epoch());
                assertEquals(text(epoch, Integer.parseInt(row.members().substring(5))), row.assignment(), "the winner's row, whole");
            }
            assertTrue(!assignments.replace(2, new AssignmentTable.Stored(9, text(9, 0), "late")), "a stale epoch loses");
        } finally {
            pool.shutdownNow();
        }
    }

    private static String text(long epoch, int racer) {
        int[][] owners = new int[SHARDS][];
        for (int s = 0; s < SHARDS; s++) owners[s] = new int[] {racer};
        return new Assignment(epoch, REPLICAS, owners).encode();
    }

    /** Runs the calls at once (from a latch); how many returned true. */
    private static int race(ExecutorService pool, List<Callable<Boolean>> calls) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (Callable<Boolean> c : calls) {
            results.add(pool.submit(() -> {
                go.await();
                return c.call();
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> f : results) if (f.get()) won++;
        return won;
    }

    private Membership membership(int ordinal, RacingPlanner planner) {
        return membership(ordinal, planner, session);
    }

    private Membership membership(int ordinal, RacingPlanner planner, CqlSession session) {
        AtomicReference<Membership> self = new AtomicReference<>();
        MembershipSettings settings = new MembershipSettings(ordinal, "127.0.0.1:" + (7000 + ordinal), "", SHARDS, REPLICAS,
                HEARTBEAT, FAILURE_TIMEOUT);
        // Every node reports the shards its view gives it as ready (as if recovery were instant).
        Membership m = new Membership(session, KEYSPACE, Consistency.ONE, settings, planner, () -> {
            ClusterView v = self.get().view();
            return v == null ? Set.of() : Set.copyOf(v.assignment().ownedBy(ordinal));
        });
        self.set(m);
        started.add(m);
        return m;
    }

    private Membership start(int ordinal, RacingPlanner planner) throws InterruptedException {
        return start(ordinal, planner, session);
    }

    private Membership start(int ordinal, RacingPlanner planner, CqlSession session) throws InterruptedException {
        Membership m = membership(ordinal, planner, session);
        m.start();
        assertNotNull(m.view(), "a started membership has a view");
        return m;
    }

    /**
     * Waits until every instance's view holds the same assignment, the one in the table, whose owners
     * are {@code nodes}, each shard with min(R, nodes) owners; its epoch.
     */
    private static long awaitConverged(List<Membership> nodes, Set<Integer> owners) {
        AtomicReference<String> last = new AtomicReference<>();
        awaitTrue("views converged on owners " + owners, () -> {
            Assignment a = nodes.get(0).view().assignment();
            last.set(nodes.stream().map(n -> n.view().assignment().toString()).toList().toString());
            for (Membership n : nodes) if (!n.view().assignment().equals(a)) return false;
            if (!a.nodes().equals(owners)) return false;
            for (int s = 0; s < SHARDS; s++) if (a.owners(s).length != Math.min(REPLICAS, owners.size())) return false;
            return a.epoch() == assignments.readSerial().orElseThrow().epoch();
        }, last);
        return nodes.get(0).view().assignment().epoch();
    }

    /** No proposal follows during five heartbeats: the cluster settled at {@code epoch}. */
    private static void assertStable(long epoch) throws InterruptedException {
        Thread.sleep(5 * HEARTBEAT.toMillis());
        assertEquals(epoch, assignments.readSerial().orElseThrow().epoch(), "the assignment moved on without a change of members");
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        awaitTrue(what, condition, new AtomicReference<>());
    }

    private static void awaitTrue(String what, BooleanSupplier condition, AtomicReference<String> state) {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting until " + what + "; last seen " + state.get());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}

package dev.strata.node.cluster.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.cluster.Assignment;
import dev.strata.node.cluster.ClusterView;
import dev.strata.node.cluster.Member;
import dev.strata.node.cluster.MemberState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Rows of the members table into members and views, without Cassandra. */
class ViewBuilderTest {
    private static MemberRow alive(int ordinal, String state, String ready, boolean drained) {
        return new MemberRow(ordinal, "i" + ordinal, "10.0.0." + ordinal + ":7001", "z" + ordinal % 2, state, ready, drained, 1000L + ordinal);
    }

    private static MemberRow expired(int ordinal, boolean drained) {
        return new MemberRow(ordinal, null, "10.0.0." + ordinal + ":7001", "z" + ordinal % 2, null, null, drained, null);
    }

    @Test
    void statesFollowHeartbeatDrainedMarkAndAnnouncement() {
        List<String> problems = new ArrayList<>();
        SortedMap<Integer, Member> m = ViewBuilder.members(List.of(
                alive(0, "active", "0,3,5", false),
                alive(1, "joining", "", false),
                expired(2, false),                       // heartbeat gone: down, still listed with its address
                alive(3, "active", "1,2", true),         // drained by an operator, whatever it announces
                expired(4, true),                        // drained and down: down
                new MemberRow(5, null, null, null, null, null, true, null), // a drained node that left: not a member
                alive(6, "leaving", "7", false)), problems::add);
        assertEquals(Set.of(0, 1, 2, 3, 4, 6), m.keySet());
        assertEquals(new Member(0, "10.0.0.0:7001", "z0", MemberState.ACTIVE, Set.of(0, 3, 5)), m.get(0));
        assertEquals(MemberState.JOINING, m.get(1).state());
        assertEquals(new Member(2, "10.0.0.2:7001", "z0", MemberState.DOWN, Set.of()), m.get(2));
        assertEquals(MemberState.DRAINED, m.get(3).state());
        assertEquals(Set.of(1, 2), m.get(3).readyShards(), "a drained node still serves what it announces until handed off");
        assertEquals(MemberState.DOWN, m.get(4).state());
        assertEquals(MemberState.LEAVING, m.get(6).state());
        assertTrue(problems.isEmpty(), problems.toString());

        ClusterView view = ViewBuilder.view(1, new Assignment(4, 2, new int[][] {{0, 1}, {3, 0}}), List.of(
                alive(0, "active", "0,1", false), alive(1, "joining", "", false), alive(3, "active", "1", true)), problems::add);
        assertEquals(List.of(0, 1), view.eligible().stream().map(Member::ordinal).toList());
        assertEquals(List.of(0), view.readyOwners(0));
        assertEquals(List.of(3, 0), view.readyOwners(1));
    }

    @Test
    void unreadableRowsGiveNoSlotsAndAreReported() {
        List<String> problems = new ArrayList<>();
        SortedMap<Integer, Member> m = ViewBuilder.members(List.of(
                alive(0, "rebalancing", "1", false),   // a state a later version may add
                alive(1, "down", "", false),           // never announced by a node
                alive(2, "active", "1,x", false)), problems::add);
        assertEquals(MemberState.LEAVING, m.get(0).state());
        assertEquals(Set.of(1), m.get(0).readyShards());
        assertEquals(MemberState.LEAVING, m.get(1).state());
        assertEquals(MemberState.ACTIVE, m.get(2).state());
        assertEquals(Set.of(), m.get(2).readyShards());
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("rebalancing"), problems.get(0));
        assertTrue(problems.get(2).contains("'x' is not a shard number"), problems.get(2));
    }

    @Test
    void eligibleTextIsOrderedAndCarriesZones() {
        assertEquals("0@a,1,3@b", ViewBuilder.eligibleText(List.of(
                new Member(3, "h:1", "b", MemberState.ACTIVE, Set.of()),
                new Member(0, "h:1", "a", MemberState.JOINING, Set.of()),
                new Member(1, "h:1", "", MemberState.ACTIVE, Set.of()))));
        assertEquals("", ViewBuilder.eligibleText(List.of()));
        // A zone change is a change of the eligible set (the planner places by zone).
        assertFalse(ViewBuilder.eligibleText(List.of(new Member(0, "h:1", "a", MemberState.ACTIVE, Set.of())))
                .equals(ViewBuilder.eligibleText(List.of(new Member(0, "h:1", "b", MemberState.ACTIVE, Set.of())))));
    }

    @Test
    void readyShardsRoundTripAndBadTextIsRefused() {
        assertEquals("0,2,10", MembersTable.encodeReady(Set.of(10, 0, 2)));
        assertEquals(Set.of(0, 2, 10), MembersTable.decodeReady("0,2,10"));
        assertEquals(Set.of(), MembersTable.decodeReady(""));
        assertEquals(Set.of(), MembersTable.decodeReady(null));
        assertThrows(IllegalArgumentException.class, () -> MembersTable.decodeReady("1,,2"));
        assertThrows(IllegalArgumentException.class, () -> MembersTable.decodeReady("-1"));
    }

    @Test
    void unassignedHasEpochZeroAndNoOwners() {
        Assignment a = ViewBuilder.unassigned(4, 2);
        assertEquals(0, a.epoch());
        assertEquals(4, a.shards());
        assertTrue(a.nodes().isEmpty());
    }

    @Test
    void settingsAreChecked() {
        Duration hb = Duration.ofMillis(200);
        assertEquals(3, new MembershipSettings(0, "h:1", "", 8, 2, hb, Duration.ofSeconds(2)).heartbeatTtlSeconds());
        assertEquals(4, new MembershipSettings(0, "h:1", "", 8, 2, hb, Duration.ofMillis(2001)).heartbeatTtlSeconds());
        assertThrows(IllegalArgumentException.class, () -> new MembershipSettings(0, "h:1", "", 8, 2, hb, Duration.ofMillis(400)));
        assertThrows(IllegalArgumentException.class, () -> new MembershipSettings(0, "h:1", "a,b", 8, 2, hb, Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class, () -> new MembershipSettings(-1, "h:1", "", 8, 2, hb, Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class, () -> new MembershipSettings(0, " ", "", 8, 2, hb, Duration.ofSeconds(2)));
    }
}

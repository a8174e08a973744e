package dev.strata.node.cluster.membership;

import dev.strata.node.cluster.Assignment;
import dev.strata.node.cluster.ClusterView;
import dev.strata.node.cluster.Member;
import dev.strata.node.cluster.MemberState;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Turns rows of the members table into {@link Member}s and a {@link ClusterView}; pure (no I/O), so
 * every node that read the same rows builds the same members.
 *
 * <p>Rules: a member whose heartbeat expired is {@link MemberState#DOWN} (and announces no ready shard);
 * a live member with the operator's drained mark is {@link MemberState#DRAINED}, whatever it announces;
 * otherwise its state is what it announced. A row that only keeps a drained mark (a drained node that
 * left) is not a member. A row this version cannot read fully is still a member, on the side that
 * never gives it slots: an unknown state reads as {@link MemberState#LEAVING} (alive, no slots, still
 * serving what it announces), unreadable ready shards as none; each such row is reported to
 * {@code problems}.
 */
public final class ViewBuilder {
    private ViewBuilder() {}

    /** The members the rows describe, by ordinal. */
    public static SortedMap<Integer, Member> members(List<MemberRow> rows, Consumer<String> problems) {
        SortedMap<Integer, Member> out = new TreeMap<>();
        for (MemberRow r : rows) {
            if (r.markOnly()) continue;
            MemberState state;
            SortedSet<Integer> ready = new TreeSet<>();
            if (!r.alive()) {
                state = MemberState.DOWN;
            } else {
                state = announced(r, problems);
                if (r.drained()) state = MemberState.DRAINED;
                try {
                    ready = MembersTable.decodeReady(r.ready());
                } catch (IllegalArgumentException e) {
                    problems.accept("member " + r.ordinal() + ": " + e.getMessage() + "; read as no ready shard");
                }
            }
            out.put(r.ordinal(), new Member(r.ordinal(), r.address(), r.zone(), state, ready));
        }
        return out;
    }

    /** The view of node {@code self}: {@code assignment} (or {@link #unassigned}) with the rows' members. */
    public static ClusterView view(int self, Assignment assignment, List<MemberRow> rows, Consumer<String> problems) {
        return new ClusterView(self, assignment, members(rows, problems));
    }

    /** The assignment before any was stored: epoch 0, no shard has an owner. */
    public static Assignment unassigned(int shards, int replicas) {
        return new Assignment(0, replicas, new int[shards][0]);
    }

    /**
     * The assignment row's {@code members} text for these eligible members: their ordinals ascending,
     * comma-separated, each followed by {@code @zone} when it has a zone (e.g. {@code 0@a,1@b,3}). Two
     * member sets give the same text exactly when the planner sees the same ordinals in the same zones.
     */
    public static String eligibleText(Collection<Member> eligible) {
        StringBuilder b = new StringBuilder();
        for (Member m : eligible.stream().sorted(Comparator.comparingInt(Member::ordinal)).toList()) {
            if (!b.isEmpty()) b.append(',');
            b.append(m.ordinal());
            if (!m.zone().isEmpty()) b.append('@').append(m.zone());
        }
        return b.toString();
    }

    private static MemberState announced(MemberRow r, Consumer<String> problems) {
        MemberState s;
        try {
            s = MemberState.parse(r.state() == null ? "" : r.state());
        } catch (IllegalArgumentException e) {
            problems.accept("member " + r.ordinal() + " announces '" + r.state() + "', a state this version does not know; read as leaving");
            return MemberState.LEAVING;
        }
        // DOWN and DRAINED are never announced (they come from the heartbeat and the mark): a row saying so is read as leaving.
        if (s == MemberState.DOWN || s == MemberState.DRAINED) {
            problems.accept("member " + r.ordinal() + " announces '" + r.state() + "', which only the cluster decides; read as leaving");
            return MemberState.LEAVING;
        }
        return s;
    }
}

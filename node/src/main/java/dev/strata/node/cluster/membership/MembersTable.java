package dev.strata.node.cluster.membership;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.strata.node.cluster.MemberState;
import dev.strata.store.cassandra.Consistency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The {@code members} table (docs/format/membership.md): one row per node of the cluster, keyed by
 * ordinal in the single partition {@link #CLUSTER}. Every write is an {@code UPDATE} (no row marker), so
 * a row exists exactly while one of its columns does: when the TTL'd heartbeat columns expire the row
 * still lists the member's address and zone (it is down), and {@link #leave} removes it unless an
 * operator's {@code drained} mark keeps it.
 *
 * <p>Heartbeats, marks and deletes are idempotent (retrying one writes the same thing); writes use
 * {@link Consistency#write()}, reads {@link Consistency#read()}, each with the given timeout.
 */
public final class MembersTable {
    /** The partition key of the members and assignment rows: one keyspace holds one cluster. */
    public static final String CLUSTER = "strata";

    private final CqlSession session;
    private final Consistency consistency;
    private final Duration timeout;
    private final PreparedStatement beat;
    private final PreparedStatement place;
    private final PreparedStatement selectAll;
    private final PreparedStatement selectOne;
    private final PreparedStatement drain;
    private final PreparedStatement undrain;
    private final PreparedStatement leave;

    public MembersTable(CqlSession session, String keyspace, Consistency consistency, Duration timeout) {
        this.session = session;
        this.consistency = consistency;
        this.timeout = timeout;
        String table = keyspace + ".members";
        String columns = "ordinal, instance, address, zone, state, ready, drained, heartbeat";
        this.beat = session.prepare("UPDATE " + table + " USING TTL ? SET instance = ?, state = ?, ready = ?, heartbeat = ?"
                + " WHERE cluster = ? AND ordinal = ?");
        this.place = session.prepare("UPDATE " + table + " SET address = ?, zone = ? WHERE cluster = ? AND ordinal = ?");
        this.selectAll = session.prepare("SELECT " + columns + " FROM " + table + " WHERE cluster = ?");
        this.selectOne = session.prepare("SELECT " + columns + " FROM " + table + " WHERE cluster = ? AND ordinal = ?");
        this.drain = session.prepare("UPDATE " + table + " SET drained = true WHERE cluster = ? AND ordinal = ?");
        this.undrain = session.prepare("DELETE drained FROM " + table + " WHERE cluster = ? AND ordinal = ?");
        this.leave = session.prepare("DELETE instance, address, zone, state, ready, heartbeat FROM " + table
                + " WHERE cluster = ? AND ordinal = ?");
    }

    /**
     * One heartbeat of node {@code ordinal}: instance, state, ready shards and {@code nowMs} with a TTL of
     * {@code ttlSeconds}, address and zone without (one single-partition batch: applied together).
     */
    public void heartbeat(int ordinal, String instance, String address, String zone, MemberState state,
                          Set<Integer> ready, long nowMs, int ttlSeconds) {
        BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.UNLOGGED,
                beat.bind(ttlSeconds, instance, state.text(), encodeReady(ready), nowMs, CLUSTER, ordinal),
                place.bind(address, zone, CLUSTER, ordinal));
        session.execute(batch.setIdempotent(true).setConsistencyLevel(consistency.write()).setTimeout(timeout));
    }

    /** Every row of the cluster, by ordinal (marks of departed drained nodes included). */
    public List<MemberRow> readAll() {
        List<MemberRow> out = new ArrayList<>();
        for (Row row : session.execute(selectAll.bind(CLUSTER).setConsistencyLevel(consistency.read()).setTimeout(timeout))) {
            out.add(row(row));
        }
        return out;
    }

    public Optional<MemberRow> read(int ordinal) {
        Row row = session.execute(selectOne.bind(CLUSTER, ordinal).setConsistencyLevel(consistency.read()).setTimeout(timeout)).one();
        return row == null ? Optional.empty() : Optional.of(row(row));
    }

    /** Sets (true) or deletes (false) node {@code ordinal}'s drained mark; no other column is touched. */
    public void setDrained(int ordinal, boolean drained) {
        var statement = drained ? drain.bind(CLUSTER, ordinal) : undrain.bind(CLUSTER, ordinal);
        session.execute(statement.setIdempotent(true).setConsistencyLevel(consistency.write()).setTimeout(timeout));
    }

    /** Deletes node {@code ordinal}'s columns except a drained mark: the row is gone unless the node is drained. */
    public void leave(int ordinal) {
        session.execute(leave.bind(CLUSTER, ordinal).setIdempotent(true).setConsistencyLevel(consistency.write()).setTimeout(timeout));
    }

    /** The {@code ready} column's text: ascending shard numbers, comma-separated (empty: none). */
    public static String encodeReady(Set<Integer> shards) {
        StringBuilder b = new StringBuilder();
        for (int s : new TreeSet<>(shards)) {
            if (!b.isEmpty()) b.append(',');
            b.append(s);
        }
        return b.toString();
    }

    /** @throws IllegalArgumentException for text that is not comma-separated shard numbers >= 0 */
    public static SortedSet<Integer> decodeReady(String text) {
        SortedSet<Integer> out = new TreeSet<>();
        if (text == null || text.isEmpty()) return out;
        for (String f : text.split(",", -1)) {
            int shard;
            try {
                shard = Integer.parseInt(f);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ready shards '" + text + "': '" + f + "' is not a shard number", e);
            }
            if (shard < 0) throw new IllegalArgumentException("ready shards '" + text + "': negative shard " + shard);
            out.add(shard);
        }
        return out;
    }

    private static MemberRow row(Row r) {
        return new MemberRow(r.getInt(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                !r.isNull(6) && r.getBoolean(6), r.isNull(7) ? null : r.getLong(7));
    }
}

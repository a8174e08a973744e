package dev.strata.node.cluster.membership;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.strata.store.cassandra.Consistency;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code cluster_assignment} table (docs/format/membership.md): one row, the shard assignment in
 * force. It changes only through lightweight transactions, so of several nodes proposing the next
 * assignment at once exactly one wins: {@link #insertFirst} ({@code IF NOT EXISTS}) when there is none,
 * {@link #replace} ({@code IF epoch = ?}) after. Both run Paxos at SERIAL and commit at
 * {@link Consistency#write()}; they are not idempotent (a retried transaction that had been applied
 * reports "not applied"), so the driver never retries them on its own: a caller whose transaction timed
 * out reads the row again at SERIAL ({@link #readSerial}) to learn what happened.
 */
public final class AssignmentTable {
    /**
     * The row as stored.
     *
     * @param assignment {@link dev.strata.node.cluster.Assignment}'s text form
     * @param members    the eligible members the assignment was computed for (see {@link ViewBuilder#eligibleText})
     */
    public record Stored(long epoch, String assignment, String members) {}

    private final CqlSession session;
    private final Consistency consistency;
    private final Duration timeout;
    private final PreparedStatement select;
    private final PreparedStatement insert;
    private final PreparedStatement update;

    public AssignmentTable(CqlSession session, String keyspace, Consistency consistency, Duration timeout) {
        this.session = session;
        this.consistency = consistency;
        this.timeout = timeout;
        String table = keyspace + ".cluster_assignment";
        this.select = session.prepare("SELECT epoch, assignment, members FROM " + table + " WHERE cluster = ?");
        this.insert = session.prepare("INSERT INTO " + table + " (cluster, epoch, assignment, members) VALUES (?, ?, ?, ?) IF NOT EXISTS");
        this.update = session.prepare("UPDATE " + table + " SET epoch = ?, assignment = ?, members = ? WHERE cluster = ? IF epoch = ?");
    }

    /** The row at {@link Consistency#read()} (each heartbeat). */
    public Optional<Stored> read() {
        return read(select.bind(MembersTable.CLUSTER).setConsistencyLevel(consistency.read()));
    }

    /** The row at SERIAL: sees every transaction that was applied, and completes one left in progress. */
    public Optional<Stored> readSerial() {
        return read(select.bind(MembersTable.CLUSTER).setConsistencyLevel(DefaultConsistencyLevel.SERIAL));
    }

    /** Writes the first row; false if there already is one. */
    public boolean insertFirst(Stored first) {
        return transact(insert.bind(MembersTable.CLUSTER, first.epoch(), first.assignment(), first.members()));
    }

    /** Replaces the row if its epoch is still {@code expectedEpoch}; false if another proposer got there first. */
    public boolean replace(long expectedEpoch, Stored next) {
        return transact(update.bind(next.epoch(), next.assignment(), next.members(), MembersTable.CLUSTER, expectedEpoch));
    }

    private boolean transact(BoundStatement statement) {
        return session.execute(statement.setIdempotent(false)
                .setSerialConsistencyLevel(DefaultConsistencyLevel.SERIAL)
                .setConsistencyLevel(consistency.write())
                .setTimeout(timeout)).wasApplied();
    }

    private Optional<Stored> read(BoundStatement statement) {
        Row row = session.execute(statement.setIdempotent(true).setTimeout(timeout)).one();
        if (row == null || row.isNull(0)) return Optional.empty();
        return Optional.of(new Stored(row.getLong(0), row.getString(1), row.getString(2)));
    }
}

package dev.strata.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code checkpoints} table: for each (shard, flush group) the highest Kafka offset whose samples
 * are durable in Cassandra. The contract callers keep: a checkpoint is written only after the chunk and
 * series-key writes it covers have succeeded, so recovery may skip every record at or below it.
 *
 * <p>Every row also names what its offset means: the Kafka topic id of the log it counts in (a
 * deleted and recreated topic has a new id and offsets starting again at 0) and the flush-group count
 * its group number belongs to (a series' group depends on it). Rows written before these were kept
 * read as {@code topicId == null} and {@code flushGroups == 0}.
 */
public final class CheckpointTable {
    private final CqlSession session;
    private final PreparedStatement upsert;
    private final PreparedStatement select;
    private final PreparedStatement deleteFrom;
    private final Consistency consistency;

    /** One stored row. {@code topicId} null and {@code flushGroups} 0: written before they were recorded. */
    public record Stored(int group, long offset, String topicId, int flushGroups) {}

    /** @param consistency checkpoint writes at {@code checkpoint()}, reads at {@code read()} */
    public CheckpointTable(CqlSession session, String keyspace, Consistency consistency) {
        this.session = session;
        this.consistency = consistency;
        this.upsert = session.prepare("INSERT INTO " + keyspace + ".checkpoints"
                + " (shard, flush_group, kafka_offset, topic_id, flush_groups, updated_ms) VALUES (?, ?, ?, ?, ?, ?)");
        this.select = session.prepare("SELECT flush_group, kafka_offset, topic_id, flush_groups FROM " + keyspace
                + ".checkpoints WHERE shard = ?");
        this.deleteFrom = session.prepare("DELETE FROM " + keyspace + ".checkpoints WHERE shard = ? AND flush_group >= ?");
    }

    /** Writes group {@code flushGroup}'s checkpoint, counted in the log {@code topicId} with {@code flushGroups} groups. */
    public CompletableFuture<Void> write(int shard, int flushGroup, long kafkaOffset, String topicId, int flushGroups) {
        return session.executeAsync(upsert.bind(shard, flushGroup, kafkaOffset, topicId, flushGroups, System.currentTimeMillis())
                        .setIdempotent(true).setConsistencyLevel(consistency.checkpoint()))
                .toCompletableFuture().thenApply(rs -> null);
    }

    /** Every stored row of the shard, by group. */
    public List<Stored> read(int shard) {
        List<Stored> out = new ArrayList<>();
        for (Row row : session.execute(select.bind(shard).setConsistencyLevel(consistency.read()))) {
            out.add(new Stored(row.getInt(0), row.getLong(1), row.getString(2), row.isNull(3) ? 0 : row.getInt(3)));
        }
        out.sort(Comparator.comparingInt(Stored::group));
        return out;
    }

    /**
     * Replaces the shard's rows at once (one logged batch): group g gets {@code checkpoints[g]} (-1: none
     * yet, but bound to this log and layout), rows of groups {@code >= checkpoints.length} are deleted.
     * Used when recovery found another log or another group layout and starts over from a safe point.
     */
    public void replace(int shard, String topicId, long[] checkpoints, Duration timeout) {
        long now = System.currentTimeMillis();
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED);
        batch.addStatement(deleteFrom.bind(shard, checkpoints.length));
        for (int g = 0; g < checkpoints.length; g++) {
            batch.addStatement(upsert.bind(shard, g, checkpoints[g], topicId, checkpoints.length, now));
        }
        session.execute(batch.build().setTimeout(timeout).setIdempotent(true).setConsistencyLevel(consistency.checkpoint()));
    }
}

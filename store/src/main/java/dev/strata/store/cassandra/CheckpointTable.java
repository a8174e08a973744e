package dev.strata.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code checkpoints} table: for each (shard, flush group) the highest Kafka offset whose samples
 * are durable in Cassandra. The contract callers keep: a checkpoint is written only after the chunk and
 * series-key writes it covers have succeeded, so recovery may skip every record at or below it.
 */
public final class CheckpointTable {
    private final CqlSession session;
    private final PreparedStatement upsert;
    private final PreparedStatement select;

    public CheckpointTable(CqlSession session, String keyspace) {
        this.session = session;
        this.upsert = session.prepare("INSERT INTO " + keyspace + ".checkpoints (shard, flush_group, kafka_offset, updated_ms)"
                + " VALUES (?, ?, ?, ?)");
        this.select = session.prepare("SELECT flush_group, kafka_offset FROM " + keyspace + ".checkpoints WHERE shard = ?");
    }

    public CompletableFuture<Void> write(int shard, int flushGroup, long kafkaOffset) {
        return session.executeAsync(upsert.bind(shard, flushGroup, kafkaOffset, System.currentTimeMillis()).setIdempotent(true))
                .toCompletableFuture().thenApply(rs -> null);
    }

    /** Flush group -> offset for every group that has written a checkpoint (absent groups have none). */
    public Map<Integer, Long> read(int shard) {
        Map<Integer, Long> out = new TreeMap<>();
        for (Row row : session.execute(select.bind(shard))) {
            out.put(row.getInt(0), row.getLong(1));
        }
        return out;
    }
}

package dev.strata.store.cassandra;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Groups the single-partition writes of one table write into requests: partitions whose replicas are
 * the same nodes share one UNLOGGED batch, so a flush of many small series rows costs Cassandra (and
 * the driver) one request per batch instead of one per series. Such a batch is no different for
 * Cassandra than its statements sent one by one to the same replicas: each partition's mutation is
 * applied atomically, none across partitions, and each row keeps its own {@code USING TIMESTAMP}.
 *
 * <p>A batch holds at most {@link #MAX_PARTITIONS} partitions (or the caller's smaller limit) (Cassandra's
 * {@code unlogged_batch_across_partitions_warn_threshold} default: more would log a warning per batch)
 * and at most {@link #MAX_BATCH_BYTES} of row data once it has more than one partition (under
 * {@code batch_size_warn_threshold}'s 5 KiB), and at most {@code maxRows} rows; one partition's rows
 * are never split across requests beyond what the caller hands in. Without the driver's token map
 * (metadata disabled or not yet known) every partition is its own request, as a coordinator that
 * forwards to other replicas would cost more than it saves. Not thread safe: one per write.
 */
final class ReplicaBatcher {
    static final int MAX_PARTITIONS = 10;
    static final int MAX_BATCH_BYTES = 4096;

    private final Optional<TokenMap> tokens;
    private final CqlIdentifier keyspace;
    private final int maxPartitions;
    private final int maxRows;
    private final Predicate<Statement<?>> send;
    private final Map<Object, Group> open = new HashMap<>();
    private boolean stopped;

    private static final class Group {
        final List<BoundStatement> statements = new ArrayList<>();
        int partitions;
        long bytes;
    }

    /**
     * @param send sends one request; returns false when the write must stop (a request failed), after
     *             which nothing more is sent
     */
    ReplicaBatcher(CqlSession session, CqlIdentifier keyspace, int maxPartitions, int maxRows, Predicate<Statement<?>> send) {
        this.maxPartitions = Math.min(maxPartitions, MAX_PARTITIONS);
        this.tokens = session.getMetadata().getTokenMap();
        this.keyspace = keyspace;
        this.maxRows = maxRows;
        this.send = send;
    }

    /**
     * Adds rows of one partition ({@code rows.size() <= maxRows}); {@code dataBytes} is their payload
     * size. Returns false once the write has stopped.
     */
    boolean add(List<BoundStatement> rows, long dataBytes) {
        if (stopped) return false;
        Object replicas = replicasOf(rows.get(0));
        Group g = open.get(replicas);
        if (g != null && (g.partitions + 1 > maxPartitions || g.statements.size() + rows.size() > maxRows
                || g.bytes + dataBytes > MAX_BATCH_BYTES)) {
            open.remove(replicas);
            if (!flush(g)) return false;
            g = null;
        }
        if (g == null) {
            g = new Group();
            open.put(replicas, g);
        }
        g.statements.addAll(rows);
        g.partitions++;
        g.bytes += dataBytes;
        return true;
    }

    /** Sends every group still open; returns false if the write stopped. */
    boolean finish() {
        for (Group g : open.values()) {
            if (!flush(g)) return false;
        }
        open.clear();
        return !stopped;
    }

    private boolean flush(Group g) {
        if (stopped) return false;
        Statement<?> request;
        if (g.statements.size() == 1) {
            request = g.statements.get(0); // a batch of one would cost Cassandra a batch's extra work for nothing
        } else {
            BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED).setIdempotence(true);
            for (BoundStatement s : g.statements) batch.addStatement(s);
            request = batch.build();
        }
        if (!send.test(request)) stopped = true;
        return !stopped;
    }

    /** The partition's replica set (equal sets group together), or a key of its own when unknown. */
    private Object replicasOf(BoundStatement s) {
        if (tokens.isEmpty()) return new Object();
        ByteBuffer key = s.getRoutingKey();
        if (key == null) return new Object();
        var replicas = tokens.get().getReplicas(keyspace, key);
        return replicas.isEmpty() ? new Object() : replicas;
    }
}

package dev.strata.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.strata.store.series.SeriesKey;
import dev.strata.store.series.SeriesKeyListing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The {@code series_keys} table: every series of a shard with its dense id and time range, spread over
 * {@link #PARTS} partitions by label hash. Written by the flush before the checkpoint that covers the
 * series' first samples; read to rebuild a missing or corrupt label index. Thread safe.
 */
public final class SeriesKeyTable implements SeriesKeyListing {
    public static final int PARTS = 16;
    private static final int MAX_ROWS_PER_BATCH = 100;

    private final CqlSession session;
    private final PreparedStatement upsert;
    private final PreparedStatement selectPart;
    private final Consistency consistency;

    /** @param consistency writes at {@code write()}, the listing at {@code read()} */
    public SeriesKeyTable(CqlSession session, String keyspace, Consistency consistency) {
        this.session = session;
        this.consistency = consistency;
        this.upsert = session.prepare("INSERT INTO " + keyspace + ".series_keys (shard, part, series, series_id, labels, first_ms, last_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)");
        this.selectPart = session.prepare("SELECT series_id, labels, first_ms, last_ms FROM " + keyspace + ".series_keys"
                + " WHERE shard = ? AND part = ?");
    }

    public static int partOf(long seriesHash) {
        return (int) Math.floorMod(seriesHash, (long) PARTS);
    }

    public CompletableFuture<Void> write(int shard, List<SeriesKey> entries) {
        Map<Integer, List<SeriesKey>> byPart = new TreeMap<>();
        for (SeriesKey e : entries) {
            byPart.computeIfAbsent(partOf(e.labels().hash()), k -> new ArrayList<>()).add(e);
        }
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (Map.Entry<Integer, List<SeriesKey>> p : byPart.entrySet()) {
            List<SeriesKey> list = p.getValue();
            for (int from = 0; from < list.size(); from += MAX_ROWS_PER_BATCH) {
                BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED).setIdempotence(true)
                        .setConsistencyLevel(consistency.write());
                for (SeriesKey e : list.subList(from, Math.min(list.size(), from + MAX_ROWS_PER_BATCH))) {
                    batch.addStatement(upsert.bind(shard, p.getKey(), e.labels().hash(), e.seriesId(),
                            LabelsBlob.encode(e.labels()), e.firstSampleMs(), e.lastSampleMs()));
                }
                pending.add(session.executeAsync(batch.build()).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    /** Streams every series of the shard (paged; memory use independent of the shard's size). */
    @Override
    public void forEach(int shard, Consumer<SeriesKey> action) {
        for (int part = 0; part < PARTS; part++) {
            for (Row row : session.execute(selectPart.bind(shard, part).setPageSize(5000).setConsistencyLevel(consistency.read()))) {
                action.accept(new SeriesKey(row.getInt(0), LabelsBlob.decode(row.getByteBuffer(1)), row.getLong(2), row.getLong(3)));
            }
        }
    }
}

package dev.strata.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.strata.store.model.MetricMetadata;
import dev.strata.store.model.XxHash64;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code metric_metadata} table: the distinct (type, unit, help) entries of each metric family,
 * with when each was last received ({@code updated_ms}). One partition per metric; the clustering key
 * {@code entry} is {@link #entryKey} of (type, unit, help), so the same entry always lands on the same
 * row (writes, retries and replays overwrite). Written by the shards' flushes before their
 * checkpoints; read by the {@code /api/v1/metadata} of every node (the table is the cluster's answer).
 * Thread safe.
 */
public final class MetricMetadataTable {
    private final CqlSession session;
    private final PreparedStatement upsert;
    private final PreparedStatement selectAll;
    private final PreparedStatement selectMetric;
    private final Consistency consistency;

    /** A stored row: the entry and when it was last received (ms). */
    public record Stored(MetricMetadata metadata, long updatedMs) {}

    public MetricMetadataTable(CqlSession session, String keyspace, Consistency consistency) {
        this.session = session;
        this.consistency = consistency;
        this.upsert = session.prepare("INSERT INTO " + keyspace + ".metric_metadata (metric, entry, type, unit, help, updated_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
        this.selectAll = session.prepare("SELECT metric, type, unit, help, updated_ms FROM " + keyspace + ".metric_metadata");
        this.selectMetric = session.prepare("SELECT metric, type, unit, help, updated_ms FROM " + keyspace
                + ".metric_metadata WHERE metric = ?");
    }

    /** The row key of an entry within its metric: XXH64 of "type \0 unit \0 help" in UTF-8. */
    public static long entryKey(MetricMetadata m) {
        return XxHash64.hash((m.type() + '\0' + m.unit() + '\0' + m.help()).getBytes(StandardCharsets.UTF_8));
    }

    /** Upserts each entry with its receipt time; completes when all writes succeeded (at the write consistency). */
    public CompletableFuture<Void> write(Map<MetricMetadata, Long> entries) {
        List<CompletableFuture<?>> pending = new ArrayList<>(entries.size());
        entries.forEach((m, updated) -> pending.add(session.executeAsync(upsert.bind(m.metric(), entryKey(m), m.type(), m.unit(),
                m.help(), updated).setIdempotent(true).setConsistencyLevel(consistency.write())).toCompletableFuture()));
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    /** Every row, or only {@code metric}'s when it is not empty (paged; the table holds one row per distinct entry). */
    public List<Stored> read(String metric) {
        var stmt = metric.isEmpty() ? selectAll.bind() : selectMetric.bind(metric);
        List<Stored> out = new ArrayList<>();
        for (Row row : session.execute(stmt.setPageSize(5000).setConsistencyLevel(consistency.read()))) {
            out.add(new Stored(new MetricMetadata(row.getString(0), row.getString(1), row.getString(2), row.getString(3)),
                    row.getLong(4)));
        }
        return out;
    }
}

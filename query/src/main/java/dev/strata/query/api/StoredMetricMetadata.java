package dev.strata.query.api;

import dev.strata.store.cassandra.MetricMetadataTable;
import dev.strata.store.model.MetricMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@link MetricMetadataSource} over the cluster-wide {@code metric_metadata} Cassandra table: every
 * node's answer is the same table, so no fan-out to peers is needed. The whole table is read at most
 * once per {@link #CACHE_MS} (the API is asked in bursts, e.g. by Grafana's metric browser) and kept;
 * a request for one metric is answered from that listing.
 *
 * <p>Superseded entries are left out: of a metric's entries, one whose last receipt is more than
 * {@link #SUPERSEDED_MS} older than the metric's newest is one its senders no longer send (a help text
 * that changed). Senders that keep sending an entry refresh it at least hourly (the ingest side writes
 * identical repeats again once an hour), so entries still sent, even by different senders, all stay.
 * A metric's only entry is always listed. Thread safe.
 */
public final class StoredMetricMetadata implements MetricMetadataSource {
    /** How long one read of the table answers requests: metadata changes rarely, and flushes land it seconds late anyway. */
    static final long CACHE_MS = 5_000;
    /** Twice the ingest side's refresh interval of identical entries (one hour), see the class comment. */
    static final long SUPERSEDED_MS = 2 * 3_600_000L;

    private final Supplier<List<MetricMetadataTable.Stored>> readAll;
    private final LongSupplier clockMs;
    private List<MetricMetadataTable.Stored> cached;
    private long cachedAtMs;

    /**
     * @param readAll every row of the table; null while Cassandra is not connected (the API then
     *                answers {@code unavailable}); may throw when the read fails
     */
    StoredMetricMetadata(Supplier<List<MetricMetadataTable.Stored>> readAll, LongSupplier clockMs) {
        this.readAll = readAll;
        this.clockMs = clockMs;
    }

    /** Over {@code table}, which is null until the node's Cassandra schema is ready. */
    public static StoredMetricMetadata of(Supplier<MetricMetadataTable> table, LongSupplier clockMs) {
        return new StoredMetricMetadata(() -> {
            MetricMetadataTable t = table.get();
            return t == null ? null : t.read("");
        }, clockMs);
    }

    @Override
    public List<MetricMetadata> read(String metric) {
        Map<String, Long> newest = new HashMap<>();
        List<MetricMetadataTable.Stored> rows = rows();
        for (MetricMetadataTable.Stored r : rows) newest.merge(r.metadata().metric(), r.updatedMs(), Math::max);
        List<MetricMetadata> out = new ArrayList<>();
        for (MetricMetadataTable.Stored r : rows) {
            if (!metric.isEmpty() && !metric.equals(r.metadata().metric())) continue;
            if (r.updatedMs() < newest.get(r.metadata().metric()) - SUPERSEDED_MS) continue;
            out.add(r.metadata());
        }
        return out;
    }

    private synchronized List<MetricMetadataTable.Stored> rows() {
        long now = clockMs.getAsLong();
        if (cached != null && now - cachedAtMs < CACHE_MS) return cached;
        List<MetricMetadataTable.Stored> rows;
        try {
            rows = readAll.get();
        } catch (RuntimeException e) {
            throw new ApiException(ErrorType.UNAVAILABLE, "cannot read metric metadata from Cassandra: " + e.getMessage(), e);
        }
        if (rows == null) throw new ApiException(ErrorType.UNAVAILABLE, "metric metadata is unavailable: Cassandra is not connected yet");
        cached = List.copyOf(rows);
        cachedAtMs = now;
        return cached;
    }
}

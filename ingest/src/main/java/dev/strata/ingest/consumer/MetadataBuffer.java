package dev.strata.ingest.consumer;

import dev.strata.store.model.MetricMetadata;
import java.util.HashMap;
import java.util.Map;

/**
 * A shard's metric metadata between its Kafka records and Cassandra: the consumer {@link #offer}s each
 * entry of a metadata record; the flusher takes the {@link #pending} ones, writes them, and reports
 * them {@link #written} before it writes any checkpoint (so a checkpoint never passes a metadata
 * record whose entries are not durable). Entries written recently are not offered again: Prometheus
 * re-sends all metadata every minute, and those repeats must not each cost a Cassandra write.
 *
 * <p>Thread safe (the consumer thread offers, the flush thread drains); all methods are short.
 */
public final class MetadataBuffer {
    /**
     * An identical entry is written again once this long after its last write (the row's
     * {@code updated_ms} then says it is still sent, within the hour).
     */
    static final long REFRESH_MS = 3_600_000L;
    /**
     * Entries remembered as written, at most; beyond it the memory is dropped (repeats are then written
     * once more). Bounds the memory a sender with ever-changing help texts can take.
     */
    static final int MAX_REMEMBERED = 100_000;

    private final Map<MetricMetadata, Long> pending = new HashMap<>();
    private final Map<MetricMetadata, Long> written = new HashMap<>();

    /**
     * Records that {@code m} was received at {@code receivedMs}; false when it needs no write (written
     * less than {@link #REFRESH_MS} before, or later than this receipt).
     */
    public synchronized boolean offer(MetricMetadata m, long receivedMs) {
        Long w = written.get(m);
        if (w != null && receivedMs - w < REFRESH_MS) return false;
        pending.merge(m, receivedMs, Math::max);
        return true;
    }

    /** A copy of the entries waiting to be written, with their latest receipt time. */
    public synchronized Map<MetricMetadata, Long> pending() {
        return new HashMap<>(pending);
    }

    /** The entries of {@code done} (a {@link #pending} copy) are durable; ones offered again meanwhile stay pending. */
    public synchronized void written(Map<MetricMetadata, Long> done) {
        if (written.size() + done.size() > MAX_REMEMBERED) written.clear();
        done.forEach((m, t) -> {
            written.merge(m, t, Math::max);
            pending.remove(m, t);
        });
    }

    /** Entries waiting to be written (status, tests). */
    public synchronized int pendingCount() {
        return pending.size();
    }
}

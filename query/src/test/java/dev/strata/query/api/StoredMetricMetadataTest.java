package dev.strata.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strata.store.cassandra.MetricMetadataTable.Stored;
import dev.strata.store.model.MetricMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The table-backed source: superseded entries left out, one table read per cache period, errors as {@code unavailable}. */
class StoredMetricMetadataTest {
    private static final long H = 3_600_000L;
    private final MetricMetadata current = new MetricMetadata("req_total", "counter", "", "Requests.");
    private final MetricMetadata old = new MetricMetadata("req_total", "counter", "", "Requests (old help).");
    private final MetricMetadata otherSender = new MetricMetadata("req_total", "counter", "", "Requests, says another sender.");
    private final MetricMetadata lonely = new MetricMetadata("rarely_sent", "gauge", "", "Sent once, long ago.");

    @Test
    void supersededEntriesAreLeftOutAndOnlyEntriesStay() {
        long now = 100 * H;
        List<Stored> rows = List.of(new Stored(current, now), new Stored(old, now - 2 * H - 1), new Stored(otherSender, now - H),
                new Stored(lonely, 1));
        StoredMetricMetadata s = new StoredMetricMetadata(() -> rows, () -> now);
        assertEquals(List.of(current, otherSender, lonely), s.read(""));
        assertEquals(List.of(current, otherSender), s.read("req_total"));
        assertEquals(List.of(lonely), s.read("rarely_sent"));
        assertEquals(List.of(), s.read("absent"));
    }

    @Test
    void oneTableReadPerCachePeriod() {
        AtomicInteger reads = new AtomicInteger();
        AtomicLong clock = new AtomicLong(1_000_000);
        List<Stored> rows = new ArrayList<>(List.of(new Stored(current, 1)));
        StoredMetricMetadata s = new StoredMetricMetadata(() -> {
            reads.incrementAndGet();
            return List.copyOf(rows);
        }, clock::get);
        s.read("");
        s.read("req_total");
        rows.add(new Stored(lonely, 1));
        clock.addAndGet(StoredMetricMetadata.CACHE_MS - 1);
        assertEquals(List.of(current), s.read(""), "still the cached listing");
        assertEquals(1, reads.get());
        clock.addAndGet(1);
        assertEquals(List.of(current, lonely), s.read(""));
        assertEquals(2, reads.get());
    }

    @Test
    void notConnectedOrFailingIsUnavailable() {
        AtomicReference<List<Stored>> rows = new AtomicReference<>();
        StoredMetricMetadata s = new StoredMetricMetadata(rows::get, () -> 0L);
        ApiException e = assertThrows(ApiException.class, () -> s.read(""));
        assertEquals(ErrorType.UNAVAILABLE, e.type());
        assertEquals("metric metadata is unavailable: Cassandra is not connected yet", e.getMessage());
        StoredMetricMetadata failing = new StoredMetricMetadata(() -> {
            throw new IllegalStateException("no host available");
        }, () -> 0L);
        e = assertThrows(ApiException.class, () -> failing.read("up"));
        assertEquals("cannot read metric metadata from Cassandra: no host available", e.getMessage());
        rows.set(List.of(new Stored(current, 5)));
        assertEquals(List.of(current), s.read(""), "answers once connected (a failure is not cached)");
    }
}

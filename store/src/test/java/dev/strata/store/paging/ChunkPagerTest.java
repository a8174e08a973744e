package dev.strata.store.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.SampleIterator;
import dev.strata.store.cassandra.ChunkRow;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.memstore.SealedChunk;
import dev.strata.store.model.Labels;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Paging from a stand-in storage (chunks a full copy of the series cut), and keeping what was paged. */
class ChunkPagerTest {
    private static final long MIN = 60_000;
    private static final Labels LABELS = Labels.of("__name__", "m");
    private static final MemShardOptions OPTIONS = MemShardOptions.defaults().withChunking(10 * MIN, 480).withOutOfOrderWindowMs(MIN);

    /** Storage: the chunks of the whole series [0, 120 min) at 15 s, counting reads. */
    private final List<ChunkRow> stored = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final ChunkSource source = (shard, hash, from, to) -> {
        reads.incrementAndGet();
        List<ChunkRow> out = new ArrayList<>();
        for (ChunkRow r : stored) if (r.endMs() >= from && r.startMs() <= to) out.add(r);
        return CompletableFuture.completedFuture(out);
    };

    ChunkPagerTest() {
        MemShard full = new MemShard(0, OPTIONS);
        full.createSeries(0, LABELS);
        for (long t = 0; t < 120 * MIN; t += 15_000) full.append(0, t, t / 1000.0);
        full.sealAll();
        for (SealedChunk c : full.chunks(0)) {
            stored.add(new ChunkRow(LABELS.hash(), c.minT(), c.maxT(), c.count(), ByteBuffer.wrap(c.bytes())));
        }
    }

    /** A shard whose memory holds the series from 60 min on (older chunks were evicted). */
    private static MemShard recentOnly(long budgetBytes) {
        MemShard m = new MemShard(0, OPTIONS.withMemoryBudgetBytes(budgetBytes));
        m.createSeries(0, LABELS);
        for (long t = 60 * MIN; t < 120 * MIN; t += 15_000) m.append(0, t, t / 1000.0);
        return m;
    }

    private static List<Long> read(ChunkPager pager, long from, long to) {
        return read(pager, 0, from, to);
    }

    private static List<Long> read(ChunkPager pager, long firstSampleMs, long from, long to) {
        SampleIterator it = pager.iterator(0, LABELS, firstSampleMs, from, to, new PageBudget(1_000, 1L << 30));
        List<Long> ts = new ArrayList<>();
        while (it.next()) {
            assertEquals(it.timestamp() / 1000.0, it.value());
            ts.add(it.timestamp());
        }
        return ts;
    }

    private static List<Long> expected(long from, long to) {
        List<Long> ts = new ArrayList<>();
        for (long t = 0; t < 120 * MIN; t += 15_000) if (t >= from && t <= to) ts.add(t);
        return ts;
    }

    @Test
    void aRepeatedReadOfAnOldRangeIsServedFromMemory() {
        MemShard memory = recentOnly(1L << 30);
        ChunkPager pager = new ChunkPager(0, memory, source, 2, Duration.ofSeconds(5), 1 << 20);
        assertEquals(expected(0, 100 * MIN), read(pager, 0, 100 * MIN));
        assertEquals(1, reads.get());
        assertTrue(pager.cachedBytes() > 0);
        assertEquals(expected(0, 100 * MIN), read(pager, 0, 100 * MIN));
        assertEquals(expected(20 * MIN, 30 * MIN), read(pager, 20 * MIN, 30 * MIN)); // a sub-range
        assertEquals(1, reads.get(), "later reads within the cached range must not go to storage");
        assertEquals(2, pager.cacheHits());
        assertEquals(1, pager.cacheMisses());
        assertEquals(memory.usedBytes() - usedWithoutCache(), pager.cachedBytes(), "the cache is charged to the shard's budget");
    }

    @Test
    void whenMemoryMovesItsOldestSampleTheCachedRangeIsReadAgain() {
        MemShard memory = recentOnly(1L << 30);
        ChunkPager pager = new ChunkPager(0, memory, source, 2, Duration.ofSeconds(5), 1 << 20);
        read(pager, 0, 100 * MIN);
        memory.sealAll();
        for (SealedChunk c : memory.chunks(0)) memory.markPersisted(0, c);
        assertTrue(memory.evictPersistedOlderThan(80 * MIN) > 0);
        assertEquals(expected(0, 100 * MIN), read(pager, 0, 100 * MIN));
        assertEquals(2, reads.get(), "the range between the old and the new oldest sample is only in storage");
    }

    /**
     * The first query after a load (issue 18): a series the index has just created (new, so nothing of it
     * is in storage) is answered from memory alone, even for a range that starts before its first sample
     * (every dashboard query's range plus lookback does); before, each such series cost a storage round
     * trip, one after the other, on the first query. Once memory no longer holds it whole, storage is read.
     */
    @Test
    void aSeriesMemoryHoldsWholeIsNeverReadFromStorage() {
        MemShard memory = new MemShard(0, OPTIONS);
        memory.createSeries(0, LABELS, true);
        for (long t = 60 * MIN; t < 120 * MIN; t += 15_000) memory.append(0, t, t / 1000.0);
        ChunkPager pager = new ChunkPager(0, memory, source, 2, Duration.ofSeconds(5), 1 << 20);
        assertTrue(memory.holdsEverySample(0));
        assertEquals(expected(60 * MIN, 100 * MIN), read(pager, 60 * MIN, 0, 100 * MIN));
        assertEquals(0, reads.get(), "memory holds the whole series: storage has nothing more");

        memory.markStoredElsewhere(0); // a replay skipped some of its samples as durable
        assertFalse(memory.holdsEverySample(0));
        assertEquals(expected(59 * MIN, 100 * MIN), read(pager, 60 * MIN, 0, 100 * MIN), "storage is read from one out-of-order window before");
        assertEquals(1, reads.get());
    }

    @Test
    void evictingAChunkOfAWholeSeriesSendsReadsToStorage() {
        MemShard memory = new MemShard(0, OPTIONS);
        memory.createSeries(0, LABELS, true);
        for (long t = 60 * MIN; t < 120 * MIN; t += 15_000) memory.append(0, t, t / 1000.0);
        memory.sealAll();
        for (SealedChunk c : memory.chunks(0)) memory.markPersisted(0, c);
        assertTrue(memory.evictPersistedOlderThan(80 * MIN) > 0);
        assertFalse(memory.holdsEverySample(0));
        ChunkPager pager = new ChunkPager(0, memory, source, 2, Duration.ofSeconds(5), 1 << 20);
        assertEquals(expected(59 * MIN, 100 * MIN), read(pager, 60 * MIN, 0, 100 * MIN));
        assertEquals(1, reads.get());
    }

    @Test
    void aSeriesNotCreatedNewIsReadFromStorage() {
        MemShard memory = recentOnly(1L << 30); // createSeries(id, labels): storage may hold older samples
        assertFalse(memory.holdsEverySample(0));
        ChunkPager pager = new ChunkPager(0, memory, source, 2, Duration.ofSeconds(5), 1 << 20);
        assertEquals(expected(59 * MIN, 100 * MIN), read(pager, 60 * MIN, 0, 100 * MIN));
        assertEquals(1, reads.get());
    }

    @Test
    void aShardWithoutRoomToSpareKeepsNothingButStillAnswers() {
        MemShard memory = recentOnly(1L << 30);
        long used = memory.usedBytes();
        MemShard tight = recentOnly(used * 10 / 9 + 100); // 90% of the budget is about what the series use
        ChunkPager pager = new ChunkPager(0, tight, source, 2, Duration.ofSeconds(5), 1 << 20);
        assertEquals(expected(0, 100 * MIN), read(pager, 0, 100 * MIN));
        assertEquals(expected(0, 100 * MIN), read(pager, 0, 100 * MIN));
        assertEquals(2, reads.get());
        assertEquals(0, pager.cachedBytes());
        assertEquals(used, tight.usedBytes());
    }

    @Test
    void theCacheIsGivenBackFirstWhenTheShardRunsShort() {
        long budget = 256 * 1024;
        MemShard memory = recentOnly(budget);
        ChunkPager pager = new ChunkPager(0, memory, source, 2, Duration.ofSeconds(5), 1 << 20);
        read(pager, 0, 100 * MIN);
        long cached = pager.cachedBytes();
        assertTrue(cached > 0);
        // New series until the shard passes its budget: the shard reclaims the cache before anything else.
        int id = 1;
        while (memory.usedBytes() <= budget - 1000) {
            memory.createSeries(id, Labels.of("__name__", "m", "i", Integer.toString(id)));
            memory.append(id, 120 * MIN, 1);
            id++;
        }
        for (int i = 0; i < 200 && pager.cachedBytes() == cached; i++) {
            memory.createSeries(id, Labels.of("__name__", "m", "i", Integer.toString(id)));
            memory.append(id, 120 * MIN, 1);
            id++;
        }
        assertTrue(pager.cachedBytes() < cached, "cache kept " + pager.cachedBytes() + " of " + cached + " bytes at "
                + memory.usedBytes() + " of " + budget);
        assertEquals(0, pager.cachedBytes(), "reclaiming down to 90% of the budget empties this small cache");
        assertEquals(expected(0, 100 * MIN), read(pager, 0, 100 * MIN), "still answers after giving the cache back");
    }

    @Test
    void cacheSizeZeroKeepsNothing() {
        MemShard memory = recentOnly(1L << 30);
        ChunkPager pager = new ChunkPager(0, memory, source, 2, Duration.ofSeconds(5), 0);
        read(pager, 0, 100 * MIN);
        read(pager, 0, 100 * MIN);
        assertEquals(2, reads.get());
        assertEquals(0, pager.cachedBytes());
    }

    private static long usedWithoutCache() {
        return recentOnly(1L << 30).usedBytes();
    }
}

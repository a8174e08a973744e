package dev.strata.store.memstore;

import static dev.strata.store.memstore.MemShardTest.T0;
import static dev.strata.store.memstore.MemShardTest.drain;
import static dev.strata.store.memstore.MemShardTest.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.cassandra.ChunkRow;
import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.paging.ChunkPager;
import dev.strata.store.paging.ChunkSource;
import dev.strata.store.paging.PageBudget;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A shard whose budget fills with write buffers (samples inside a long out-of-order window, which no
 * frozen rule seals): before the early cut it stayed paused forever, since no flush could free a
 * buffer. Now it cuts its buffers into chunks, which a flush persists and eviction frees, and
 * samples arriving later in the out-of-order window, behind the cut, are still stored and read once.
 */
class MemShardEarlyCutTest {
    private static final int SERIES = 50;
    private static final long STEP = 1_000;
    /** 2 h windows, 480 samples per chunk, a 3 h out-of-order window (nothing is ever frozen here), 64 KiB. */
    private static final MemShardOptions OPTIONS = new MemShardOptions(7_200_000L, 480, 3 * 3_600_000L, 600_000L, 64 << 10,
            MemShardOptions.IDLE_SERIES_MS);

    private final long seed = Long.getLong("seed", System.nanoTime());

    /** Storage as the flush writes it: rows keyed (series, start, epoch), the higher version winning. */
    private static final class Storage {
        record Key(int series, long start, long since) {}
        record Row(long version, byte[] bytes) {}
        final Map<Key, Row> rows = new HashMap<>();
        final ChunkWriter encoder = new ChunkWriter();
        final ByteArrayBuilder scratch = new ByteArrayBuilder(4096);

        /** One flush of every series: writes rows, then marks the sealed chunks persisted (checkpoint). */
        void flush(MemShard shard) {
            for (int id = 0; id < SERIES; id++) {
                FlushSnapshot snap = shard.snapshotForFlush(id, encoder, scratch);
                for (List<FlushSnapshot.VersionedChunk> list : List.of(snap.sealed(), snap.buffered())) {
                    for (FlushSnapshot.VersionedChunk vc : list) {
                        rows.merge(new Key(id, vc.chunk().minT(), vc.sinceOffset()), new Row(vc.version(), vc.chunk().bytes()),
                                (a, b) -> b.version >= a.version ? b : a);
                    }
                }
                for (FlushSnapshot.VersionedChunk vc : snap.sealed()) shard.markPersisted(id, vc.chunk());
            }
        }

        /** Through the pager, as queries read: memory, and the rows of the series in start order when memory does not reach back. */
        List<long[]> read(MemShard shard, int id) {
            ChunkSource source = (shardId, hash, from, to) -> {
                List<ChunkRow> out = new ArrayList<>();
                rows.forEach((k, r) -> {
                    if (k.series == id) out.add(new ChunkRow(hash, k.start, k.start, 0, ByteBuffer.wrap(r.bytes), r.version));
                });
                out.sort(java.util.Comparator.comparingLong(ChunkRow::startMs));
                return CompletableFuture.completedFuture(out);
            };
            ChunkPager pager = new ChunkPager(0, shard, source, 1, Duration.ofSeconds(10), 0);
            return drain(pager.iterator(id, shard.labels(id), T0, Long.MIN_VALUE, Long.MAX_VALUE, new PageBudget(1_000_000, 1L << 30)));
        }
    }

    @Test
    void aBudgetFullOfWriteBuffersIsCutEarlyAndDrainsOnceFlushesWork() {
        System.err.println("MemShardEarlyCutTest seed=" + seed);
        Random rnd = new Random(seed);
        MemShard shard = new MemShard(0, OPTIONS);
        for (int i = 0; i < SERIES; i++) shard.createSeries(i, labels(i));
        List<TreeMap<Long, Long>> expected = new ArrayList<>();
        for (int i = 0; i < SERIES; i++) expected.add(new TreeMap<>());
        Storage storage = new Storage();
        long offset = -1;
        int step = 0;
        // Storage down: append (one "record" per step) while the shard does not ask to pause.
        while (!shard.needsBackpressure(offset)) {
            appendStep(shard, expected, rnd, step++);
            offset++;
            assertTrue(step < 20_000, "64 KiB never filled; seed=" + seed);
        }
        assertEquals(1, shard.earlyCutCount(), "the buffers were cut once the budget filled with them; seed=" + seed);
        for (int i = 0; i < SERIES; i++) {
            assertTrue(shard.unpersistedChunks(i).size() > 0, "series " + i + " has chunks a flush can persist");
            for (SealedChunk c : shard.unpersistedChunks(i)) assertEquals(-1, c.sinceOffset(), "the first generation's chunks");
        }
        // Still down: paused for as long as nothing is flushed (a paused shard appends nothing, cuts nothing).
        for (int k = 0; k < 5; k++) {
            if (!shard.needsBackpressure(offset)) {
                appendStep(shard, expected, rnd, step++);
                offset++;
            }
        }
        assertTrue(shard.needsBackpressure(offset), "paused while storage is down; seed=" + seed);
        // Storage back: each flush lets the shard go on; it drains instead of staying paused.
        int flushes = 0;
        int target = 3 * step; // three times what filled the budget: several cuts, flushes and evictions
        for (int appended = 0; appended < target; ) {
            if (shard.needsBackpressure(offset)) {
                storage.flush(shard);
                flushes++;
                assertTrue(flushes < 1000, "the shard stays paused though every flush succeeds; seed=" + seed);
                continue;
            }
            appendStep(shard, expected, rnd, step++);
            offset++;
            appended++;
        }
        assertTrue(shard.earlyCutCount() > 1, "cut again each time the buffers filled the budget");
        // Late samples behind the cut chunks (inside the out-of-order window) and a re-sent step (duplicates).
        long newest = T0 + STEP * (step - 1);
        for (int i = 0; i < SERIES; i++) {
            long t = newest - 40 * 60_000L + 7 + i;
            assertEquals(AppendResult.APPENDED, shard.append(i, t, -i), "late sample behind an early-cut chunk, series " + i);
            expected.get(i).put(t, Double.doubleToRawLongBits(-i));
            long again = T0 + STEP * (step - 30);
            shard.append(i, again, Double.longBitsToDouble(expected.get(i).get(again)));
        }
        shard.cutEarly(++offset); // a cut right behind them: the late samples' chunks overlap the earlier ones
        for (int i = 0; i < SERIES; i++) {
            assertEquals(expected.get(i), toMap(storage.read(shard, i)), "memory and storage merged, series " + i + "; seed=" + seed);
        }
        storage.flush(shard);
        shard.evictPersistedOlderThan(Long.MAX_VALUE);
        for (int i = 0; i < SERIES; i++) {
            assertTrue(shard.unpersistedChunks(i).isEmpty());
            assertEquals(expected.get(i), toMap(storage.read(shard, i)), "storage alone, series " + i + "; seed=" + seed);
        }
        // after every chunk was evicted, a late sample behind them is still open (not "already persisted")
        long late = newest - 20 * 60_000L + 3;
        assertEquals(AppendResult.APPENDED, shard.append(0, late, 42));
        expected.get(0).put(late, Double.doubleToRawLongBits(42));
        assertEquals(expected.get(0), toMap(storage.read(shard, 0)));
        System.err.printf("MemShardEarlyCutTest: %d steps, %d early cuts, %d flushes, %d rows%n", step, shard.earlyCutCount(), flushes,
                storage.rows.size());
    }

    @Test
    void overlappingGenerationsReadMergedWithTheFirstWriteWinning() {
        MemShard shard = new MemShard(0, OPTIONS);
        shard.createSeries(0, labels(0));
        for (int k = 0; k < 10; k++) shard.append(0, T0 + k * STEP, k);
        shard.cutEarly(0);
        assertEquals(AppendResult.APPENDED, shard.append(0, T0 + 4 * STEP + 1, 100), "behind the cut, inside the window");
        assertEquals(AppendResult.APPENDED, shard.append(0, T0 + 3 * STEP, 999), "a conflict the cut chunk hides from the buffer");
        shard.append(0, T0 + 20 * STEP, 20);
        List<long[]> read = drain(shard.iterator(0, Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(12, read.size());
        assertEquals(3.0, Double.longBitsToDouble(read.get(3)[1]), "the chunk sealed first (the first write) wins the tie");
        assertEquals(100.0, Double.longBitsToDouble(read.get(5)[1]));
        assertEquals(T0, shard.firstInMemoryTimestamp(0));
        List<long[]> window = drain(shard.iterator(0, T0 + 4 * STEP, T0 + 5 * STEP));
        assertEquals(3, window.size(), "bounds apply to every generation");
    }

    @Test
    void noCutWhileAFlushCanStillFreeMemory() {
        MemShard shard = new MemShard(0, OPTIONS.withOutOfOrderWindowMs(0).withChunking(7_200_000L, 8));
        for (int i = 0; i < SERIES; i++) shard.createSeries(i, labels(i));
        Random rnd = new Random(seed);
        long offset = -1;
        int step = 0;
        List<TreeMap<Long, Long>> expected = new ArrayList<>();
        for (int i = 0; i < SERIES; i++) expected.add(new TreeMap<>());
        while (!shard.needsBackpressure(offset)) {
            appendStep(shard, expected, rnd, step++);
            offset++;
        }
        assertEquals(0, shard.earlyCutCount(), "sealed chunks wait for a flush: cutting the buffers would only make small chunks");
        assertFalse(shard.unpersistedChunks(0).isEmpty());
    }

    private static void appendStep(MemShard shard, List<TreeMap<Long, Long>> expected, Random rnd, int step) {
        long t = T0 + STEP * step;
        for (int i = 0; i < SERIES; i++) {
            double v = rnd.nextInt(1_000_000) / 100.0;
            assertEquals(AppendResult.APPENDED, shard.append(i, t, v));
            expected.get(i).put(t, Double.doubleToRawLongBits(v));
        }
    }

    private static TreeMap<Long, Long> toMap(List<long[]> samples) {
        TreeMap<Long, Long> m = new TreeMap<>();
        for (long[] s : samples) m.put(s[0], s[1]);
        return m;
    }
}

package dev.strata.store.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.SampleIterator;
import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkReader;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.encoding.HistogramChunkFormat;
import dev.strata.store.encoding.HistogramChunkReader;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.tools.HistogramSamples;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Native histogram samples in the memstore: appends (in order, out of order within the window,
 * duplicates, conflicts), series mixing float and histogram samples over time, chunk cuts at kind
 * and layout changes, reads through the iterator and through flush snapshots stored by chunk key.
 */
class MemShardHistogramTest {
    private static final long MIN = 60_000L;

    private static FloatHistogram h(double count, int offset) {
        return new FloatHistogram(ResetHint.NO, 1, 0, 0, count, count * 2, new int[] {offset}, new int[] {1}, new double[] {count}, null, null, null, null);
    }

    @Test
    void appendsReadsDuplicatesConflictsAndKindChanges() {
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withChunking(10 * MIN, 100).withOutOfOrderWindowMs(MIN));
        shard.createSeries(0, Labels.of("__name__", "x"));
        assertEquals(AppendResult.APPENDED, shard.append(0, 1000, 0, h(1, 0)));
        assertEquals(AppendResult.APPENDED, shard.append(0, 3000, 0, h(3, 0)));
        assertEquals(AppendResult.APPENDED, shard.append(0, 2000, 0, h(2, 0))); // out of order, in the window
        assertEquals(AppendResult.DUPLICATE, shard.append(0, 2000, 0, h(2, 0)));
        assertEquals(AppendResult.CONFLICT, shard.append(0, 2000, 0, h(5, 0)));
        assertEquals(AppendResult.CONFLICT, shard.append(0, 2000, 7.0));
        assertEquals(AppendResult.APPENDED, shard.append(0, 4000, 4.0)); // the series turns float
        assertEquals(AppendResult.CONFLICT, shard.append(0, 4000, 0, h(4, 0)));
        assertEquals(AppendResult.APPENDED, shard.append(0, 5000, 0, h(5, 1))); // and histogram again, another layout
        SampleIterator it = shard.iterator(0, 0, Long.MAX_VALUE);
        Object[] expect = {h(1, 0), h(2, 0), h(3, 0), 4.0, h(5, 1)};
        for (Object e : expect) {
            assertTrue(it.next());
            if (e instanceof FloatHistogram fh) assertEquals(fh, it.histogram());
            else {
                assertNull(it.histogram());
                assertEquals((Double) e, it.value());
            }
        }
        shard.sealAll();
        List<SealedChunk> chunks = shard.chunks(0);
        assertEquals(3, chunks.size(), "cut at each change of kind or layout: " + chunks);
        assertTrue(HistogramChunkFormat.isHistogramChunk(chunks.get(0).bytes(), 0, chunks.get(0).bytes().length));
        assertEquals(3, chunks.get(0).count());
        it = shard.iterator(0, 1500, 4500);
        assertTrue(it.next());
        assertEquals(h(2, 0), it.histogram());
        assertTrue(it.next());
        assertTrue(it.next());
        assertEquals(4.0, it.value());
        assertNull(it.histogram());
        assertTrue(!it.next());
    }

    /** Floats before a histogram, appended out of order, read back in full (as promqltest's functions.test loads them). */
    @Test
    void lateHistogramWritesReachTheResultsCache() {
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withChunking(10 * MIN, 100).withOutOfOrderWindowMs(MIN));
        LateWrites late = new LateWrites();
        shard.lateWrites(late);
        shard.createSeries(0, Labels.of("__name__", "x"));
        assertEquals(AppendResult.APPENDED, shard.append(0, 3000, 0, h(3, 0)));
        late.guard(2500);
        assertEquals(AppendResult.APPENDED, shard.append(0, 4000, 0, h(4, 0)));
        assertEquals(0, late.generation(), "a sample after the guarded time is not late");
        assertEquals(AppendResult.APPENDED, shard.append(0, 2000, 0, h(2, 0)));
        assertEquals(1, late.generation(), "an out-of-order histogram inside a cached range invalidates it, like a float");
        assertEquals(AppendResult.APPENDED, shard.append(0, 1000, 1.0));
        assertEquals(2, late.generation());
    }

    @Test
    void floatsBeforeAHistogramStayReadable() {
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withOutOfOrderWindowMs(Long.MAX_VALUE / 4));
        shard.createSeries(0, Labels.of("__name__", "metric"));
        assertEquals(AppendResult.APPENDED, shard.append(0, 20_000, 0, h(1, 0)));
        assertEquals(AppendResult.APPENDED, shard.append(0, 0, 0, 1.0));
        assertEquals(AppendResult.APPENDED, shard.append(0, 10_000, 0, 1.0));
        SampleIterator it = shard.iterator(0, -300_000, 20_000);
        assertTrue(!it.floatsOnly(), "a histogram is ahead");
        assertTrue(shard.iterator(0, -300_000, 10_000).floatsOnly(), "the range holds floats only");
        assertTrue(it.next());
        assertEquals(0, it.timestamp());
        assertEquals(1.0, it.value());
        assertTrue(it.next());
        assertEquals(10_000, it.timestamp());
        assertTrue(it.next());
        assertEquals(h(1, 0), it.histogram());
        assertTrue(it.floatsOnly(), "nothing ahead");
        assertTrue(!it.next());
        shard.sealAll();
        assertTrue(!shard.iterator(0, 0, 20_000).floatsOnly(), "a sealed histogram chunk is ahead");
        assertTrue(shard.iterator(0, 0, 10_000).floatsOnly(), "only the float chunk is in range");
    }

    /** A row as Cassandra keeps it: the highest version per chunk key. */
    private record Row(long version, byte[] bytes) {}

    @Test
    void storedSnapshotsAlwaysHoldExactlyTheAcceptedMixedSamples() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("seed=" + seed);
        Random random = new Random(seed);
        MemShardOptions options = new MemShardOptions(10 * MIN, 20, 2 * MIN, MIN, 64L << 20, 3_600_000L);
        MemShard shard = new MemShard(0, options);
        shard.createSeries(0, Labels.of("__name__", "x"));
        HistogramSamples gen = new HistogramSamples(random.nextLong(), 2, false);
        TreeMap<Long, Object> accepted = new TreeMap<>();
        Map<Long, Row> store = new HashMap<>();
        ChunkWriter writer = new ChunkWriter();
        ByteArrayBuilder scratch = new ByteArrayBuilder(256);
        long t = 1_000_000_000L;
        boolean floats = false;
        for (int i = 0; i < 3000; i++) {
            t += 5_000 + random.nextInt(20_000);
            long ts = random.nextInt(8) == 0 ? t - random.nextInt((int) (3 * MIN)) : t;
            if (random.nextInt(200) == 0) floats = !floats;
            AppendResult r;
            Object v;
            if (floats) {
                v = (double) random.nextInt(100);
                r = shard.append(0, ts, (Double) v);
            } else {
                FloatHistogram fh = gen.next(random.nextInt(5), ResetHint.values()[random.nextInt(4)]);
                v = fh;
                r = shard.append(0, ts, random.nextInt(3) == 0 ? ts - 5000 : 0, fh);
            }
            if (r == AppendResult.APPENDED) accepted.put(ts, v);
            if (random.nextInt(10) == 0) {
                FlushSnapshot snap = shard.snapshotForFlush(0, writer, scratch);
                for (List<FlushSnapshot.VersionedChunk> list : List.of(snap.sealed(), snap.buffered())) {
                    for (FlushSnapshot.VersionedChunk c : list) {
                        Row old = store.get(c.chunk().minT());
                        if (old == null || old.version() < c.version()) store.put(c.chunk().minT(), new Row(c.version(), c.chunk().bytes()));
                    }
                }
                for (FlushSnapshot.VersionedChunk c : snap.sealed()) shard.markPersisted(0, c.chunk());
                assertEquals(accepted, read(store), "stored rows (seed=" + seed + ")");
            }
        }
        assertEquals(accepted, readIterator(shard.iterator(0, Long.MIN_VALUE, Long.MAX_VALUE)), "seed=" + seed);
        assertTrue(shard.chunks(0).size() > 10, "the run sealed chunks");
    }

    /** The samples of the stored rows: newest row wins a timestamp, as the merged read does. */
    private static TreeMap<Long, Object> read(Map<Long, Row> store) {
        TreeMap<Long, Object> out = new TreeMap<>();
        List<Long> keys = new ArrayList<>(store.keySet());
        keys.sort(null);
        for (long k : keys) {
            byte[] b = store.get(k).bytes();
            if (HistogramChunkFormat.isHistogramChunk(b, 0, b.length)) {
                HistogramChunkReader.Decoded d = new HistogramChunkReader().decode(b, 0, b.length);
                for (int i = 0; i < d.count(); i++) out.putIfAbsent(d.timestamps()[i], d.histograms()[i]);
            } else {
                long[] ts = new long[1 << 12];
                double[] vs = new double[1 << 12];
                int n = new ChunkReader().decode(b, 0, b.length, ts, vs);
                for (int i = 0; i < n; i++) out.putIfAbsent(ts[i], vs[i]);
            }
        }
        return out;
    }

    private static TreeMap<Long, Object> readIterator(SampleIterator it) {
        TreeMap<Long, Object> out = new TreeMap<>();
        while (it.next()) out.put(it.timestamp(), it.histogram() != null ? it.histogram() : (Object) it.value());
        return out;
    }

    @Test
    void sameAppendSequenceGivesTheSameChunks() {
        byte[][] first = null;
        for (int run = 0; run < 2; run++) {
            MemShard shard = new MemShard(0, MemShardOptions.defaults().withChunking(10 * MIN, 30).withOutOfOrderWindowMs(MIN));
            shard.createSeries(0, Labels.of("__name__", "x"));
            HistogramSamples gen = new HistogramSamples(42, 3, true);
            for (int i = 0; i < 500; i++) shard.append(0, 15_000L * i, 0, gen.next(10, ResetHint.NO));
            byte[][] bytes = shard.chunks(0).stream().map(SealedChunk::bytes).toArray(byte[][]::new);
            if (first == null) first = bytes;
            else assertTrue(Arrays.deepEquals(first, bytes));
        }
    }

    /**
     * The budget meter, charged incrementally by appends and seals of float samples (the compressed
     * head) and histogram samples (the side array and its histograms), always equals what the series
     * release when dropped ({@code heapBytes}), through out-of-order inserts, kind changes and seals.
     */
    @Test
    void memoryAccountingMatchesTheSeriesThroughMixedAppendsAndSeals() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("seed=" + seed);
        Random random = new Random(seed);
        MemShard shard = new MemShard(0, new MemShardOptions(10 * MIN, 20, 2 * MIN, MIN, 64L << 20, 3_600_000L));
        int series = 4;
        for (int id = 0; id < series; id++) shard.createSeries(id, Labels.of("__name__", "x", "i", Integer.toString(id)));
        HistogramSamples gen = new HistogramSamples(random.nextLong(), 2, false);
        long t = 1_000_000_000L;
        boolean sawBuffered = false;
        for (int i = 0; i < 4000; i++) {
            t += 1_000 + random.nextInt(10_000);
            int id = random.nextInt(series);
            long ts = random.nextInt(6) == 0 ? t - random.nextInt((int) (2 * MIN)) : t;
            if (random.nextInt(3) == 0) shard.append(id, ts, random.nextInt(50) * 0.5);
            else shard.append(id, ts, random.nextInt(4) == 0 ? ts - 1000 : 0, gen.next(random.nextInt(6), ResetHint.NO));
            if (random.nextInt(500) == 0) shard.sealAll();
            if (i % 50 == 0) {
                long sum = 0;
                for (SeriesState s : shard.seriesArray()) {
                    if (s == null) continue;
                    synchronized (s) {
                        sum += s.heapBytes();
                        sawBuffered |= s.bufferSize() > 0;
                    }
                }
                assertEquals(sum, shard.usedBytes(), "after " + i + " appends (seed=" + seed + ")");
            }
        }
        shard.sealAll();
        long sum = 0;
        for (SeriesState s : shard.seriesArray()) {
            if (s == null) continue;
            assertEquals(0, s.bufferSize());
            sum += s.heapBytes();
        }
        assertEquals(sum, shard.usedBytes(), "after sealing everything (seed=" + seed + ")");
        assertTrue(sawBuffered);
    }
}

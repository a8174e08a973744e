package dev.strata.store.memstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.SampleIterator;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MemShardTest {
    static final long T0 = 1_795_294_290_010L;
    static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);
    private final long seed = Long.getLong("seed", System.nanoTime());

    static Labels labels(int i) {
        return Labels.of("__name__", "m" + (i % 7), "instance", "host-" + i, "job", "node");
    }

    static List<long[]> drain(SampleIterator it) {
        List<long[]> out = new ArrayList<>();
        long prev = Long.MIN_VALUE;
        while (it.next()) {
            assertTrue(it.timestamp() > prev, "ascending: " + prev + " then " + it.timestamp());
            prev = it.timestamp();
            out.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
        }
        return out;
    }

    @Test
    void contractBasics() {
        MemShard shard = new MemShard(3, MemShardOptions.defaults());
        assertFalse(shard.hasSeries(5));
        assertNull(shard.labels(5));
        assertEquals(AppendResult.UNKNOWN_SERIES, shard.append(5, T0, 1));
        shard.createSeries(5, labels(5));
        shard.createSeries(5, labels(5)); // idempotent
        assertThrows(IllegalArgumentException.class, () -> shard.createSeries(5, labels(6)));
        assertTrue(shard.hasSeries(5));
        assertEquals(labels(5), shard.labels(5));
        assertEquals(1, shard.seriesCount());
        assertFalse(shard.iterator(5, Long.MIN_VALUE, Long.MAX_VALUE).next());
    }

    @Test
    void iteratesSealedChunksAndBufferTogetherWithInclusiveBounds() {
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withChunking(3_600_000L, 100).withOutOfOrderWindowMs(0));
        shard.createSeries(0, labels(0));
        int n = 1000;
        for (int i = 0; i < n; i++) assertEquals(AppendResult.APPENDED, shard.append(0, T0 + 15_000L * i, i == 500 ? STALE : i * 0.5));
        assertTrue(shard.chunks(0).size() >= 9, "chunks: " + shard.chunks(0));
        List<long[]> all = drain(shard.iterator(0, Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(n, all.size());
        for (int i = 0; i < n; i++) {
            assertEquals(T0 + 15_000L * i, all.get(i)[0]);
            assertEquals(Double.doubleToRawLongBits(i == 500 ? STALE : i * 0.5), all.get(i)[1]);
        }
        List<long[]> range = drain(shard.iterator(0, T0 + 15_000L * 99, T0 + 15_000L * 901));
        assertEquals(803, range.size());
        assertEquals(T0 + 15_000L * 99, range.get(0)[0]);
        assertEquals(T0 + 15_000L * 901, range.get(802)[0]);
    }

    /**
     * The bulk next(long[], double[], long[], int) yields exactly what next() yields (start timestamps
     * included), for random ranges, destination sizes (smaller and larger than a chunk), with and
     * without a start-timestamp destination, and calls mixed with next().
     */
    @Test
    void bulkReadsMatchSampleBySampleReads() {
        Random rnd = new Random(seed);
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withChunking(3_600_000L, 100).withOutOfOrderWindowMs(0));
        shard.createSeries(0, labels(0));
        int n = 300 + rnd.nextInt(700);
        boolean withSt = rnd.nextBoolean();
        for (int i = 0; i < n; i++) {
            long t = T0 + 15_000L * i;
            double v = i % 50 == 7 ? STALE : rnd.nextInt(1000) * 0.25;
            if (withSt && i >= n / 3) shard.append(0, t, T0 + 15_000L * (n / 3) - 1, v);
            else shard.append(0, t, v);
        }
        if (rnd.nextBoolean()) shard.sealAll();
        for (int round = 0; round < 50; round++) {
            long minT = T0 + 15_000L * (rnd.nextInt(n + 20) - 10) + rnd.nextInt(3) - 1;
            long maxT = minT + 15_000L * rnd.nextInt(n + 10);
            List<long[]> expected = new ArrayList<>();
            SampleIterator single = shard.iterator(0, minT, maxT);
            while (single.next()) {
                expected.add(new long[] {single.timestamp(), Double.doubleToRawLongBits(single.value()), single.startTimestamp()});
            }
            SampleIterator it = shard.iterator(0, minT, maxT);
            long[] ts = new long[1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 600)];
            double[] vs = new double[ts.length];
            long[] sts = rnd.nextBoolean() ? new long[ts.length] : null;
            List<long[]> got = new ArrayList<>();
            while (true) {
                if (rnd.nextInt(4) == 0) {
                    if (!it.next()) break;
                    got.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value()), it.startTimestamp()});
                    continue;
                }
                int off = rnd.nextInt(ts.length);
                int k = it.next(ts, vs, sts, off);
                if (k == 0) break;
                for (int i = 0; i < k; i++) {
                    got.add(new long[] {ts[off + i], Double.doubleToRawLongBits(vs[off + i]), sts == null ? -1 : sts[off + i]});
                }
            }
            String msg = "seed=" + seed + " round=" + round + " minT=" + minT + " maxT=" + maxT + " dst=" + ts.length
                    + " st=" + withSt + "/" + (sts != null);
            assertEquals(expected.size(), got.size(), msg);
            for (int i = 0; i < got.size(); i++) {
                long[] e = expected.get(i), g = got.get(i);
                assertEquals(e[0], g[0], msg + " sample " + i);
                assertEquals(e[1], g[1], msg + " sample " + i);
                if (g[2] != -1) assertEquals(e[2], g[2], msg + " start timestamp of sample " + i);
            }
        }
    }

    @Test
    void outOfOrderWithinWindowIsMergedAndTooOldRejected() {
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withOutOfOrderWindowMs(60_000));
        shard.createSeries(1, labels(1));
        assertEquals(AppendResult.APPENDED, shard.append(1, T0 + 100_000, 3));
        assertEquals(AppendResult.APPENDED, shard.append(1, T0 + 50_000, 2));
        assertEquals(AppendResult.APPENDED, shard.append(1, T0 + 40_000, 1));
        assertEquals(AppendResult.OUT_OF_ORDER_TOO_OLD, shard.append(1, T0 + 39_999, 0));
        assertEquals(AppendResult.APPENDED, shard.append(1, T0 + 120_000, 4));
        List<long[]> s = drain(shard.iterator(1, Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(4, s.size());
        assertEquals(T0 + 40_000, s.get(0)[0]);
        assertEquals(T0 + 120_000, s.get(3)[0]);
        assertEquals(1, shard.tooOldCount());
    }

    @Test
    void duplicatesAreIdempotentAndConflictsKeepTheFirstValue() {
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withChunking(3_600_000L, 10));
        shard.createSeries(0, labels(0));
        for (int i = 0; i < 50; i++) shard.append(0, T0 + 1000L * i, i);
        for (int i = 40; i < 50; i++) assertEquals(AppendResult.DUPLICATE, shard.append(0, T0 + 1000L * i, i));
        assertEquals(AppendResult.CONFLICT, shard.append(0, T0 + 1000L * 49, -1));
        assertEquals(AppendResult.DUPLICATE, shard.append(0, T0 + 1000L * 49, 49));
        assertEquals(AppendResult.APPENDED, shard.append(0, T0 + 1000L * 50, STALE));
        assertEquals(AppendResult.DUPLICATE, shard.append(0, T0 + 1000L * 50, STALE));
        assertEquals(AppendResult.CONFLICT, shard.append(0, T0 + 1000L * 50, Double.NaN));
        List<long[]> s = drain(shard.iterator(0, Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(51, s.size());
        assertEquals(Double.doubleToRawLongBits(49), s.get(49)[1]);
        assertEquals(2, shard.conflictCount());
        assertEquals(12, shard.duplicateCount());
    }

    /** Per-series sample streams: series i gets samples every 15 s with jitter-free timestamps. */
    private static long[][] stream(Random rnd, int series, int samples) {
        long[][] s = new long[series][];
        for (int i = 0; i < series; i++) {
            s[i] = new long[samples];
            long t = T0 + rnd.nextInt(15_000);
            for (int j = 0; j < samples; j++) {
                s[i][j] = t;
                t += 15_000;
            }
        }
        return s;
    }

    private static double valueOf(int series, long t) {
        return series % 3 == 0 ? (t / 1000) % 97 : series % 3 == 1 ? t / 15_000.0 * 0.25 : Math.sin(t);
    }

    private static TreeMap<Integer, List<byte[]>> chunkBytes(MemShard shard, int series) {
        TreeMap<Integer, List<byte[]>> out = new TreeMap<>();
        for (int i = 0; i < series; i++) {
            List<byte[]> l = new ArrayList<>();
            for (SealedChunk c : shard.chunks(i)) l.add(c.bytes());
            out.put(i, l);
        }
        return out;
    }

    @Test
    void chunkBoundariesAreDeterministicAcrossInterleavingAndOutOfOrderArrival() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        int nSeries = 20, nSamples = 2000;
        long[][] s = stream(rnd, nSeries, nSamples);
        MemShardOptions opts = MemShardOptions.defaults().withChunking(3_600_000L, 100).withOutOfOrderWindowMs(120_000);
        TreeMap<Integer, List<byte[]>> reference = null;
        for (int round = 0; round < 4; round++) {
            MemShard shard = new MemShard(0, opts);
            for (int i = 0; i < nSeries; i++) shard.createSeries(i, labels(i));
            // Blocks of up to 16 samples per series; series visited in a random order per block and
            // each block split into random batches: arrival order differs, but series stay within a
            // few scrapes of each other, as one shard's consumer sees them (lag < late-seal grace).
            int block = round == 0 ? 1 : 1 + rnd.nextInt(16);
            for (int from = 0; from < nSamples; from += block) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < nSeries; i++) order.add(i);
                if (round > 0) java.util.Collections.shuffle(order, rnd);
                int to = Math.min(nSamples, from + block);
                for (int i : order) {
                    for (int j = from; j < to; j++) {
                        // rounds 2+: swap neighbours (15 s displacement, inside the 120 s window)
                        if (round >= 2 && j + 1 < to && rnd.nextInt(4) == 0) {
                            assertEquals(AppendResult.APPENDED, shard.append(i, s[i][j + 1], valueOf(i, s[i][j + 1])), "seed=" + seed);
                            assertEquals(AppendResult.APPENDED, shard.append(i, s[i][j], valueOf(i, s[i][j])), "seed=" + seed);
                            j++;
                        } else {
                            assertEquals(AppendResult.APPENDED, shard.append(i, s[i][j], valueOf(i, s[i][j])), "seed=" + seed);
                        }
                    }
                }
            }
            TreeMap<Integer, List<byte[]>> got = chunkBytes(shard, nSeries);
            if (reference == null) {
                reference = got;
                assertTrue(got.get(0).size() >= 15, "expected many sealed chunks, got " + got.get(0).size());
                continue;
            }
            for (int i = 0; i < nSeries; i++) {
                assertEquals(reference.get(i).size(), got.get(i).size(), "chunk count series " + i + " round " + round + " seed=" + seed);
                for (int c = 0; c < got.get(i).size(); c++) {
                    assertArrayEquals(reference.get(i).get(c), got.get(i).get(c), "chunk " + c + " series " + i + " round " + round + " seed=" + seed);
                }
            }
        }
    }

    @Test
    void chunksNeverSpanAnAlignedWindow() {
        MemShardOptions opts = MemShardOptions.defaults();
        MemShard shard = new MemShard(0, opts);
        shard.createSeries(0, labels(0));
        for (int i = 0; i < 3000; i++) shard.append(0, T0 + 10_000L * i, i);
        for (SealedChunk c : shard.chunks(0)) {
            assertEquals(opts.windowStart(c.minT()), opts.windowStart(c.maxT()), c.toString());
            assertTrue(c.count() <= opts.maxSamplesPerChunk());
        }
    }

    @Test
    void evictionNeverLosesUnpersistedSamplesAndBackpressureReleasesAfterPersist() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        MemShardOptions opts = MemShardOptions.defaults().withChunking(3_600_000L, 60).withOutOfOrderWindowMs(0).withMemoryBudgetBytes(64 * 1024);
        MemShard shard = new MemShard(0, opts);
        int nSeries = 30, nSamples = 1500;
        for (int i = 0; i < nSeries; i++) shard.createSeries(i, labels(i));
        boolean sawBackpressure = false;
        for (int j = 0; j < nSamples; j++) {
            for (int i = 0; i < nSeries; i++) assertEquals(AppendResult.APPENDED, shard.append(i, T0 + 15_000L * j, rnd.nextGaussian()));
            sawBackpressure |= shard.needsBackpressure();
        }
        assertTrue(sawBackpressure, "64 KiB cannot hold 45k random samples unpersisted; seed=" + seed);
        // nothing persisted yet: every sample must still be readable
        for (int i = 0; i < nSeries; i++) {
            assertEquals(nSamples, drain(shard.iterator(i, Long.MIN_VALUE, Long.MAX_VALUE)).size(), "series " + i + " seed=" + seed);
        }
        // persist all but the newest chunk of each series, then eviction may drop only those
        List<Long> persistedUpTo = new ArrayList<>();
        for (int i = 0; i < nSeries; i++) {
            List<SealedChunk> cs = shard.unpersistedChunks(i);
            for (int c = 0; c < cs.size() - 1; c++) shard.markPersisted(i, cs.get(c));
            persistedUpTo.add(cs.get(cs.size() - 2).maxT());
        }
        assertFalse(shard.needsBackpressure(), "used " + shard.usedBytes() + " after eviction; seed=" + seed);
        for (int i = 0; i < nSeries; i++) {
            long evicted = shard.evictedUpTo(i);
            assertTrue(evicted <= persistedUpTo.get(i), "evicted unpersisted data: " + evicted + " > " + persistedUpTo.get(i));
            List<long[]> left = drain(shard.iterator(i, Long.MIN_VALUE, Long.MAX_VALUE));
            long expectedFirst = evicted == Long.MIN_VALUE ? T0 : evicted + 15_000;
            assertEquals(expectedFirst, left.get(0)[0], "series " + i);
            assertEquals(T0 + 15_000L * (nSamples - 1), left.get(left.size() - 1)[0]);
            assertEquals((T0 + 15_000L * (nSamples - 1) - expectedFirst) / 15_000 + 1, left.size());
            for (SealedChunk c : shard.unpersistedChunks(i)) assertTrue(c.minT() > persistedUpTo.get(i));
        }
    }

    @Test
    void idleFullyPersistedSeriesAreEvicted() {
        MemShardOptions opts = MemShardOptions.defaults().withChunking(3_600_000L, 1000).withOutOfOrderWindowMs(0)
            .withIdleSeriesMs(2 * 3_600_000L).withMemoryBudgetBytes(1_000);
        MemShard shard = new MemShard(0, opts);
        // 40 series' state alone (~6 KB) exceeds the budget, so eviction must reach every idle series
        for (int i = 0; i < 40; i++) shard.createSeries(i, labels(i));
        for (int i = 0; i < 40; i++) shard.append(i, T0 + i, 1.0); // one sample each, then quiet
        // series 0 keeps going for 12 h; the late-seal sweep cuts the quiet series' chunks
        for (int j = 1; j < 12 * 240; j++) shard.append(0, T0 + 15_000L * j, j);
        for (int i = 1; i < 40; i++) {
            assertEquals(1, shard.chunks(i).size(), "series " + i + " sealed by the sweep");
            assertTrue(shard.hasSeries(i), "unpersisted series must stay");
        }
        for (int i = 1; i < 40; i++) for (SealedChunk c : shard.unpersistedChunks(i)) shard.markPersisted(i, c);
        for (SealedChunk c : shard.unpersistedChunks(0)) shard.markPersisted(0, c);
        shard.append(0, T0 + 15_000L * 12 * 240, 1);
        shard.needsBackpressure();
        assertTrue(shard.evictedSeriesCount() > 0, "idle series evicted");
        assertTrue(shard.hasSeries(0), "active series stays");
        assertEquals(AppendResult.UNKNOWN_SERIES, shard.append(39, T0 + 15_000L * 12 * 240, 1), "evicted series must be re-created by the caller");
    }

    @Test
    void concurrentReaderSeesAscendingConsistentData() throws Exception {
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withChunking(600_000L, 50).withOutOfOrderWindowMs(30_000));
        shard.createSeries(0, labels(0));
        Thread reader = new Thread(() -> {
            for (int r = 0; r < 300; r++) {
                List<long[]> s = drain(shard.iterator(0, Long.MIN_VALUE, Long.MAX_VALUE));
                for (long[] x : s) assertEquals(Double.doubleToRawLongBits((double) ((x[0] - T0) / 1000)), x[1]);
            }
        }, "memshard-test-reader");
        java.util.concurrent.atomic.AtomicReference<Throwable> err = new java.util.concurrent.atomic.AtomicReference<>();
        reader.setUncaughtExceptionHandler((t, e) -> err.set(e));
        reader.start();
        for (int i = 0; i < 20_000; i++) {
            long t = T0 + 1000L * (i % 2 == 0 ? i + 1 : i - 1);
            shard.append(0, t, (double) ((t - T0) / 1000));
        }
        reader.join();
        if (err.get() != null) throw new AssertionError(err.get());
    }

    @Test
    void replayAfterRestoreReproducesTheOriginalChunks() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        MemShardOptions opts = MemShardOptions.defaults().withChunking(3_600_000L, 100).withOutOfOrderWindowMs(60_000);
        int n = 1500;
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = T0 + 10_000L * i;
            vs[i] = rnd.nextInt(1000) / 10.0;
        }
        MemShard original = new MemShard(0, opts);
        original.createSeries(0, labels(0));
        for (int i = 0; i < n; i++) original.append(0, ts[i], vs[i]);
        List<SealedChunk> chunks = original.chunks(0);
        int k = 1 + rnd.nextInt(chunks.size() - 2); // chunks [0, k) were persisted before the crash
        long persistedUpTo = chunks.get(k - 1).maxT();

        MemShard replayed = new MemShard(0, opts);
        replayed.createSeries(0, labels(0));
        replayed.restorePersistedUpTo(0, persistedUpTo);
        int from = Math.max(0, (int) ((persistedUpTo - T0) / 10_000) - rnd.nextInt(300)); // replay starts earlier
        for (int i = from; i < n; i++) {
            AppendResult r = replayed.append(0, ts[i], vs[i]);
            assertEquals(ts[i] <= persistedUpTo ? AppendResult.ALREADY_PERSISTED : AppendResult.APPENDED, r, "sample " + i + " seed=" + seed);
        }
        List<SealedChunk> again = replayed.chunks(0);
        assertEquals(chunks.size() - k, again.size(), "seed=" + seed);
        for (int c = 0; c < again.size(); c++) {
            assertArrayEquals(chunks.get(k + c).bytes(), again.get(c).bytes(), "chunk " + (k + c) + " seed=" + seed);
        }
        assertEquals(persistedUpTo, replayed.evictedUpTo(0));
    }
}

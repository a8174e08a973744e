package dev.strata.store.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.SampleIterator;
import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkHeader;
import dev.strata.store.encoding.ChunkReader;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Per-sample start timestamps through MemShard: buffer, sealed chunks, out-of-order inserts, flush snapshots. */
class MemShardStartTimestampTest {
    private static final long T0 = 1_795_294_290_010L;
    private final long seed = Long.getLong("seed", System.nanoTime());

    private static Labels labels(int i) {
        return Labels.of("__name__", "c_total", "instance", "host-" + i);
    }

    /** Reads (t -> st) from an iterator, checking ascending order. */
    private static TreeMap<Long, Long> read(SampleIterator it) {
        TreeMap<Long, Long> out = new TreeMap<>();
        long prev = Long.MIN_VALUE;
        while (it.next()) {
            assertTrue(it.timestamp() > prev);
            prev = it.timestamp();
            out.put(it.timestamp(), it.startTimestamp());
        }
        return out;
    }

    @Test
    void startTimestampsSurviveSealingAndOutOfOrderInserts() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withChunking(3_600_000L, 50).withOutOfOrderWindowMs(120_000));
        shard.createSeries(0, labels(0)); // no start timestamps at all
        shard.createSeries(1, labels(1)); // cumulative with restarts, some unknown, some out of order
        TreeMap<Long, Long> expected = new TreeMap<>();
        long created = T0 - 60_000;
        List<long[]> pending = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long t = T0 + 15_000L * i;
            assertEquals(AppendResult.APPENDED, shard.append(0, t, i));
            if (rnd.nextInt(100) == 0) created = t - rnd.nextInt(15_000);
            long st = i < 30 || rnd.nextInt(10) == 0 ? 0 : created; // the first samples have none
            if (rnd.nextInt(8) == 0) {
                pending.add(new long[] {t, st}); // arrives a little later
            } else {
                assertEquals(AppendResult.APPENDED, shard.append(1, t, st, i));
            }
            expected.put(t, st);
            // Late samples arrive within half the out-of-order window (older ones would be rejected, rightly).
            while (!pending.isEmpty() && (pending.size() > 3 || pending.get(0)[0] <= t - 60_000 || rnd.nextBoolean())) {
                long[] p = pending.remove(0);
                assertEquals(AppendResult.APPENDED, shard.append(1, p[0], p[1], (p[0] - T0) / 15_000), "seed=" + seed);
            }
        }
        for (long[] p : pending) shard.append(1, p[0], p[1], (p[0] - T0) / 15_000);
        assertTrue(shard.chunks(1).size() > 10, "sealed chunks: " + shard.chunks(1).size());
        assertEquals(expected, read(shard.iterator(1, Long.MIN_VALUE, Long.MAX_VALUE)), "seed=" + seed);
        for (long st : read(shard.iterator(0, Long.MIN_VALUE, Long.MAX_VALUE)).values()) assertEquals(0, st);
        // Chunks of the series without start timestamps carry no column; those with some do.
        for (SealedChunk c : shard.chunks(0)) assertFalse(ChunkHeader.read(c.bytes(), 0, c.bytes().length).hasStartTimestamps());
        assertTrue(shard.chunks(1).stream().skip(1).allMatch(c -> ChunkHeader.read(c.bytes(), 0, c.bytes().length).hasStartTimestamps()));

        // Flush snapshots (sealed + buffer cut into chunks) carry them too.
        FlushSnapshot snap = shard.snapshotForFlush(1, new ChunkWriter(), new ByteArrayBuilder());
        TreeMap<Long, Long> flushed = new TreeMap<>();
        ChunkReader reader = new ChunkReader();
        for (List<FlushSnapshot.VersionedChunk> list : List.of(snap.sealed(), snap.buffered())) {
            for (FlushSnapshot.VersionedChunk vc : list) {
                byte[] b = vc.chunk().bytes();
                ChunkHeader h = ChunkHeader.read(b, 0, b.length);
                long[] t = new long[h.count()];
                long[] st = new long[h.count()];
                reader.decode(b, 0, b.length, h, t, new double[h.count()]);
                reader.decodeStartTimestamps(b, 0, b.length, h, st);
                for (int i = 0; i < t.length; i++) flushed.put(t[i], st[i]);
            }
        }
        assertEquals(expected, flushed, "seed=" + seed);
    }

    @Test
    void memoryAccountingReturnsToTheSameLevelAfterSealing() {
        MemShardOptions o = MemShardOptions.defaults().withChunking(3_600_000L, 100).withOutOfOrderWindowMs(0);
        MemShard plain = new MemShard(0, o);
        MemShard withSt = new MemShard(0, o);
        plain.createSeries(0, labels(0));
        withSt.createSeries(0, labels(0));
        for (int i = 0; i < 1000; i++) {
            long t = T0 + 15_000L * i;
            plain.append(0, t, i);
            withSt.append(0, t, T0 - 1000, i);
        }
        plain.sealAll();
        withSt.sealAll();
        long chunkBytes = 0;
        for (SealedChunk c : withSt.chunks(0)) chunkBytes += c.bytes().length;
        long plainChunkBytes = 0;
        for (SealedChunk c : plain.chunks(0)) plainChunkBytes += c.bytes().length;
        // Buffers are released after sealing: the only difference left is the chunks' ST headers.
        assertEquals(plain.usedBytes() - plainChunkBytes, withSt.usedBytes() - chunkBytes);
    }
}

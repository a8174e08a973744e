package dev.strata.store.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.MergedSampleIterator;
import dev.strata.store.SampleIterator;
import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkReader;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The flush's view of a series: after every snapshot written to a last-write-wins store keyed by
 * chunk start (what Cassandra does with versioned rows), the stored rows hold exactly the samples
 * accepted so far, whatever the out-of-order arrivals and capped cuts.
 */
class FlushSnapshotTest {
    private static final long MIN = 60_000L;

    /** A chunk row: version and bytes, as Cassandra keeps the highest version per key. */
    private record Row(long version, byte[] bytes) {}

    @Test
    void storedSnapshotsAlwaysHoldExactlyTheAcceptedSamples() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random random = new Random(seed);
        MemShardOptions options = new MemShardOptions(10 * MIN, 20, 2 * MIN, MIN, 64L << 20, 3_600_000L);
        MemShard shard = new MemShard(0, options);
        shard.createSeries(0, Labels.of("__name__", "x"));
        TreeMap<Long, Double> accepted = new TreeMap<>();
        Map<Long, Row> store = new HashMap<>();
        ChunkWriter writer = new ChunkWriter();
        ByteArrayBuilder scratch = new ByteArrayBuilder(256);
        long t = 1_000_000_000L;
        int snapshots = 0;
        for (int i = 0; i < 3000; i++) {
            t += 5_000 + random.nextInt(20_000);
            long ts = random.nextInt(8) == 0 ? t - random.nextInt((int) (3 * MIN)) : t; // some late, some too late
            double v = random.nextInt(100);
            if (shard.append(0, ts, v) == AppendResult.APPENDED) accepted.put(ts, v);
            if (random.nextInt(10) == 0) {
                FlushSnapshot snap = shard.snapshotForFlush(0, writer, scratch);
                for (List<FlushSnapshot.VersionedChunk> list : List.of(snap.sealed(), snap.buffered())) {
                    for (FlushSnapshot.VersionedChunk c : list) {
                        Row old = store.get(c.chunk().minT());
                        if (old == null || old.version() < c.version()) store.put(c.chunk().minT(), new Row(c.version(), c.chunk().bytes()));
                        else if (old.version() == c.version()) assertTrue(java.util.Arrays.equals(old.bytes(), c.chunk().bytes()),
                                "same version, same bytes (seed=" + seed + ")");
                    }
                }
                for (FlushSnapshot.VersionedChunk c : snap.sealed()) shard.markPersisted(0, c.chunk());
                snapshots++;
                assertEquals(accepted, read(store), "stored rows after snapshot " + snapshots + " (seed=" + seed + ")");
            }
        }
        assertTrue(shard.chunks(0).size() > 10, "the run sealed chunks");
    }

    @Test
    void memoryRetentionEvictsOnlyPersistedChunksOlderThanTheCutoff() {
        MemShardOptions options = new MemShardOptions(10 * MIN, 1000, 0, 0, 64L << 20, 3_600_000L);
        MemShard shard = new MemShard(0, options);
        shard.createSeries(0, Labels.of("__name__", "x"));
        for (long t = 0; t < 60 * MIN; t += 15_000) shard.append(0, t, 1);
        List<SealedChunk> chunks = shard.chunks(0);
        assertTrue(chunks.size() >= 5);
        shard.markPersisted(0, chunks.get(0));
        shard.markPersisted(0, chunks.get(2)); // not a prefix: stays until chunk 1 is persisted
        long used = shard.usedBytes();
        assertTrue(shard.evictPersistedOlderThan(40 * MIN) > 0);
        assertEquals(chunks.subList(1, chunks.size()), shard.chunks(0));
        assertEquals(10 * MIN, shard.firstInMemoryTimestamp(0));
        assertTrue(shard.usedBytes() < used);
    }

    private static TreeMap<Long, Double> read(Map<Long, Row> store) {
        List<SampleIterator> its = new ArrayList<>();
        ChunkReader reader = new ChunkReader();
        for (Row r : store.values()) {
            long[] ts = new long[4096];
            double[] vs = new double[4096];
            int n = reader.decode(r.bytes(), 0, r.bytes().length, ts, vs);
            its.add(new SampleIterator() {
                int i = -1;
                @Override public boolean next() { return ++i < n; }
                @Override public long timestamp() { return ts[i]; }
                @Override public double value() { return vs[i]; }
            });
        }
        TreeMap<Long, Double> out = new TreeMap<>();
        SampleIterator it = MergedSampleIterator.of(its);
        long prev = Long.MIN_VALUE;
        while (it.next()) {
            assertTrue(it.timestamp() > prev, "merged timestamps strictly ascending");
            prev = it.timestamp();
            out.put(it.timestamp(), it.value());
        }
        return out;
    }
}

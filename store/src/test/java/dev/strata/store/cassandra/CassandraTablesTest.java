package dev.strata.store.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.strata.store.model.Labels;
import dev.strata.store.series.SeriesKey;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Cassandra tables against a real Cassandra node. */
@ExtendWith(CassandraExtension.class)
class CassandraTablesTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void chunksRoundTripAcrossDayBucketsAndWritesAreIdempotent(CassandraNode cassandra) throws Exception {
        try (CqlSession session = cassandra.openSession()) {
            CassandraSchema.create(session, "strata_t1", "{'class':'SimpleStrategy','replication_factor':1}", Duration.ofDays(30));
            CassandraSchema.create(session, "strata_t1", "{'class':'SimpleStrategy','replication_factor':1}", Duration.ofDays(7));
            ChunkTable table = new ChunkTable(session, "strata_t1", 2 * HOUR, 8, Consistency.ONE);
            long series = Labels.of("__name__", "up", "job", "node").hash();
            List<ChunkRow> rows = new ArrayList<>();
            long start = 20 * 24 * HOUR + 18 * HOUR; // four 2h chunks crossing a day boundary
            for (int i = 0; i < 4; i++) {
                byte[] data = ("chunk-" + i).getBytes();
                rows.add(new ChunkRow(series, start + i * 2 * HOUR, start + (i + 1) * 2 * HOUR - 15_000, 480, ByteBuffer.wrap(data)));
            }
            table.write(7, rows).get();
            table.write(7, rows).get(); // a replay writes the same keys: no duplicates

            List<ChunkRow> all = table.read(7, series, start, start + 8 * HOUR).toCompletableFuture().get();
            assertEquals(4, all.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(rows.get(i).startMs(), all.get(i).startMs());
                assertEquals(rows.get(i).data(), all.get(i).data());
            }
            // A range inside the third chunk finds exactly it, though the chunk started in an earlier hour.
            List<ChunkRow> third = table.read(7, series, start + 4 * HOUR + 60_000, start + 5 * HOUR).toCompletableFuture().get();
            assertEquals(1, third.size());
            assertEquals(start + 4 * HOUR, third.get(0).startMs());
            assertEquals(0, table.read(8, series, start, start + 8 * HOUR).toCompletableFuture().get().size());

            long ttl = session.execute("SELECT default_time_to_live FROM system_schema.tables"
                    + " WHERE keyspace_name = 'strata_t1' AND table_name = 'chunks'").one().getInt(0);
            assertEquals(Duration.ofDays(7).toSeconds(), ttl, "retention change must be applied to the TTL");
        }
    }

    @Test
    void seriesKeysAndCheckpointsRoundTrip(CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Random random = new Random(seed);
        try (CqlSession session = cassandra.openSession()) {
            CassandraSchema.create(session, "strata_t2", "{'class':'SimpleStrategy','replication_factor':1}", Duration.ofDays(1));
            SeriesKeyTable keys = new SeriesKeyTable(session, "strata_t2", Consistency.ONE);
            Map<Integer, SeriesKey> written = new HashMap<>();
            List<SeriesKey> batch = new ArrayList<>();
            for (int id = 0; id < 300; id++) {
                Labels labels = Labels.of("__name__", "m" + random.nextInt(20), "instance", "host-" + id, "ünïcode", "välue " + id);
                SeriesKey k = new SeriesKey(id, labels, 1000L * id, 1000L * id + random.nextInt(100_000));
                batch.add(k);
                written.put(id, k);
            }
            keys.write(3, batch).get();
            Map<Integer, SeriesKey> read = new HashMap<>();
            keys.forEach(3, k -> read.put(k.seriesId(), k));
            assertEquals(written, read, "seed=" + seed);

            CheckpointTable checkpoints = new CheckpointTable(session, "strata_t2", Consistency.ONE);
            checkpoints.write(3, 0, 41, "topicA", 2).get();
            checkpoints.write(3, 1, 17, "topicA", 2).get();
            checkpoints.write(3, 0, 99, "topicA", 2).get();
            assertEquals(List.of(new CheckpointTable.Stored(0, 99, "topicA", 2), new CheckpointTable.Stored(1, 17, "topicA", 2)),
                    checkpoints.read(3));
            assertEquals(List.of(), checkpoints.read(4));
            // another layout: one group, rows of groups above it deleted
            checkpoints.replace(3, "topicB", new long[] {-1}, Duration.ofSeconds(30));
            assertEquals(List.of(new CheckpointTable.Stored(0, -1, "topicB", 1)), checkpoints.read(3));
        }
    }

    /**
     * A flush writes one small row per series: rows of different partitions with the same replicas share
     * requests (ReplicaBatcher), and every row still reads back, multi-row partitions and a row too large
     * to share included.
     */
    @Test
    void rowsOfManyPartitionsShareRequestsAndAllReadBack(CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("rowsOfManyPartitionsShareRequestsAndAllReadBack seed=" + seed);
        Random random = new Random(seed);
        try (CqlSession session = cassandra.openSession()) {
            CassandraSchema.create(session, "strata_t3", "{'class':'SimpleStrategy','replication_factor':1}", Duration.ofDays(30));
            ChunkTable table = new ChunkTable(session, "strata_t3", 2 * HOUR, 8, Consistency.ONE);
            long start = 20 * 24 * HOUR;
            Map<Long, List<ChunkRow>> bySeries = new HashMap<>();
            List<ChunkRow> rows = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long series = random.nextLong();
                byte[] data = new byte[20 + random.nextInt(280)];
                random.nextBytes(data);
                ChunkRow r = new ChunkRow(series, start, start + 600_000, 40, ByteBuffer.wrap(data));
                rows.add(r);
                bySeries.put(series, List.of(r));
            }
            long many = random.nextLong(); // one partition of 120 rows: more than one batch's 50
            List<ChunkRow> manyRows = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                manyRows.add(new ChunkRow(many, start + i * 60_000L, start + i * 60_000L + 30_000, 2, ByteBuffer.wrap(("r" + i).getBytes())));
            }
            rows.addAll(100, manyRows);
            bySeries.put(many, manyRows);
            long large = random.nextLong(); // larger than a shared batch may be
            byte[] largeData = new byte[ReplicaBatcher.MAX_BATCH_BYTES + 1000];
            random.nextBytes(largeData);
            ChunkRow largeRow = new ChunkRow(large, start, start + 600_000, 900, ByteBuffer.wrap(largeData));
            rows.add(100, largeRow);
            bySeries.put(large, List.of(largeRow));

            table.write(5, 3, rows).get();

            // read back 64 series at a time (a few seconds, not one round trip after another)
            List<Long> keys = new ArrayList<>(bySeries.keySet());
            Map<Long, List<ChunkRow>> readBack = new HashMap<>();
            for (int from = 0; from < keys.size(); from += 64) {
                Map<Long, java.util.concurrent.CompletableFuture<List<ChunkRow>>> reads = new HashMap<>();
                for (Long series : keys.subList(from, Math.min(keys.size(), from + 64))) {
                    reads.put(series, table.read(5, series, start, start + 2 * HOUR).toCompletableFuture());
                }
                for (var r : reads.entrySet()) readBack.put(r.getKey(), r.getValue().get());
            }
            for (Map.Entry<Long, List<ChunkRow>> e : bySeries.entrySet()) {
                List<ChunkRow> read = readBack.get(e.getKey());
                assertEquals(e.getValue().size(), read.size(), "seed=" + seed);
                for (int i = 0; i < read.size(); i++) {
                    assertEquals(e.getValue().get(i).startMs(), read.get(i).startMs(), "seed=" + seed);
                    assertEquals(e.getValue().get(i).data(), read.get(i).data(), "seed=" + seed);
                }
            }
            // 202 partitions, 321 rows: one request per partition would be 204 (the 120 rows take 3)
            long requests = table.requestsSent();
            System.out.println("rows " + rows.size() + ", requests " + requests);
            assertTrue(requests <= 204 / 5, requests + " requests for 202 partitions, seed=" + seed);
        }
    }

    /**
     * Not a test: with -Dstrata.chunkwrite.probe=true, the CPU of writing flush-sized row sets one request
     * per partition against shared requests, alternating; prints client and Cassandra CPU-s per 100k rows.
     */
    @Test
    void chunkWriteCpuProbe(CassandraNode cassandra) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("strata.chunkwrite.probe"));
        int n = Integer.getInteger("strata.chunkwrite.rows", 50_000);
        Random random = new Random(1);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (CqlSession session = cassandra.openSession()) {
            CassandraSchema.create(session, "strata_p", "{'class':'SimpleStrategy','replication_factor':1}", Duration.ofDays(30));
            ChunkTable[] tables = {new ChunkTable(session, "strata_p", 2 * HOUR, ChunkTable.MAX_IN_FLIGHT_BATCHES, Consistency.ONE, 1),
                    new ChunkTable(session, "strata_p", 2 * HOUR, ChunkTable.MAX_IN_FLIGHT_BATCHES, Consistency.ONE)};
            for (int round = 0; round < 8; round++) {
                ChunkTable t = tables[round % 2];
                List<ChunkRow> rows = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    byte[] data = new byte[60 + random.nextInt(120)];
                    random.nextBytes(data);
                    rows.add(new ChunkRow(random.nextLong(), 20 * 24 * HOUR, 20 * 24 * HOUR + 600_000, 40, ByteBuffer.wrap(data)));
                }
                long c0 = cassandraCpuTicks(cassandra.pid());
                long p0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                t.write(1, rows).get();
                long wall = System.nanoTime() - w0;
                long p1 = os.getProcessCpuTime();
                long c1 = cassandraCpuTicks(cassandra.pid());
                System.out.printf("round %d %s: %d rows, %.2f s wall, client %.3f CPU-s, cassandra %.3f CPU-s per 100k rows%n", round,
                        round % 2 == 0 ? "one request per partition" : "shared requests", n, wall / 1e9,
                        (p1 - p0) / 1e9 * 100_000 / n, (c1 - c0) / 100.0 * 100_000 / n);
            }
        }
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    private static long cassandraCpuTicks(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}

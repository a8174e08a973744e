package dev.strata.store.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

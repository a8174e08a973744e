package dev.strata.ingest.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.strata.ingest.flush.FlushConfig;
import dev.strata.ingest.record.MetadataRecord;
import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.store.cassandra.CassandraSchema;
import dev.strata.store.cassandra.CheckpointTable;
import dev.strata.store.cassandra.ChunkTable;
import dev.strata.store.cassandra.Consistency;
import dev.strata.store.cassandra.MetricMetadataTable;
import dev.strata.store.cassandra.SeriesKeyTable;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import dev.strata.store.model.MetricMetadata;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metadata records under the flush/checkpoint contract, on a real Kafka broker and Cassandra node: a
 * checkpoint is not written while the metadata of records below it cannot be written; a crashed shard
 * replays the metadata record and lands it; a replay after it is durable changes nothing.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class MetadataDurabilityTest {
    private static final int SHARD = 0;
    private static final long MIN = 60_000L;
    private static final MemShardOptions OPTIONS = new MemShardOptions(30 * MIN, 120, 2 * MIN, MIN, 256L << 20, 3 * 3_600_000L);
    private static final FlushConfig MANUAL = new FlushConfig(2, Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(400),
            Duration.ofSeconds(10), Duration.ZERO);
    @TempDir
    Path tmp;

    @Test
    void aCheckpointNeverPassesMetadataThatIsNotDurable(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        String topic = "metadata-durability-" + System.nanoTime();
        kafka.createTopic(topic, 1);
        String ks = "metadata_durability_" + Long.toHexString(System.nanoTime() & 0xffffff);
        MetricMetadata up = new MetricMetadata("up", "gauge", "", "1 if the target is up.");
        MetricMetadata requests = new MetricMetadata("requests_total", "counter", "", "Requests.");
        try (CqlSession session = cassandra.openSession(); KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            CassandraSchema.create(session, ks, "{'class':'SimpleStrategy','replication_factor':1}", Duration.ofDays(3650));
            long t = 1_700_000_000_000L;
            send(producer, topic, sample(Labels.of("__name__", "up"), t));
            send(producer, topic, new MetadataRecord(SHARD, t, List.of(up, requests)).encode());
            send(producer, topic, sample(Labels.of("__name__", "up"), t + 15_000));

            DurableShard a = new DurableShard(kafka.bootstrapServers(), topic, SHARD, tmp.resolve("index"), tables(session, ks),
                    OPTIONS, MANUAL, false);
            a.awaitApplied(3, Duration.ofSeconds(60));
            assertEquals(2, a.consumer.metadata().pendingCount());
            // The metadata write fails (its table is gone): the flush fails before its checkpoint.
            session.execute("DROP TABLE " + ks + ".metric_metadata");
            ExecutionException failed = assertThrows(ExecutionException.class, () -> a.scheduler.flushAll().get());
            assertTrue(failed.getCause().getMessage().contains("flush of group 0"), failed.getCause().getMessage());
            assertEquals(List.of(), new CheckpointTable(session, ks, Consistency.ONE).read(SHARD), "no checkpoint passed the metadata");
            assertEquals(2, a.consumer.metadata().pendingCount(), "still pending");
            a.crash();

            // Restarted: the replay applies the metadata record again and the flush lands it.
            CassandraSchema.create(session, ks, "{'class':'SimpleStrategy','replication_factor':1}", Duration.ofDays(3650));
            DurableShard b = new DurableShard(kafka.bootstrapServers(), topic, SHARD, tmp.resolve("index"), tables(session, ks),
                    OPTIONS, MANUAL, false);
            assertEquals(0, b.plan.startOffset());
            b.awaitApplied(3, Duration.ofSeconds(60));
            b.scheduler.flushAll().get();
            MetricMetadataTable table = new MetricMetadataTable(session, ks, Consistency.ONE);
            assertEquals(List.of(new MetricMetadataTable.Stored(requests, t), new MetricMetadataTable.Stored(up, t)), sorted(table.read("")));
            assertEquals(List.of(new MetricMetadataTable.Stored(up, t)), table.read("up"));
            assertEquals(0, b.consumer.metadata().pendingCount());
            for (CheckpointTable.Stored c : new CheckpointTable(session, ks, Consistency.ONE).read(SHARD)) assertEquals(2, c.offset());
            b.crash();

            // Past the checkpoints the record is not replayed; the rows stay as they are.
            DurableShard c = new DurableShard(kafka.bootstrapServers(), topic, SHARD, tmp.resolve("index"), tables(session, ks),
                    OPTIONS, MANUAL, false);
            assertEquals(3, c.plan.startOffset());
            assertEquals(0, c.consumer.metadata().pendingCount());
            c.close();
            assertEquals(List.of(new MetricMetadataTable.Stored(requests, t), new MetricMetadataTable.Stored(up, t)), sorted(table.read("")));
        }
    }

    private static List<MetricMetadataTable.Stored> sorted(List<MetricMetadataTable.Stored> rows) {
        return rows.stream().sorted((x, y) -> MetricMetadata.ORDER.compare(x.metadata(), y.metadata())).toList();
    }

    private static DurableShard.Tables tables(CqlSession session, String ks) {
        return new DurableShard.Tables(new ChunkTable(session, ks, OPTIONS.chunkDurationMs(), 8, Consistency.ONE),
                new SeriesKeyTable(session, ks, Consistency.ONE), new CheckpointTable(session, ks, Consistency.ONE),
                new MetricMetadataTable(session, ks, Consistency.ONE));
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, SHARD, null, value)).get();
    }

    private static byte[] sample(Labels l, long ts) {
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(SHARD);
        w.beginSeries(l.hash(), l.size(), 1);
        for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
        w.sample(ts, 1);
        w.endSeries();
        return w.finish();
    }
}

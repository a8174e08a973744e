package dev.strata.ingest.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.strata.ingest.flush.FlushConfig;
import dev.strata.ingest.flush.FlushGroups;
import dev.strata.ingest.flush.FlushMetrics;
import dev.strata.ingest.flush.ShardFlusher;
import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.store.cassandra.CassandraSchema;
import dev.strata.store.cassandra.CheckpointTable;
import dev.strata.store.cassandra.ChunkTable;
import dev.strata.store.cassandra.MetricMetadataTable;
import dev.strata.ingest.consumer.MetadataBuffer;
import dev.strata.store.cassandra.Consistency;
import dev.strata.store.cassandra.SeriesKeyTable;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flush, checkpoints and recovery against a real Kafka broker and a real Cassandra node: whatever
 * was flushed, crashed or rebuilt, a recovered shard holds exactly the samples written.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class DurabilityTest {
    private static final AtomicInteger RUN = new AtomicInteger();
    private static final long MIN = 60_000L;
    private static final int SHARD = 0;
    private static final int SERIES = 120;
    /** 30 min chunks, 120 samples max (so windows get cut by count too), 2 min out-of-order window, 1 min grace. */
    private static final MemShardOptions OPTIONS = new MemShardOptions(30 * MIN, 120, 2 * MIN, MIN, 256L << 20, 3 * 3_600_000L);
    private static final FlushConfig MANUAL = new FlushConfig(4, Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(400),
            Duration.ofSeconds(10), Duration.ZERO);

    @TempDir
    Path tmp;

    /** What was written: labels -> timestamp -> value bits; and a record generator. */
    static final class Workload {
        final long seed;
        final Random random;
        final List<Labels> series = new ArrayList<>();
        final Map<Labels, TreeMap<Long, Long>> written = new HashMap<>();
        final long base = 1_700_000_000_000L;
        int step;

        Workload(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            for (int i = 0; i < SERIES; i++) {
                series.add(Labels.of("__name__", "m" + (i % 3), "instance", "host-" + i));
            }
        }

        /** One record: 4 scrapes (10 s apart) of every series, with an occasional late sample. */
        byte[] nextRecord() {
            ShardRecordWriter w = new ShardRecordWriter();
            w.reset(SHARD);
            for (Labels l : series) {
                List<long[]> samples = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    long t = base + (step * 4L + k) * 10_000L;
                    if (random.nextInt(50) == 0) t -= 5_000; // out of order by half a step, within the window
                    samples.add(new long[] {t, Double.doubleToRawLongBits(random.nextInt(1000) / 4.0)});
                }
                TreeMap<Long, Long> seen = written.computeIfAbsent(l, x -> new TreeMap<>());
                samples.removeIf(s -> seen.containsKey(s[0]));
                if (samples.isEmpty()) continue;
                w.beginSeries(l.hash(), l.size(), samples.size());
                for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
                for (long[] s : samples) {
                    w.sample(s[0], Double.longBitsToDouble(s[1]));
                    seen.put(s[0], s[1]);
                }
                w.endSeries();
            }
            step++;
            lastRecord = w.finish();
            return lastRecord;
        }

        /** The last record {@link #nextRecord} made (sending it again sends duplicates only). */
        byte[] lastRecord;
        private int lateRecords;

        /**
         * One late sample per series, {@code backMs} before the next step's first scrape, at an odd
         * millisecond no scrape or other late record uses (so never a duplicate); within the
         * out-of-order window it is kept.
         */
        byte[] lateRecord(long backMs) {
            ShardRecordWriter w = new ShardRecordWriter();
            w.reset(SHARD);
            long t = base + step * 4L * 10_000L - backMs + 1 + 2 * lateRecords++;
            for (Labels l : series) {
                double v = random.nextInt(1000) / 4.0;
                w.beginSeries(l.hash(), l.size(), 1);
                for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
                w.sample(t, v);
                w.endSeries();
                written.get(l).put(t, Double.doubleToRawLongBits(v));
            }
            return w.finish();
        }
    }

    private static final class Producer implements AutoCloseable {
        final KafkaProducer<byte[], byte[]> producer;
        final String topic;
        long next;

        Producer(KafkaBroker kafka, String topic) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
            this.topic = topic;
        }

        /** Sends one record synchronously; returns the end offset after it. */
        long send(byte[] record) throws Exception {
            next = producer.send(new ProducerRecord<>(topic, SHARD, null, record)).get().offset() + 1;
            return next;
        }

        /** Sends {@code n} records synchronously; returns the end offset after them. */
        long send(Workload w, int n) throws Exception {
            for (int i = 0; i < n; i++) {
                next = producer.send(new ProducerRecord<>(topic, SHARD, null, w.nextRecord())).get().offset() + 1;
            }
            return next;
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    private record Env(String topic, CqlSession session, DurableShard.Tables tables) implements AutoCloseable {
        @Override
        public void close() {
            session.close();
        }
    }

    private static Env env(KafkaBroker kafka, CassandraNode cassandra) {
        int run = RUN.incrementAndGet();
        String topic = "durability-" + run + "-" + System.nanoTime();
        kafka.createTopic(topic, 1);
        CqlSession session = cassandra.openSession();
        String ks = "durability_" + run + "_" + Long.toHexString(System.nanoTime() & 0xffffff);
        CassandraSchema.create(session, ks, "{'class':'SimpleStrategy','replication_factor':1}", Duration.ofDays(3650));
        return new Env(topic, session, new DurableShard.Tables(new ChunkTable(session, ks, OPTIONS.chunkDurationMs(), 8,
                Consistency.ONE), new SeriesKeyTable(session, ks, Consistency.ONE), new CheckpointTable(session, ks, Consistency.ONE),
                new MetricMetadataTable(session, ks, Consistency.ONE)));
    }

    private void assertHoldsExactly(DurableShard shard, Workload w, String what) {
        long total = 0;
        for (Labels l : w.series) {
            TreeMap<Long, Long> expected = w.written.get(l);
            TreeMap<Long, Long> got = shard.read(l, w.base - 3_600_000L, w.base + 86_400_000L);
            if (!expected.equals(got)) {
                TreeMap<Long, Long> missing = new TreeMap<>(expected);
                missing.entrySet().removeAll(got.entrySet());
                TreeMap<Long, Long> extra = new TreeMap<>(got);
                extra.entrySet().removeAll(expected.entrySet());
                throw new AssertionError(what + ": samples of " + l + " (seed=" + w.seed + "): " + missing.size() + " missing "
                        + first(missing) + ", " + extra.size() + " not written " + first(extra) + " of " + expected.size());
            }
            total += expected.size();
        }
        assertTrue(total > 0);
    }

    @Test
    void flushWritesChunksAndCheckpointsAndRecoveryReplaysOnlyWhatIsNotDurable(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Workload w = new Workload(seed);
        Path indexDir = tmp.resolve("index");
        try (Env env = env(kafka, cassandra); Producer producer = new Producer(kafka, env.topic)) {
            long end1 = producer.send(w, 60); // 40 min of data: windows sealed by time and by count
            long t0 = System.nanoTime();
            DurableShard a = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, indexDir, env.tables, OPTIONS, MANUAL, false);
            a.awaitApplied(end1, Duration.ofSeconds(60));
            System.err.printf("durability: consumed %d records in %d ms%n", end1, (System.nanoTime() - t0) / 1_000_000);
            a.scheduler.flushAll().get();
            System.err.printf("durability: flushed %.0f rows with %.0f samples, at %d ms%n", a.metrics.rowsWritten(), a.metrics.samplesWritten(),
                    (System.nanoTime() - t0) / 1_000_000);
            long[] cps = a.flusher.checkpoints();
            for (long cp : cps) assertEquals(end1 - 1, cp, "every group checkpointed at the last applied offset (seed=" + seed + ")");
            List<CheckpointTable.Stored> stored = env.tables.checkpoints().read(SHARD);
            for (int g = 0; g < 4; g++) {
                assertEquals(new CheckpointTable.Stored(g, end1 - 1, a.topicId, 4), stored.get(g), "each row names its log and layout");
            }
            assertEquals(4, stored.size());
            assertTrue(a.metrics.rowsWritten() > 0, "rows written");
            assertHoldsExactly(a, w, "after the first flush");

            // More data; groups 0 and 1 flushed again, 2 and 3 not; then a crash.
            long end2 = producer.send(w, 30);
            a.awaitApplied(end2, Duration.ofSeconds(60));
            a.flusher.flush(0);
            a.flusher.flush(1);
            a.crash();
            System.err.printf("durability: crashed at %d ms%n", (System.nanoTime() - t0) / 1_000_000);

            DurableShard b = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, indexDir, env.tables, OPTIONS, MANUAL, false);
            try {
                assertEquals(end1, b.plan.startOffset(), "replay starts after the lowest checkpoint (seed=" + seed + ")");
                b.awaitApplied(end2, Duration.ofSeconds(60));
                await(() -> b.consumer.stats().ready(), Duration.ofSeconds(60), "ready after reaching the log end taken at start");
                // Groups 0 and 1 are durable up to end2 - 1: their samples were skipped, not appended again.
                long expectedApplied = 0;
                for (Labels l : w.series) {
                    if (FlushGroups.groupOf(l.hash(), 4) >= 2) expectedApplied += samplesInRecords(w, l, end1);
                }
                assertEquals(expectedApplied, b.memory.appendedCount(), "only samples not yet durable were replayed (seed=" + seed + ")");
                assertTrue(b.consumer.stats().replaySkippedSamples() > 0);
                assertHoldsExactly(b, w, "after recovery");
                // The recovered shard flushes and checkpoints further.
                b.scheduler.flushAll().get();
                for (long cp : b.flusher.checkpoints()) assertEquals(end2 - 1, cp);
                assertHoldsExactly(b, w, "after recovery and flush");
            } finally {
                b.close();
            }
        }
    }

    @Test
    void indexDirectoryDeletedIsRebuiltFromSeriesKeysWithNothingLost(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Workload w = new Workload(seed);
        Path indexDir = tmp.resolve("index");
        try (Env env = env(kafka, cassandra); Producer producer = new Producer(kafka, env.topic)) {
            long end1 = producer.send(w, 50);
            DurableShard a = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, indexDir, env.tables, OPTIONS, MANUAL, false);
            a.awaitApplied(end1, Duration.ofSeconds(60));
            a.scheduler.flushAll().get();
            long end2 = producer.send(w, 10);
            a.awaitApplied(end2, Duration.ofSeconds(60));
            a.crash();
            deleteRecursively(indexDir);

            try (DurableShard b = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, indexDir, env.tables, OPTIONS, MANUAL, false)) {
                assertTrue(b.index.rebuiltFromListing(), "index rebuilt from the series-key table");
                assertEquals(end1, b.plan.startOffset());
                b.awaitApplied(end2, Duration.ofSeconds(60));
                assertHoldsExactly(b, w, "after the index rebuild (seed=" + seed + ")");
            }
        }
    }

    @Test
    void cassandraDownDuringIngestLosesNothingAndCheckpointsResume(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Workload w = new Workload(seed);
        Path indexDir = tmp.resolve("index");
        FlushConfig fast = new FlushConfig(4, Duration.ofMillis(800), Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(3),
                Duration.ZERO);
        try (Env env = env(kafka, cassandra); Producer producer = new Producer(kafka, env.topic)) {
            long end1 = producer.send(w, 30);
            DurableShard a = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, indexDir, env.tables, OPTIONS, fast, true);
            a.awaitApplied(end1, Duration.ofSeconds(60));
            awaitCheckpoints(a, end1 - 1, Duration.ofSeconds(30));

            cassandra.stop();
            long end2 = producer.send(w, 20);
            a.awaitApplied(end2, Duration.ofSeconds(60));
            await(() -> a.metrics.failureCount() > 0, Duration.ofSeconds(60), "flushes failed while Cassandra was down");
            for (long cp : a.flusher.checkpoints()) assertEquals(end1 - 1, cp, "checkpoints do not advance while Cassandra is down");

            cassandra.restart();
            awaitCheckpoints(a, end2 - 1, Duration.ofSeconds(90));
            assertEquals(end2 - 1, env.tables.checkpoints().read(SHARD).stream().mapToLong(CheckpointTable.Stored::offset).min().orElse(-1));
            a.crash();
            try (DurableShard b = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, indexDir, env.tables, OPTIONS, MANUAL, false)) {
                assertEquals(end2, b.plan.startOffset(), "nothing to replay: everything was flushed after the outage");
                assertHoldsExactly(b, w, "after the Cassandra outage (seed=" + seed + ")");
            }
        }
    }

    /**
     * Samples per Cassandra row at a 15 s scrape with production chunking (2 h, 480) and 8 groups
     * flushed every 60 s of data time: 100 series, 4 h 10 min. Prints the numbers for the issue note.
     */
    @Test
    void rowsAtFifteenSecondScrapeHoldAWholeWindow(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        MemShardOptions production = MemShardOptions.defaults();
        FlushConfig eight = new FlushConfig(8, Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(10),
                Duration.ZERO);
        int series = 100;
        int scrapes = 1000;
        try (Env env = env(kafka, cassandra); Producer producer = new Producer(kafka, env.topic)) {
            List<Labels> labels = new ArrayList<>();
            for (int i = 0; i < series; i++) labels.add(Labels.of("__name__", "node_load1", "instance", "host-" + i));
            long base = 1_700_006_400_000L; // a window start
            try (DurableShard a = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, tmp.resolve("index"), env.tables, production,
                    eight, false)) {
                // One scrape per 15 s of data time, one group flushed per 7.5 s: produce, apply, flush, in step.
                int group = 0;
                for (int s = 0; s < scrapes; s++) {
                    ShardRecordWriter w = new ShardRecordWriter();
                    w.reset(SHARD);
                    for (Labels l : labels) {
                        w.beginSeries(l.hash(), l.size(), 1);
                        for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
                        w.sample(base + s * 15_000L, (s * 7 + l.hashCode()) % 1000 / 10.0);
                        w.endSeries();
                    }
                    producer.producer.send(new ProducerRecord<>(env.topic, SHARD, null, w.finish())).get();
                    a.awaitApplied(s + 1, Duration.ofSeconds(60));
                    for (int k = 0; k < 2; k++) {
                        a.flusher.flush(group);
                        group = (group + 1) % 8;
                    }
                }
                long stored = 0;
                long storedSamples = 0;
                for (Labels l : labels) {
                    for (var row : env.tables.chunks().read(SHARD, l.hash(), base, base + scrapes * 15_000L).toCompletableFuture().get()) {
                        stored++;
                        storedSamples += row.samples();
                    }
                }
                double perWrite = a.metrics.samplesWritten() / a.metrics.rowsWritten();
                double perStored = (double) storedSamples / stored;
                System.err.printf("durability: 15 s scrape, %d series x %d scrapes: %.0f row writes with %.0f samples (%.1f samples per row"
                        + " write, %.1f row writes per 1000 samples); %d rows stored with %d samples (%.1f samples per stored row)%n",
                        series, scrapes, a.metrics.rowsWritten(), a.metrics.samplesWritten(), perWrite,
                        1000 * a.metrics.rowsWritten() / ((double) series * scrapes), stored, storedSamples, perStored);
                assertTrue(perStored >= 240, "samples per stored row " + perStored);
                assertHoldsExactlyPerSeries(a, labels, base, scrapes);
            }
        }
    }

    /**
     * Issue #13: a shard whose budget fills with write buffers (a 3 h out-of-order window, so no
     * sample is ever frozen into a chunk) while nothing is flushed (as with Cassandra down) cuts them
     * early and pauses; once flushes work it drains instead of staying paused. Samples sent later
     * behind the cut chunks (late, inside the window) and re-sent records (duplicates) read back
     * exactly once: from memory and Cassandra, after a crash from Cassandra and a replay that cuts
     * elsewhere (no early cut with a large budget), and finally from Cassandra alone.
     */
    @Test
    void aBudgetFullOfWriteBuffersIsCutEarlyAndDrainsOnceFlushesWork(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.err.println("durability early cut: seed=" + seed);
        Workload w = new Workload(seed);
        Path indexDir = tmp.resolve("index");
        MemShardOptions small = new MemShardOptions(30 * MIN, 120, 3 * 3_600_000L, MIN, 96 << 10, 3 * 3_600_000L);
        MemShardOptions large = small.withMemoryBudgetBytes(256L << 20);
        try (Env env = env(kafka, cassandra); Producer producer = new Producer(kafka, env.topic)) {
            long end1 = producer.send(w, 150); // 100 min of data, far more than 96 KiB of write buffers
            DurableShard a = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, indexDir, env.tables, small, MANUAL, false);
            await(() -> a.consumer.stats().paused(), Duration.ofSeconds(60), "paused over the budget");
            assertTrue(a.consumer.appliedOffset() < end1 - 1, "paused before the end");
            assertTrue(a.memory.earlyCutCount() >= 1, "the write buffers were cut early");
            Thread.sleep(500);
            long pausedAt = a.consumer.appliedOffset();
            assertEquals(pausedAt, a.consumer.appliedOffset(), "stays paused while nothing is flushed");
            drain(a, end1);
            long end2 = producer.send(w.lateRecord(30 * MIN)); // behind the cut chunks, inside the window
            producer.send(w.lastRecord); // a re-sent record: duplicates only
            end2 = producer.send(w, 30);
            end2 = producer.send(w.lateRecord(50 * MIN));
            end2 = producer.send(w.lateRecord(90 * MIN));
            drain(a, end2);
            System.err.printf("durability early cut: paused at offset %d of %d, %d early cuts%n", pausedAt, end1, a.memory.earlyCutCount());
            assertTrue(a.memory.earlyCutCount() >= 2, "cut again after draining");
            assertHoldsExactly(a, w, "memory and Cassandra merged");
            // groups 0 and 1 flushed, then a crash: the replay (no early cut) re-cuts groups 2 and 3 elsewhere
            long end3 = producer.send(w, 10);
            drain(a, end3);
            a.flusher.flush(0);
            a.flusher.flush(1);
            a.crash();
            DurableShard b = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, indexDir, env.tables, large, MANUAL, false);
            b.awaitApplied(end3, Duration.ofSeconds(60));
            assertEquals(0, b.memory.earlyCutCount());
            assertHoldsExactly(b, w, "after the crash: replay and Cassandra merged");
            b.scheduler.flushAll().get();
            b.crash();
            try (DurableShard c = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, indexDir, env.tables, large, MANUAL, false)) {
                assertEquals(end3, c.plan.startOffset(), "everything is durable");
                c.awaitApplied(end3, Duration.ofSeconds(60));
                assertHoldsExactly(c, w, "Cassandra alone");
            }
        }
    }

    /** Flushes every group whenever the shard is paused, until it has applied every record below {@code end}. */
    private static void drain(DurableShard s, long end) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (s.consumer.appliedOffset() < end - 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the shard stays paused at offset " + s.consumer.appliedOffset() + " of " + end
                        + " though every flush succeeds");
            }
            if (s.consumer.stats().paused()) s.scheduler.flushAll().get();
            Thread.sleep(20);
        }
    }

    private static String first(TreeMap<Long, Long> m) {
        return m.entrySet().stream().limit(5).map(e -> e.getKey() + "=" + Double.longBitsToDouble(e.getValue())).toList().toString();
    }

    private static void assertHoldsExactlyPerSeries(DurableShard a, List<Labels> labels, long base, int scrapes) {
        for (Labels l : labels) {
            TreeMap<Long, Long> got = a.read(l, base - 3_600_000L, base + scrapes * 15_000L);
            assertEquals(scrapes, got.size(), "samples of " + l);
        }
    }

    /**
     * A flush whose snapshot included a record beyond the offset it checkpoints (the consumer applied
     * it between reading the offset and the snapshot), with an out-of-order sample at the chunk's
     * start: the restarted shard re-cuts the chunk from that sample with fewer samples but a higher
     * version. Writer epochs keep the earlier run's row; nothing is lost.
     */
    @Test
    void aRestartedShardDoesNotOverwriteRowsOfAnEarlierRunThatHeldMore(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        Labels l = Labels.of("__name__", "late", "instance", "a");
        long base = 1_700_006_400_000L;
        try (Env env = env(kafka, cassandra); Producer producer = new Producer(kafka, env.topic)) {
            sendOne(producer, l, base + 100_000, 1.0);
            sendOne(producer, l, base + 95_000, 2.0); // late, within the out-of-order window
            DurableShard a = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, tmp.resolve("index"), env.tables, OPTIONS, MANUAL, false);
            a.awaitApplied(2, Duration.ofSeconds(60));
            ShardFlusher lagging = new ShardFlusher(SHARD, MANUAL, a.memory, a.index, env.tables.chunks(), env.tables.seriesKeys(),
                    env.tables.checkpoints(), a.topicId, () -> 0L, Map.of(), FlushMetrics.unregistered().forShard(SHARD),
                    new MetadataBuffer(), env.tables.metadata());
            for (int g = 0; g < MANUAL.groups(); g++) lagging.flush(g); // rows hold offsets 0 and 1, checkpoints say 0
            a.crash();

            sendOne(producer, l, base + 110_000, 3.0);
            DurableShard b = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, tmp.resolve("index"), env.tables, OPTIONS, MANUAL, false);
            assertEquals(1, b.plan.startOffset());
            b.awaitApplied(3, Duration.ofSeconds(60));
            b.scheduler.flushAll().get(); // re-cuts the chunk from 95 s: {95, 110}
            b.crash();

            try (DurableShard c = new DurableShard(kafka.bootstrapServers(), env.topic, SHARD, tmp.resolve("index"), env.tables, OPTIONS, MANUAL,
                    false)) {
                assertEquals(3, c.plan.startOffset(), "everything is durable");
                TreeMap<Long, Long> expected = new TreeMap<>(Map.of(base + 95_000, Double.doubleToRawLongBits(2.0),
                        base + 100_000, Double.doubleToRawLongBits(1.0), base + 110_000, Double.doubleToRawLongBits(3.0)));
                assertEquals(expected, c.read(l, base - 3_600_000L, base + 3_600_000L));
            }
        }
    }

    private static void sendOne(Producer producer, Labels l, long ts, double v) throws Exception {
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(SHARD);
        w.beginSeries(l.hash(), l.size(), 1);
        for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
        w.sample(ts, v);
        w.endSeries();
        producer.producer.send(new ProducerRecord<>(producer.topic, SHARD, null, w.finish())).get();
    }

    /** Waits until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    private static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout + ": " + what);
            Thread.sleep(50);
        }
    }

    private static void awaitCheckpoints(DurableShard s, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long min = Long.MAX_VALUE;
            for (long cp : s.flusher.checkpoints()) min = Math.min(min, cp);
            if (min >= offset) return;
            if (System.nanoTime() > deadline) throw new AssertionError("checkpoints reached only " + min + ", wanted " + offset);
            Thread.sleep(50);
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Samples of series {@code l} in records at offsets >= {@code fromOffset} (records hold 4 scrapes each, none dropped). */
    private static long samplesInRecords(Workload w, Labels l, long fromOffset) {
        long from = w.base + fromOffset * 4 * 10_000L - 5_000;
        return w.written.get(l).tailMap(from, true).size();
    }
}

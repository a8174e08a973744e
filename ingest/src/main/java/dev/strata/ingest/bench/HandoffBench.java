package dev.strata.ingest.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.ConsumerSettings;
import dev.strata.ingest.consumer.ShardConsumerStats;
import dev.strata.ingest.consumer.ShardConsumers;
import dev.strata.ingest.flush.FlushConfig;
import dev.strata.ingest.flush.FlushMetrics;
import dev.strata.ingest.gateway.ProducerSettings;
import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.ingest.recovery.DurableShardStart;
import dev.strata.ingest.recovery.ShardRecovery;
import dev.strata.store.cassandra.CassandraSchema;
import dev.strata.store.cassandra.CheckpointTable;
import dev.strata.store.cassandra.ChunkTable;
import dev.strata.store.cassandra.Consistency;
import dev.strata.store.cassandra.MetricMetadataTable;
import dev.strata.store.cassandra.SeriesKeyTable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Time from "a new owner opens a shard" to "the new owner is ready", against the size of the shard's
 * un-flushed tail ({@code bin/strata bench handoff}). This is what a joining node (or a replica rebuilt
 * after a crash) pays per shard before the old owner may let go (issue 21, make-before-break).
 *
 * <p>On a real Kafka and Cassandra, for each tail size K (one shard, i.e. one partition of a fresh
 * topic, per K; a fresh keyspace for the run):
 * <ol>
 *   <li>an <em>old owner</em> consumes {@code --flushed} samples per series, flushes every group (chunks,
 *       series keys and checkpoints reach Cassandra) and stops;</li>
 *   <li>K more samples are written to the partition: the tail no node has flushed;</li>
 *   <li>a <em>new owner</em> opens the shard the way a node does ({@link DurableShardStart}) on an empty
 *       data directory: the label index is rebuilt from the series-key table, the checkpoints give the
 *       replay start, and the tail is replayed from Kafka. Timed: open (index rebuild + recovery plan),
 *       and open to ready (the consumer caught up with the log end taken at open, which is when a node
 *       announces the shard ready).</li>
 * </ol>
 * The topic and the keyspace are deleted at the end unless {@code --keep true}.
 */
public final class HandoffBench {
    public static final String USAGE = """
            usage: strata bench handoff --kafka HOST:PORT --cassandra HOST:PORT [--datacenter datacenter1]
                   [--tails 0,10000,100000,1000000] [--series 1000] [--flushed 20] [--keep false]
              Each tail size must be a multiple of --series. Kafka and Cassandra may be those of 'strata dev'
              (ports in its output); the run uses its own topic and keyspace and deletes both at the end.""";

    private static final Map<String, String> DEFAULTS = defaults();
    /** Samples per series in one Kafka record (a remote-write batch of 10 scrapes). */
    private static final int SAMPLES_PER_RECORD = 10;
    private static final long STEP_MS = 10_000;

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("kafka", "");
        d.put("cassandra", "");
        d.put("datacenter", "datacenter1");
        d.put("tails", "0,10000,100000,1000000");
        d.put("series", "1000");
        d.put("flushed", "20");
        d.put("keep", "false");
        return d;
    }

    /** One row of the result table. */
    public record Row(long tailSamples, int tailRecords, long openMs, long readyMs, int seriesRebuilt) {
        /** Catch-up speed: tail samples per second of open -> ready (0 with no tail). */
        public double samplesPerSecond() {
            return tailSamples == 0 ? 0 : tailSamples * 1000.0 / Math.max(1, readyMs);
        }
    }

    private HandoffBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length || !DEFAULTS.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("bad argument " + args[i] + "\n" + USAGE);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        if (o.get("kafka").isEmpty() || o.get("cassandra").isEmpty()) {
            throw new IllegalArgumentException("--kafka and --cassandra are required\n" + USAGE);
        }
        List<Long> tails = new ArrayList<>();
        for (String t : o.get("tails").split(",")) tails.add(Long.parseLong(t.trim()));
        String[] hp = o.get("cassandra").split(":");
        try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))
                .withLocalDatacenter(o.get("datacenter")).build()) {
            List<Row> rows = run(o.get("kafka"), session, tails, Integer.parseInt(o.get("series")), Integer.parseInt(o.get("flushed")),
                    Boolean.parseBoolean(o.get("keep")), System.out);
            print(rows, System.out);
        }
    }

    /**
     * Runs the benchmark for each tail size and returns one row per size (in order).
     *
     * @param series  series in the shard (each gets tail / series samples of the tail)
     * @param flushed samples per series the old owner consumed and flushed before the tail
     */
    public static List<Row> run(String bootstrap, CqlSession session, List<Long> tails, int series, int flushed, boolean keep,
                                PrintStream log) throws Exception {
        if (series < 1 || flushed < 1) throw new IllegalArgumentException("--series and --flushed must be >= 1\n" + USAGE);
        for (long k : tails) {
            if (k < 0 || k % series != 0) throw new IllegalArgumentException("tail " + k + " is not a multiple of --series " + series + "\n" + USAGE);
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        String topic = "strata-handoff-bench-" + run;
        String keyspace = "strata_handoff_bench_" + run;
        Path work = Files.createTempDirectory("strata-handoff-bench-");
        List<Row> rows = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ProducerSettings.of(bootstrap, "strata-bench-handoff", "lz4",
                     5, 120_000, 4 << 20))) {
            admin.createTopics(List.of(new NewTopic(topic, tails.size(), (short) 1))).all().get(60, TimeUnit.SECONDS);
            String topicId = admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic).topicId().toString();
            CassandraSchema.create(session, keyspace, "{'class':'SimpleStrategy','replication_factor':1}", Duration.ofDays(30));
            MemShardOptions options = MemShardOptions.defaults();
            DurableShardStart.Tables tables = new DurableShardStart.Tables(
                    new ChunkTable(session, keyspace, options.chunkDurationMs(), ChunkTable.MAX_IN_FLIGHT_BATCHES, Consistency.ONE),
                    new SeriesKeyTable(session, keyspace, Consistency.ONE), new CheckpointTable(session, keyspace, Consistency.ONE),
                    new MetricMetadataTable(session, keyspace, Consistency.ONE));
            long maxTail = tails.stream().mapToLong(Long::longValue).max().orElse(0);
            // Samples end about now; every series advances STEP_MS per sample, flushed part first.
            long start = System.currentTimeMillis() - (flushed + maxTail / series + 1) * STEP_MS;
            for (int shard = 0; shard < tails.size(); shard++) {
                long k = tails.get(shard);
                Writer w = new Writer(producer, topic, shard, series, start);
                w.write(flushed);
                try (Owner old = Owner.open(bootstrap, topic, topicId, shard, work.resolve("old-" + shard), options, tables)) {
                    old.awaitReady(Duration.ofMinutes(10));
                    old.start.scheduler().flushAll().get(10, TimeUnit.MINUTES);
                }
                int records = w.write((int) (k / series));
                long t0 = System.nanoTime();
                try (Owner fresh = Owner.open(bootstrap, topic, topicId, shard, work.resolve("new-" + shard), options, tables)) {
                    long t1 = System.nanoTime();
                    fresh.awaitReady(Duration.ofMinutes(30));
                    long t2 = System.nanoTime();
                    long end = fresh.start.consumer().stats().endOffset();
                    if (fresh.start.consumer().appliedOffset() != w.records - 1) {
                        throw new IllegalStateException("shard " + shard + ": ready at applied offset " + fresh.start.consumer().appliedOffset()
                                + ", but " + w.records + " records were written (end offset at open " + end + ")");
                    }
                    Row row = new Row(k, records, (t1 - t0) / 1_000_000, (t2 - t0) / 1_000_000, fresh.index.seriesCount());
                    if (row.seriesRebuilt() != series) {
                        throw new IllegalStateException("shard " + shard + ": the new owner has " + row.seriesRebuilt() + " series, " + series + " were written");
                    }
                    log.printf(Locale.ROOT, "tail %d samples (%d records): open %d ms, ready after %d ms%n", k, records, row.openMs(), row.readyMs());
                    rows.add(row);
                }
            }
            if (!keep) {
                admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
                // Dropping a keyspace takes a schema agreement: far longer than the driver's 2 s default.
                session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(Duration.ofSeconds(60)));
            }
        } finally {
            deleteTree(work);
        }
        return rows;
    }

    /** The table: one line per tail size. */
    public static void print(List<Row> rows, PrintStream out) {
        out.println("| un-flushed tail (samples) | records | open (ms) | open -> ready (ms) | catch-up (samples/s) |");
        out.println("|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %,d | %,d | %d | %d | %,.0f |%n", r.tailSamples(), r.tailRecords(), r.openMs(), r.readyMs(),
                    r.samplesPerSecond());
        }
    }

    /** Writes scrapes of the shard's series to its partition, as gateway records of {@link #SAMPLES_PER_RECORD} scrapes each. */
    private static final class Writer {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final int shard;
        private final List<Labels> series = new ArrayList<>();
        private final ShardRecordWriter w = new ShardRecordWriter();
        private long next;
        long records;

        Writer(KafkaProducer<byte[], byte[]> producer, String topic, int shard, int seriesCount, long start) {
            this.producer = producer;
            this.topic = topic;
            this.shard = shard;
            this.next = start;
            for (int i = 0; i < seriesCount; i++) {
                series.add(Labels.of("__name__", "handoff_bench_" + (i % 10), "instance", "host-" + i, "shard", Integer.toString(shard)));
            }
        }

        /** Writes {@code scrapes} more samples per series; returns the records written. */
        int write(int scrapes) throws Exception {
            int written = 0;
            for (int done = 0; done < scrapes; done += SAMPLES_PER_RECORD) {
                int n = Math.min(SAMPLES_PER_RECORD, scrapes - done);
                w.reset(shard);
                for (int i = 0; i < series.size(); i++) {
                    Labels l = series.get(i);
                    w.beginSeries(l.hash(), l.size(), n);
                    for (int j = 0; j < l.size(); j++) w.label(l.name(j), l.value(j));
                    for (int s = 0; s < n; s++) w.sample(next + s * STEP_MS, i + (double) (next / STEP_MS + s));
                    w.endSeries();
                }
                next += n * STEP_MS;
                producer.send(new ProducerRecord<>(topic, shard, null, w.finish()));
                written++;
            }
            producer.flush();
            records += written;
            return written;
        }
    }

    /** One shard opened as a node opens it: index on its own directory, memory, Kafka consumer, durable start. */
    private static final class Owner implements AutoCloseable {
        final ShardIndex index;
        final DurableShardStart start;
        private final KafkaConsumer<byte[], byte[]> kafka;
        private final ShardConsumers loops = new ShardConsumers();

        private Owner(ShardIndex index, KafkaConsumer<byte[], byte[]> kafka, DurableShardStart start) {
            this.index = index;
            this.kafka = kafka;
            this.start = start;
        }

        static Owner open(String bootstrap, String topic, String topicId, int shard, Path dir, MemShardOptions options,
                          DurableShardStart.Tables tables) throws Exception {
            ShardIndex index = ShardIndex.open(dir, shard, tables.seriesKeys());
            KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(ConsumerSettings.of(bootstrap, "strata-bench-handoff-" + shard));
            try {
                DurableShardStart start = DurableShardStart.prepare(shard, topic, topicId, new MemShard(shard, options), index, kafka, tables,
                        FlushConfig.defaults(), FlushMetrics.unregistered(), ShardRecovery.Counters.unregistered(), ConsumerSettings.POLL_TIMEOUT);
                Owner o = new Owner(index, kafka, start);
                o.loops.start(start.consumer());
                start.scheduler().start();
                return o;
            } catch (Exception | Error e) {
                kafka.close(Duration.ZERO);
                index.close();
                throw e;
            }
        }

        /** Waits until the consumer has caught up with the log end taken at open (a node's "shard ready"). */
        void awaitReady(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                ShardConsumerStats st = start.consumer().stats();
                if (st.running() && st.ready()) return;
                if (System.nanoTime() > deadline) throw new IllegalStateException("shard " + st.shard() + " not ready after " + timeout);
                Thread.sleep(5);
            }
        }

        /** Stops the loops and closes the shard as a node's clean stop does (index committed at the applied offset). */
        @Override
        public void close() throws Exception {
            start.scheduler().close();
            loops.close();
            kafka.close(Duration.ofSeconds(5));
            index.commit(start.consumer().appliedOffset());
            index.close();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

package dev.strata.ingest.durability;

import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.ShardConsumer;
import dev.strata.ingest.consumer.ShardConsumers;
import dev.strata.ingest.flush.FlushConfig;
import dev.strata.ingest.flush.FlushMetrics;
import dev.strata.ingest.flush.FlushScheduler;
import dev.strata.ingest.flush.ShardFlusher;
import dev.strata.ingest.recovery.RecoveryPlan;
import dev.strata.ingest.recovery.DurableShardStart;
import dev.strata.ingest.recovery.ShardRecovery;
import dev.strata.store.SampleIterator;
import dev.strata.store.cassandra.CheckpointTable;
import dev.strata.store.cassandra.ChunkTable;
import dev.strata.store.cassandra.MetricMetadataTable;
import dev.strata.store.cassandra.SeriesKeyTable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.selfmetrics.Counter;
import dev.strata.store.model.Labels;
import dev.strata.store.paging.ChunkPager;
import dev.strata.store.paging.PageBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One shard wired the way a node wires it (index on a directory, memstore, consumer with recovery,
 * flusher, pager), for durability tests. {@link #crash()} drops everything in memory without a
 * final flush or index commit, like a SIGKILL.
 */
final class DurableShard implements AutoCloseable {
    final int shard;
    final MemShard memory;
    final ShardIndex index;
    final String topicId;
    final RecoveryPlan plan;
    final ShardConsumer consumer;
    final ShardFlusher flusher;
    final FlushScheduler scheduler;
    final ChunkPager pager;
    final FlushMetrics.Shard metrics;
    private final ShardConsumers loops = new ShardConsumers();
    private final KafkaConsumer<byte[], byte[]> kafka;
    final CompletableFuture<Void> loop;

    DurableShard(String bootstrap, String topic, int shard, Path indexDir, Tables tables, MemShardOptions options,
                 FlushConfig flushConfig, boolean scheduled) throws Exception {
        this.shard = shard;
        this.memory = new MemShard(shard, options);
        this.index = ShardIndex.open(indexDir, shard, tables.seriesKeys);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        this.kafka = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        FlushMetrics flushMetrics = FlushMetrics.unregistered();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            this.topicId = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId().toString();
        }
        DurableShardStart start = DurableShardStart.prepare(shard, topic, topicId, memory, index, kafka,
                new DurableShardStart.Tables(tables.chunks, tables.seriesKeys, tables.checkpoints, tables.metadata), flushConfig, flushMetrics,
                ShardRecovery.Counters.unregistered(), Duration.ofMillis(50));
        this.plan = start.plan();
        this.consumer = start.consumer();
        this.flusher = start.flusher();
        this.scheduler = start.scheduler();
        this.metrics = flushMetrics.forShard(shard);
        this.pager = new ChunkPager(shard, memory, tables.chunks::read, 4, Duration.ofSeconds(20), 1 << 20);
        this.loop = loops.start(consumer);
        if (scheduled) scheduler.start();
    }

    /** Waits until the consumer has applied every record below {@code endOffset}. */
    void awaitApplied(long endOffset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.appliedOffset() < endOffset - 1) {
            if (loop.isCompletedExceptionally()) loop.join();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("shard " + shard + " applied only up to " + consumer.appliedOffset() + ", wanted " + (endOffset - 1));
            }
            Thread.sleep(20);
        }
    }

    /** Every sample of the series, from memory and Cassandra, as timestamp -> value bits. */
    TreeMap<Long, Long> read(Labels labels, long fromMs, long toMs) {
        int id = index.seriesId(labels);
        TreeMap<Long, Long> out = new TreeMap<>();
        if (id < 0) return out;
        SampleIterator it = pager.iterator(id, labels, index.firstSampleTime(id), fromMs, toMs,
                new PageBudget(100_000, 1L << 30));
        long prev = Long.MIN_VALUE;
        while (it.next()) {
            if (it.timestamp() <= prev) throw new AssertionError(labels + ": timestamps not strictly ascending at " + it.timestamp());
            prev = it.timestamp();
            out.put(it.timestamp(), Double.doubleToRawLongBits(it.value()));
        }
        return out;
    }

    /** Like a SIGKILL: stops the threads, keeps nothing (no flush, no index commit). */
    void crash() throws Exception {
        scheduler.close();
        loops.close();
        kafka.close(Duration.ofSeconds(5));
        index.close();
    }

    @Override
    public void close() throws Exception {
        crash();
    }

    /** The Cassandra tables of one keyspace. */
    record Tables(ChunkTable chunks, SeriesKeyTable seriesKeys, CheckpointTable checkpoints, MetricMetadataTable metadata) {}
}

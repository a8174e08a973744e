package dev.strata.ingest.recovery;

import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.MemShardStore;
import dev.strata.ingest.consumer.ShardConsumer;
import dev.strata.ingest.consumer.ShardConsumerConfig;
import dev.strata.ingest.consumer.ShardIndexSeries;
import dev.strata.ingest.flush.FlushConfig;
import dev.strata.ingest.flush.FlushMetrics;
import dev.strata.ingest.flush.FlushScheduler;
import dev.strata.ingest.flush.ShardFlusher;
import dev.strata.store.cassandra.CheckpointTable;
import dev.strata.store.cassandra.ChunkTable;
import dev.strata.store.cassandra.MetricMetadataTable;
import dev.strata.store.cassandra.SeriesKeyTable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.selfmetrics.Counter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * How a node starts one shard durably, in one place: plan the recovery (checkpoints, index, log
 * offsets), build the consumer loop that replays from the plan's start offset with its skips and
 * readiness target, and the flusher plus its scheduler fed by the consumer's applied offset.
 *
 * <p>Usage (the node's shard wiring): open the {@link ShardIndex} from the volume with the
 * {@link SeriesKeyTable} as rebuild source, create the {@link MemShard}, then
 * {@code DurableShardStart s = DurableShardStart.prepare(...)}, run {@code s.consumer()} on its
 * thread ({@code ShardConsumers.start}) and {@code s.scheduler().start()}. Ready when
 * {@code s.consumer().stats().ready()}. On stop: {@code s.scheduler().close()}, stop the consumer,
 * optionally {@code s.scheduler().flushAll()} before closing the index.
 */
public record DurableShardStart(RecoveryPlan plan, ShardConsumer consumer, ShardFlusher flusher, FlushScheduler scheduler) {

    /** The Cassandra side of a shard's durability. */
    public record Tables(ChunkTable chunks, SeriesKeyTable seriesKeys, CheckpointTable checkpoints, MetricMetadataTable metadata) {}

    /**
     * @param topicId  the topic's Kafka topic id (checkpoints are bound to it)
     * @param kafka    the shard's consumer (not yet polling; the loop takes it over)
     * @param counters counted when Kafka no longer holds offsets recovery needs, or holds another log
     */
    public static DurableShardStart prepare(int shard, String topic, String topicId, MemShard memory, ShardIndex index,
                                            Consumer<byte[], byte[]> kafka, Tables tables, FlushConfig flushConfig,
                                            FlushMetrics metrics, ShardRecovery.Counters counters, Duration pollTimeout) {
        RecoveryPlan plan = ShardRecovery.plan(shard, topic, topicId, flushConfig.groups(), tables.checkpoints(), index, kafka,
                counters, flushConfig.writeTimeout());
        ShardConsumer consumer = new ShardConsumer(new ShardConsumerConfig(topic, shard, plan.startOffset(), pollTimeout,
                Duration.ofSeconds(1)), kafka, new MemShardStore(memory), new ShardIndexSeries(index), System::nanoTime, plan.replay());
        Map<Integer, Long> cps = new TreeMap<>();
        long[] c = plan.checkpoints();
        for (int g = 0; g < c.length; g++) if (c[g] >= 0) cps.put(g, c[g]);
        FlushMetrics.Shard m = metrics.forShard(shard);
        ShardFlusher flusher = new ShardFlusher(shard, flushConfig, memory, index, tables.chunks(), tables.seriesKeys(),
                tables.checkpoints(), topicId, consumer::appliedOffset, cps, m, consumer.metadata(), tables.metadata());
        consumer.flushedThrough(flusher::flushedThrough);
        return new DurableShardStart(plan, consumer, flusher, new FlushScheduler(flusher, flushConfig, m));
    }
}

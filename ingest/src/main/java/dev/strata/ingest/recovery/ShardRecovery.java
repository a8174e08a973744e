package dev.strata.ingest.recovery;

import dev.strata.index.ShardIndex;
import dev.strata.store.cassandra.CheckpointTable;
import dev.strata.store.selfmetrics.Counter;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a shard's start: reads its checkpoints from Cassandra and the log's earliest and end offsets
 * from Kafka, and combines them with the topic's id and the label index opened from the volume
 * (rebuilt from the series-key table by {@code ShardIndex.open} when missing or corrupt) into a
 * {@link RecoveryPlan}. When the plan found another log or another flush-group layout, the checkpoint
 * rows are replaced by the plan's before anything is consumed. Logs the plan, and loudly when the log
 * was replaced or no longer holds what recovery needs.
 */
public final class ShardRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ShardRecovery.class);

    private ShardRecovery() {}

    /** What a plan reports into: offsets the log no longer held, and logs found replaced. */
    public record Counters(Counter offsetsLost, Counter logsReplaced) {
        public static Counters unregistered() {
            return new Counters(new Counter(), new Counter());
        }
    }

    /**
     * @param topicId  the topic's Kafka topic id now
     * @param consumer the shard's Kafka consumer, not yet polling (used here for offsets only)
     */
    public static RecoveryPlan plan(int shard, String topic, String topicId, int groups, CheckpointTable checkpoints,
                                    ShardIndex index, Consumer<byte[], byte[]> consumer, Counters counters, Duration timeout) {
        List<CheckpointTable.Stored> stored = checkpoints.read(shard);
        TopicPartition tp = new TopicPartition(topic, shard);
        long earliest = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
        long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
        RecoveryPlan plan = RecoveryPlan.of(topicId, groups, stored, index.committedOffset(), index.rebuiltFromListing(), earliest, end);
        if (plan.newLog() != null) {
            counters.logsReplaced().inc();
            LOG.error("shard {}: NEW LOG: {}. Records of the old log that were not flushed yet are gone with it;"
                            + " what was flushed stays queryable from Cassandra. Reading topic {} (id {}) from its beginning,"
                            + " skipping nothing.", shard, plan.newLog(), topic, topicId);
        }
        if (plan.layoutChange() != null) {
            LOG.warn("shard {}: {}: every group resumes from the lowest stored checkpoint, offset {} (replaying more, skipping"
                    + " nothing that was not flushed)", shard, plan.layoutChange(), plan.checkpoints()[0]);
        }
        if (plan.rewrite()) checkpoints.replace(shard, topicId, plan.checkpoints(), timeout);
        if (plan.lostOffsets() > 0) {
            counters.offsetsLost().inc(plan.lostOffsets());
            LOG.error("shard {}: DATA LOSS: recovery needs offsets from {} but Kafka only holds {} to {} (retention);"
                            + " {} offsets of samples that were never flushed are gone; continuing from {}",
                    shard, plan.startOffset() - plan.lostOffsets(), earliest, end, plan.lostOffsets(), plan.startOffset());
        }
        LOG.info("shard {}: recovery from offset {} to log end {} ({} records), checkpoints {}, index {} (committed offset {})",
                shard, plan.startOffset(), end, Math.max(0, end - plan.startOffset()), stored,
                index.rebuiltFromListing() ? "rebuilt from series keys" : "opened from the volume", index.committedOffset());
        return plan;
    }
}

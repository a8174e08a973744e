package dev.strata.ingest.recovery;

import dev.strata.index.ShardIndex;
import dev.strata.store.cassandra.CheckpointTable;
import dev.strata.store.selfmetrics.Counter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a shard's start: reads its checkpoints from Cassandra and the log's earliest and end offsets
 * from Kafka, and combines them with the label index opened from the volume (rebuilt from the
 * series-key table by {@code ShardIndex.open} when missing or corrupt) into a {@link RecoveryPlan}.
 * Logs the plan, and loudly when the log no longer holds what recovery needs.
 */
public final class ShardRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ShardRecovery.class);

    private ShardRecovery() {}

    /**
     * @param consumer   the shard's Kafka consumer, not yet polling (used here for offsets only)
     * @param lostCounter counted when the log no longer holds the offset recovery needs
     */
    public static RecoveryPlan plan(int shard, String topic, int groups, CheckpointTable checkpoints, ShardIndex index,
                                    Consumer<byte[], byte[]> consumer, Counter lostCounter) {
        Map<Integer, Long> cps = checkpoints.read(shard);
        TopicPartition tp = new TopicPartition(topic, shard);
        long earliest = consumer.beginningOffsets(List.of(tp)).get(tp);
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        RecoveryPlan plan = RecoveryPlan.of(groups, cps, index.committedOffset(), index.rebuiltFromListing(), earliest, end);
        if (plan.lostOffsets() > 0) {
            lostCounter.inc();
            LOG.error("shard {}: DATA LOSS: recovery needs offsets from {} but Kafka only holds {} to {} (retention);"
                            + " {} offsets of samples that were never flushed are gone; continuing from {}",
                    shard, plan.startOffset() - plan.lostOffsets(), earliest, end, plan.lostOffsets(), plan.startOffset());
        }
        LOG.info("shard {}: recovery from offset {} to log end {} ({} records), checkpoints {}, index {} (committed offset {})",
                shard, plan.startOffset(), end, Math.max(0, end - plan.startOffset()), cps,
                index.rebuiltFromListing() ? "rebuilt from series keys" : "opened from the volume", index.committedOffset());
        return plan;
    }
}

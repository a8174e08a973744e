package dev.strata.ingest.gateway;

import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;

/**
 * Start-up check that the ingest topic has exactly one partition per shard: with fewer, writes to
 * the missing partitions would fail forever (503s); with more, some partitions would never be
 * consumed. Call once before serving writes.
 */
public final class TopicCheck {
    private TopicCheck() {}

    public static void requirePartitions(Producer<?, ?> producer, String topic, int numShards) {
        List<PartitionInfo> partitions = producer.partitionsFor(topic);
        int n = partitions == null ? 0 : partitions.size();
        if (n != numShards) {
            throw new IllegalStateException("topic " + topic + " has " + n + " partitions but the cluster is configured with "
                    + numShards + " shards (partition = shard): create the topic with " + numShards
                    + " partitions or fix the shard count");
        }
    }
}

package dev.strata.ingest.gateway;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class TopicCheckTest {
    static MockProducer<byte[], byte[]> producerWith(String topic, int partitions) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) infos.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
        Cluster cluster = new Cluster("c", List.of(node), infos, Set.of(), Set.of());
        return new MockProducer<>(cluster, true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void partitionsMustEqualShards() {
        TopicCheck.requirePartitions(producerWith("ingest", 8), "ingest", 8);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TopicCheck.requirePartitions(producerWith("ingest", 4), "ingest", 8));
        assertTrue(e.getMessage().contains("has 4 partitions but the cluster is configured with 8 shards"), e.getMessage());
    }
}

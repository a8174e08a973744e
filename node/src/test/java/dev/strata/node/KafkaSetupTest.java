package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.config.ClusterSettings;
import dev.strata.node.config.ConfigType;
import dev.strata.node.config.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Kafka side of node start against a real (in-process, KRaft) broker. */
class KafkaSetupTest {
    private static KafkaClusterTestKit cluster;
    private static KafkaSettings kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).setBootstrapMetadataVersion(MetadataVersion.LATEST_PRODUCTION).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .setConfigProp("unstable.api.versions.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        kafka = new KafkaSettings(ConfigType.HOST_PORT_LIST.parse(cluster.bootstrapServers()), "samples-test", (short) 0,
                (short) 0, Duration.ofHours(12), Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void createsTheTopicWithOnePartitionPerShardThenAcceptsIt() throws Exception {
        ClusterSettings four = new ClusterSettings(4, 0, Duration.ofMillis(100));
        for (int run = 0; run < 2; run++) { // second run: the topic exists already
            Connector<Admin> c = KafkaSetup.connector(kafka, four);
            c.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!c.isReady() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(c.isReady(), "run " + run);
            int partitions = c.get().describeTopics(List.of("samples-test")).allTopicNames().get()
                    .get("samples-test").partitions().size();
            assertEquals(4, partitions);
            // Created with explicit settings: one broker gives replication factor 1 and min.insync.replicas 1.
            org.apache.kafka.common.config.ConfigResource r = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "samples-test");
            var config = c.get().describeConfigs(List.of(r)).all().get().get(r);
            assertEquals("1", config.get("min.insync.replicas").value());
            assertEquals(Long.toString(Duration.ofHours(12).toMillis()), config.get("retention.ms").value());
            c.stop();
        }
    }

    @Test
    void aTopicWithAnotherPartitionCountFailsTheAttempt() throws Exception {
        KafkaSettings other = new KafkaSettings(kafka.bootstrap(), "samples-mismatch", (short) 1, (short) 1, Duration.ofHours(12),
                Duration.ofSeconds(20));
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Admin admin = KafkaSetup.attempt(other, new ClusterSettings(2, 0, Duration.ofMillis(100)), ex).get(30, TimeUnit.SECONDS);
            admin.close();
            ExecutionException e = assertThrows(ExecutionException.class, () ->
                    KafkaSetup.attempt(other, new ClusterSettings(3, 0, Duration.ofMillis(100)), ex).get(30, TimeUnit.SECONDS));
            assertEquals("topic samples-mismatch has 2 partitions but shards=3; they must be equal (partition i is shard i)",
                    e.getCause().getMessage());
        } finally {
            ex.shutdownNow();
        }
    }
}

package dev.strata.node.process;

import dev.strata.node.chaos.NodeMetrics;
import dev.strata.node.chaos.AckedRemoteWriter;
import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.SentSamples;
import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.NodeProcess;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.launch.FreePorts;
import dev.strata.store.model.Labels;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #13, case 5: a record that passes its checksum but cannot be applied (here a label list with
 * a duplicate name) is logged with its offset, counted and skipped; the shard keeps consuming and
 * stays ready, and what is written after it is stored. Node as a separate process, the run's Kafka
 * and Cassandra; the record is produced straight to the shard's partition, as a buggy or hostile
 * writer could.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class NodePoisonRecordTest {
    private final long seed = Long.getLong("seed", System.nanoTime());
    private final PromApi api = new PromApi(Duration.ofSeconds(30));

    @Test
    void aRecordThatCannotBeAppliedIsSkippedAndCountedNotFatal(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        String id = "p" + Long.toHexString(seed & 0xffffffL);
        String topic = "poison-" + id;
        List<String> settings = NodeProcess.faultSettings(kafka.bootstrapServers(), cassandra.host() + ":" + cassandra.port(),
                topic, "poison_" + id, 2);
        try (NodeProcess node = NodeProcess.start("strata-poison", FaultFixtures.tempDir("node-poison").resolve("node"),
                FreePorts.many(1)[0], settings);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            node.awaitReady();
            for (int shard = 0; shard < 2; shard++) {
                ShardRecordWriter w = new ShardRecordWriter();
                w.reset(shard);
                for (int ok = 0; ok < 2; ok++) { // two valid entries first: a record is applied whole or not at all
                    Labels good = Labels.of("__name__", "poison_ok", "entry", Integer.toString(ok));
                    w.beginSeries(good.hash(), good.size(), 1);
                    for (int k = 0; k < good.size(); k++) w.label(good.name(k), good.value(k));
                    w.sample(System.currentTimeMillis() - 60_000L, 1.0);
                    w.endSeries();
                }
                Labels l = Labels.of("__name__", "poison");
                w.beginSeries(l.hash(), 2, 1);
                w.label("__name__", "poison");
                w.label("__name__", "again"); // a duplicate name: the checksum covers it, the label set is invalid
                w.sample(System.currentTimeMillis() - 60_000L, 1.0);
                w.endSeries();
                producer.send(new ProducerRecord<>(topic, shard, null, w.finish())).get();
            }

            SentSamples after = new SentSamples(FaultFixtures.series("after_poison", 40, 3), FaultFixtures.firstTimestamp(100),
                    FaultFixtures.STEP_MS, 100, seed);
            try (AckedRemoteWriter writer = new AckedRemoteWriter(after, attempt -> node.baseUrl(), 5, Duration.ofMillis(10),
                    Duration.ofSeconds(10)).start()) {
                writer.awaitMoreAcknowledged(100, Duration.ofSeconds(120));
            }
            ExactlyOnceCheck.Report report = FaultFixtures.awaitExactlyOnce(api, node.baseUrl(), "after_poison", after,
                    Duration.ofSeconds(60));
            assertTrue(report.ok(), "what follows the bad records is stored; seed=" + seed + "; " + report + "\n" + node.logTail());
            assertTrue(node.isReady(), "the shards keep consuming:\n" + node.logTail());
            PromApi.Answer before = api.query(node.baseUrl(), "poison_ok[1h]", System.currentTimeMillis(), "");
            assertTrue(before.success() && before.matrix().isEmpty(),
                    "the valid entries before the bad one in the same record are not stored: " + before);
            double skipped = NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_shard_corrupt_records_total"));
            assertTrue(skipped == 2, "each bad record counted once: " + skipped);
            // The record reader already rejects duplicate label names as corrupt (found by the fuzzer); either
            // way the log names the record's offset.
            assertTrue(node.logText().contains("record at offset 0"), node.logTail());
        }
    }
}

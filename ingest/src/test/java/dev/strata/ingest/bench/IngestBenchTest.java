package dev.strata.ingest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.testkit.Fresh;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The load generator really delivers: locally, and straight to a real Kafka topic. */
@ExtendWith(KafkaExtension.class)
class IngestBenchTest {
    @Test
    void localModeAcknowledgesEverything() throws Exception {
        IngestBench.Result r = IngestBench.run(Map.of("mode", "local", "hosts", "5", "duration", "1", "report", "100"));
        assertTrue(r.acked() > 0, r.toString());
        assertEquals(0, r.failed(), r.toString());
    }

    @Test
    void anUnknownOptionIsAnErrorNamingIt() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> IngestBench.run(Map.of("mode", "local", "hosts", "5", "duratoin", "1")));
        assertTrue(e.getMessage().startsWith("unknown option --duratoin"), e.getMessage());
    }

    @Test
    void roundsStopsTheRunAfterThatManyRounds() throws Exception {
        IngestBench.Result r = IngestBench.run(Map.of("mode", "local", "hosts", "5", "cpus", "8", "rounds", "3",
                "duration", "600", "report", "100"));
        assertEquals(3, r.rounds(), r.toString());
        assertEquals(3 * new NodeExporterWorkload(5, 8, 1).size(), r.acked(), r.toString());
        assertEquals(0, r.failed(), r.toString());
    }

    /**
     * A fixed number of rounds (not a duration): the assertion is that every record is delivered, and a
     * time-bounded run on a loaded machine would only add in-flight batches without testing more.
     * A broker of its own: on the broker shared with the durability tests, one produce request in
     * about two full-suite runs got no answer until the 120 s delivery timeout (seen twice as
     * "Expiring 1 record(s) for bench-6: 120001 ms has passed since batch creation" while later
     * batches of that partition were acknowledged); never with a broker that served nothing else.
     */
    @Test
    void kafkaModeWritesToTheTopic(@Fresh KafkaBroker kafka) throws Exception {
        dev.strata.ingest.e2e.Topics.createAndAwaitLeaders(kafka, "bench", 8);
        IngestBench.Result r = IngestBench.run(Map.of("mode", "kafka", "bootstrap", kafka.bootstrapServers(),
                "topic", "bench", "shards", "8", "spread", "3", "hosts", "5", "rounds", "20", "duration", "300",
                "report", "100"));
        assertEquals(20, r.rounds(), r.toString());
        assertEquals(20 * new NodeExporterWorkload(5, 8, 1).size(), r.acked(), r.toString());
        assertEquals(0, r.failed(), r.toString());
        long records = 0;
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 8; p++) latest.put(new TopicPartition("bench", p), OffsetSpec.latest());
            for (var e : admin.listOffsets(latest).all().get().values()) records += e.offset();
        }
        // Each round is one request split into at least one record per shard it touches.
        assertTrue(records >= 20, "records on the topic: " + records + ", " + r);
    }
}

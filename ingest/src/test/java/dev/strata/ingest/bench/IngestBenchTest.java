package dev.strata.ingest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.util.Map;
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
    void roundsStopsTheRunAfterThatManyRounds() throws Exception {
        IngestBench.Result r = IngestBench.run(Map.of("mode", "local", "hosts", "5", "cpus", "8", "rounds", "3",
                "duration", "600", "report", "100"));
        assertEquals(3, r.rounds(), r.toString());
        assertEquals(3 * new NodeExporterWorkload(5, 8, 1).size(), r.acked(), r.toString());
        assertEquals(0, r.failed(), r.toString());
    }

    @Test
    void kafkaModeWritesToTheTopic(KafkaBroker kafka) throws Exception {
        dev.strata.ingest.e2e.Topics.createAndAwaitLeaders(kafka, "bench", 8);
        IngestBench.Result r = IngestBench.run(Map.of("mode", "kafka", "bootstrap", kafka.bootstrapServers(),
                "topic", "bench", "shards", "8", "spread", "3", "hosts", "5", "duration", "2", "report", "100"));
        assertTrue(r.acked() >= 5 * 142, r.toString());
        assertEquals(0, r.failed(), r.toString());
    }
}

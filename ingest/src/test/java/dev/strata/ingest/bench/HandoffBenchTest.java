package dev.strata.ingest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code bench handoff} run tiny on a real Kafka and Cassandra: the new owner rebuilds its index from
 * the series keys the old owner flushed, replays exactly the un-flushed tail, and the table has one row
 * per tail size. (The run itself checks applied offset and series count; this checks it got there.)
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class HandoffBenchTest {
    @Test
    void aNewOwnerReplaysTheUnflushedTailAndIsTimed(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<HandoffBench.Row> rows;
        try (CqlSession session = cassandra.openSession()) {
            rows = HandoffBench.run(kafka.bootstrapServers(), session, List.of(0L, 2_000L), 50, 20, false,
                    new PrintStream(log, true, StandardCharsets.UTF_8));
            // The run cleans up after itself: no keyspace of it is left.
            assertTrue(session.execute("SELECT keyspace_name FROM system_schema.keyspaces").all().stream()
                    .noneMatch(r -> r.getString(0).startsWith("strata_handoff_bench_")), "keyspace left behind");
        }
        assertEquals(2, rows.size());
        assertEquals(0, rows.get(0).tailSamples());
        assertEquals(0, rows.get(0).tailRecords());
        assertEquals(2_000, rows.get(1).tailSamples());
        assertEquals(4, rows.get(1).tailRecords(), "2000 samples over 50 series = 40 scrapes = 4 records of 10");
        for (HandoffBench.Row r : rows) {
            assertEquals(50, r.seriesRebuilt(), "index rebuilt from the flushed series keys");
            assertTrue(r.openMs() <= r.readyMs(), r.toString());
        }
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        HandoffBench.print(rows, new PrintStream(table, true, StandardCharsets.UTF_8));
        String text = table.toString(StandardCharsets.UTF_8);
        System.out.print(log.toString(StandardCharsets.UTF_8) + text);
        assertTrue(text.contains("| 2,000 | 4 |"), text);
    }
}

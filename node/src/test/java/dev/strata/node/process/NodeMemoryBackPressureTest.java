package dev.strata.node.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.bench.IngestBench;
import dev.strata.launch.FreePorts;
import dev.strata.node.chaos.NodeMetrics;
import dev.strata.node.chaos.NodeProcess;
import dev.strata.node.chaos.PromApi;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #22: a node loaded past its memory budget slows ingestion (its consumers pause: the records
 * wait in Kafka) and keeps running, instead of dying of OutOfMemoryError; /metrics and the shard
 * status show the budget and the use. Node as a separate process (the fault tests' 384 MiB heap,
 * {@code -XX:+ExitOnOutOfMemoryError}), 2 shards of 2 MiB each, and ~28,000 series with 20 samples
 * each: several times the budget, all in write buffers (2 h chunk windows), which cannot be evicted
 * because they are not persisted yet.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class NodeMemoryBackPressureTest {
    private static final long BUDGET_PER_SHARD = 2L << 20;
    private final long seed = Long.getLong("seed", System.nanoTime());
    private final PromApi api = new PromApi(Duration.ofSeconds(30));

    @Test
    void aNodeAtItsBudgetPausesIngestionAndStaysUp(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        System.out.println("NodeMemoryBackPressureTest seed=" + seed);
        String id = "m" + Long.toHexString(seed & 0xffffffL);
        List<String> settings = new ArrayList<>();
        for (String s : NodeProcess.faultSettings(kafka.bootstrapServers(), cassandra.host() + ":" + cassandra.port(),
                "budget-" + id, "budget_" + id, 2)) {
            if (!s.startsWith("store.memory-budget-per-shard=")) settings.add(s);
        }
        settings.add("store.memory-budget-per-shard=2MiB");
        try (NodeProcess node = NodeProcess.start("strata-backpressure", FaultFixtures.tempDir("node-backpressure").resolve("node"),
                FreePorts.many(1)[0], settings)) {
            node.awaitReady();
            IngestBench.Result r = IngestBench.run(Map.of("mode", "http", "url", node.baseUrl() + "/api/v1/write", "hosts", "200",
                    "rounds", "20", "duration", "600", "step", "15", "backfill", "900", "concurrency", "2", "report", "60",
                    "seed", Long.toString(seed)));
            assertEquals(0, r.failed(), "the gateway keeps accepting into Kafka: " + r);

            String status = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                status = api.get(node.baseUrl() + "/api/v1/status/local-shards");
                if (status.contains("\"paused\":true")) break;
                Thread.sleep(500);
            }
            assertTrue(status.contains("\"paused\":true"), "a shard at its budget pauses its consumer: " + status + "\n" + node.logTail());
            long lag = sum(status, "lag");
            assertTrue(lag > 0, "the records it has not taken wait in Kafka: " + status);
            assertEquals(2 * BUDGET_PER_SHARD, sum(status, "memoryBudgetBytes"), status);
            long used = sum(status, "memoryUsedBytes");
            assertTrue(used > BUDGET_PER_SHARD, "a paused shard is at its budget: " + status);

            double budget = NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_memory_budget_bytes"));
            double usedMetric = NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_memory_used_bytes"));
            assertEquals(2.0 * BUDGET_PER_SHARD, budget, "/metrics: budget of both shards");
            // one batch may cross the line before the consumer pauses; it does not run away
            assertTrue(usedMetric > BUDGET_PER_SHARD && usedMetric < 4.0 * BUDGET_PER_SHARD, "/metrics: used " + usedMetric);

            Thread.sleep(5_000); // still paused, still alive: no OutOfMemoryError later either
            assertTrue(node.isAlive(), "the node keeps running:\n" + node.logTail());
            assertTrue(api.get(node.baseUrl() + "/api/v1/status/local-shards").contains("\"paused\":true"));
            assertTrue(!node.logText().contains("OutOfMemoryError"), node.logTail());
        }
    }

    private static long sum(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?\\d+)").matcher(json);
        long s = 0;
        while (m.find()) s += Long.parseLong(m.group(1));
        return s;
    }
}

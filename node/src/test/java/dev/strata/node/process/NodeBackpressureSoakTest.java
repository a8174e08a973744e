package dev.strata.node.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.launch.FreePorts;
import dev.strata.node.chaos.AckedRemoteWriter;
import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.NodeMetrics;
import dev.strata.node.chaos.NodeProcess;
import dev.strata.node.chaos.PromApi;
import dev.strata.node.chaos.SentSamples;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #13, case 6 (memory under sustained back-pressure): a node with a small heap ({@code -Dstrata.soak.heap},
 * default 256m; {@code -XX:+ExitOnOutOfMemoryError} as the manifests run it, the memory budget derived
 * from the heap) takes continuous remote write from two writers while Cassandra is stopped (SIGSTOP) for
 * {@code -Dstrata.soak.seconds} (default 60), then resumed. The node must never exit, and after
 * Cassandra is back every acknowledged sample reads back exactly once. Node as a separate process, the
 * run's Kafka and Cassandra. Prints a progress line per 10 s (acknowledged steps, paused shards, lag,
 * heap) and a summary.
 *
 * <p>The short form's minute at the default pace does not fill the shards' budgets (no consumer
 * pauses). This workload's samples (1 s apart, sent ten times faster than real time, so all within
 * the 3 h out-of-order window the fixtures need) sit in write buffers, which no frozen rule seals;
 * once they fill a shard's budget the shard cuts them early into chunks, stays paused until Cassandra
 * is back, and then drains (docs/operations.md, "Memory budget full of write buffers"): the
 * read-back fails at once if a shard is reported stuck. Whether a run fills the budgets depends on
 * how fast the writers get through (a loaded machine is slower), so {@code -Dstrata.soak.budget}
 * (e.g. 4MiB; default 0, derived from the heap) sets a smaller budget per shard; the progress lines
 * show paused shards and early cuts.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class NodeBackpressureSoakTest {
    private static final int WRITERS = 2;
    private static final int SERIES_PER_WRITER = 1000;
    private static final int METRICS_PER_WRITER = 20;
    /** The timestamps are a second apart and must stay inside the 3 h out-of-order window of the fixtures. */
    private static final int MAX_STEPS = 9000;

    private final long seed = Long.getLong("seed", System.nanoTime());
    private final PromApi api = new PromApi(Duration.ofSeconds(120));

    @Test
    void aSmallHeapNodeSurvivesCassandraDownUnderLoadAndLosesNothing(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long stallSeconds = Long.getLong("strata.soak.seconds", 60);
        String xmx = System.getProperty("strata.soak.heap", "256m");
        String budget = System.getProperty("strata.soak.budget", "0");
        System.err.println("NodeBackpressureSoakTest seed=" + seed + " stall=" + stallSeconds + "s heap=" + xmx + " budget=" + budget
                + " (rerun with -Dseed=" + seed + " -Dstrata.soak.seconds=" + stallSeconds + " -Dstrata.soak.heap=" + xmx
                + " -Dstrata.soak.budget=" + budget + ")");
        String id = "s" + Long.toHexString(seed & 0xffffffL);
        List<String> settings = new ArrayList<>();
        for (String s : NodeProcess.faultSettings(kafka.bootstrapServers(), cassandra.host() + ":" + cassandra.port(),
                "soak-" + id, "soak_" + id, 4)) {
            // by default (0) the budget derived from the heap (half of it over the owned shards); -Dstrata.soak.budget
            // sets a smaller one, so that a run as slow as a loaded machine makes it still fills the budgets
            settings.add(s.startsWith("store.memory-budget-per-shard=") ? "store.memory-budget-per-shard=" + budget : s);
        }
        // Pace the writers so that their steps last through the stall and the minutes before and after it;
        // -Dstrata.soak.paceMs sets it (a shorter pace writes faster: a stuck shard shows within 2 min at 30 ms).
        long plannedMs = (stallSeconds + 150) * 1000;
        Duration pace = Duration.ofMillis(Long.getLong("strata.soak.paceMs", Math.max(60, plannedMs / MAX_STEPS)));
        List<SentSamples> sent = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            sent.add(new SentSamples(FaultFixtures.series("soak" + w, SERIES_PER_WRITER, METRICS_PER_WRITER),
                    FaultFixtures.firstTimestamp(MAX_STEPS), FaultFixtures.STEP_MS, MAX_STEPS, seed + w));
        }
        ProcessHandle cassandraProcess = ProcessHandle.of(cassandra.pid()).orElseThrow();
        double maxPaused = 0, maxHeap = 0, maxLag = 0, cuts = 0;
        long refused = 0;
        try (NodeProcess node = NodeProcess.start("strata-soak", FaultFixtures.tempDir("node-soak").resolve("node"),
                FreePorts.many(1)[0], settings, List.of("-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError"))) {
            node.awaitReady();
            List<AckedRemoteWriter> writers = new ArrayList<>();
            try {
                for (SentSamples s : sent) {
                    writers.add(new AckedRemoteWriter(s, attempt -> node.baseUrl(), 3, pace, Duration.ofSeconds(30)).start());
                }
                for (AckedRemoteWriter w : writers) w.awaitMoreAcknowledged(20, Duration.ofSeconds(120));
                signal("STOP", cassandraProcess);
                long stallStart = System.nanoTime();
                try {
                    long nextLine = 0;
                    while (System.nanoTime() - stallStart < stallSeconds * 1_000_000_000L) {
                        assertTrue(node.isAlive(), "the node exited during the stall:\n" + node.logTail());
                        double paused = NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_shard_paused"));
                        double lag = NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_shard_lag_records"));
                        double heap = heapUsed(node);
                        cuts = NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_shard_early_cuts_total"));
                        maxPaused = Math.max(maxPaused, paused);
                        maxLag = Math.max(maxLag, lag);
                        maxHeap = Math.max(maxHeap, heap);
                        long elapsed = (System.nanoTime() - stallStart) / 1_000_000_000L;
                        if (elapsed >= nextLine) {
                            nextLine = elapsed + 10;
                            System.err.printf("soak: %d s of %d, acked steps %s, paused shards %.0f, early cuts %.0f, lag %.0f records,"
                                    + " heap %.0f MiB%n", elapsed, stallSeconds,
                                    sent.stream().map(s -> Integer.toString(s.acknowledgedSteps())).toList(), paused, cuts, lag,
                                    heap / (1 << 20));
                        }
                        Thread.sleep(2000);
                    }
                } finally {
                    signal("CONT", cassandraProcess);
                }
                for (AckedRemoteWriter w : writers) w.awaitMoreAcknowledged(20, Duration.ofSeconds(300));
            } finally {
                for (AckedRemoteWriter w : writers) w.close();
            }
            for (AckedRemoteWriter w : writers) {
                refused += w.attempts().stream().filter(a -> a.status() == 503).count();
            }
            assertTrue(node.isAlive(), "the node exited:\n" + node.logTail());
            cuts = NodeMetrics.sum(NodeMetrics.scrape(api, node.baseUrl(), "strata_ingest_shard_early_cuts_total"));
            System.err.printf("soak summary: stall %d s, max paused shards %.0f, early cuts %.0f, max lag %.0f records, max heap used"
                    + " %.0f MiB, 503 answers %d, acked steps %s%n", stallSeconds, maxPaused, cuts, maxLag, maxHeap / (1 << 20), refused,
                    sent.stream().map(s -> Integer.toString(s.acknowledgedSteps())).toList());
            for (int w = 0; w < WRITERS; w++) {
                // the writers are closed: what they sent is final; built once per writer (millions of samples)
                Map<String, TreeMap<Long, Long>> acked = sent.get(w).acknowledgedSamples();
                Map<String, TreeMap<Long, Long>> all = sent.get(w).sentSamples();
                for (int m = 0; m < METRICS_PER_WRITER; m++) {
                    String metric = "soak" + w + "_m" + m;
                    ExactlyOnceCheck.Report r = awaitMetric(node.baseUrl(), metric, sent.get(w), only(acked, metric), only(all, metric),
                            Duration.ofSeconds(300));
                    assertTrue(r.ok(), metric + ": every acknowledged sample reads back once; seed=" + seed + "; " + r
                            + "\n" + node.logTail());
                }
            }
            assertTrue(node.isAlive(), "the node exited while read back:\n" + node.logTail());
        } finally {
            signal("CONT", cassandraProcess);
        }
    }

    /** Reads back one metric's series until every acknowledged sample ({@code acked}; {@code all}: every sent one) is there or {@code timeout} passes. */
    private ExactlyOnceCheck.Report awaitMetric(String baseUrl, String metric, SentSamples sent, Map<String, TreeMap<Long, Long>> acked,
                                                Map<String, TreeMap<Long, Long>> all, Duration timeout) throws Exception {
        long evalTime = sent.timestamp(sent.maxSteps() - 1) + 1000;
        long rangeSeconds = (sent.maxSteps() * FaultFixtures.STEP_MS) / 1000 + 120;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String status = api.get(baseUrl + "/api/v1/status/local-shards");
            if (status.contains("\"stuck\":true")) {
                throw new AssertionError("a shard is stuck (paused over its budget with nothing to flush), " + metric
                        + " cannot be read back whole: " + status);
            }
            PromApi.Answer a = api.query(baseUrl, metric + "[" + rangeSeconds + "s]", evalTime, "");
            if (!a.success()) throw new AssertionError("reading " + metric + " failed: " + a);
            ExactlyOnceCheck.Report r = ExactlyOnceCheck.check(acked, all, a.matrix());
            if (r.missing() == 0 || System.nanoTime() > deadline) return r;
            Thread.sleep(1000);
        }
    }

    private static Map<String, TreeMap<Long, Long>> only(Map<String, TreeMap<Long, Long>> all, String metric) {
        Map<String, TreeMap<Long, Long>> out = new TreeMap<>();
        all.forEach((series, samples) -> {
            if (series.startsWith(metric + "{")) out.put(series, samples);
        });
        return out;
    }

    private double heapUsed(NodeProcess node) throws Exception {
        double max = 0;
        for (Map.Entry<String, Double> e : NodeMetrics.scrape(api, node.baseUrl(), "jvm_memory_bytes_used").entrySet()) {
            if (e.getKey().contains("heap") && !e.getKey().contains("nonheap")) max = Math.max(max, e.getValue());
        }
        return max;
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    }
}

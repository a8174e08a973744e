package dev.strata.node.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.node.NodeAssembly;
import dev.strata.node.config.NodeConfig;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * A differential test against a REAL Prometheus 2.42 (the Debian package, which .ci/run installs; skipped
 * where it is absent), built like the PromQL compliance tester: a seeded workload ({@link DiffWorkload})
 * goes as the same remote write 1.0 requests to Prometheus's remote-write receiver and to a Strata node
 * with a real Kafka broker and Cassandra node; then every query of a template-generated corpus
 * ({@link DiffCorpus}, over 1,000 queries) runs as a range query against both, and the answers are
 * compared ({@link RangeResultComparison}: labels and timestamps exactly, values within 1e-9 relative).
 * A difference fails the test unless {@link KnownDifferences} explains it by a named Prometheus change.
 *
 * <p>Why remote write to both rather than a scrape: the samples and their timestamps are then identical
 * in both stores by construction (no scrape timing, no dependence on wall-clock progress), 70 minutes of
 * data take seconds to write, timestamps can be kept off the window boundaries where 2.42 and 3.x differ
 * on purpose, and native histograms can be carried (2.42's OpenMetrics backfill cannot). Both see the same
 * staleness markers, because the workload writes them where a scrape would.
 *
 * <p>Reproduce a run with {@code -Ddiff.seed=N} (the seed is printed).
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class PrometheusDifferentialTest {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void strataAnswersTheCorpusLikePrometheus(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        String prom = onPath("prometheus");
        assumeTrue(prom != null, "prometheus not installed (apt-get install prometheus); skipping");
        long seed = Long.getLong("diff.seed", System.nanoTime());
        System.out.println("PrometheusDifferentialTest seed=" + seed + " (rerun with -Ddiff.seed=" + seed + ")");
        // 80 minutes ago on a whole minute: the 70 minutes of data end 10 minutes before now (the gateway
        // accepts samples up to store.out-of-order-window old).
        long t0 = (System.currentTimeMillis() - 80 * 60_000L) / 60_000L * 60_000L;
        DiffWorkload workload = new DiffWorkload(seed, t0);

        Process prometheus = startPrometheus(prom);
        String prometheusUrl = "http://127.0.0.1:" + prometheusPort;
        String topic = "diff-" + Long.toHexString(seed);
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + dir.resolve("strata"), "store.out-of-order-window=2h", "shards=4", "kafka.topic=" + topic,
                "cassandra.keyspace=diff_" + Long.toHexString(seed & 0xffffffffL), "flush.interval=5s",
                "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms")));
        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String strataUrl = "http://127.0.0.1:" + node.httpPort();
            awaitReady(prometheusUrl, prometheus);
            awaitReady(strataUrl, null);
            for (List<DiffWorkload.Sample> round : workload.scrapes()) {
                byte[] body = Snappy.compress(WriteRequestEncoder.encode(round));
                write(prometheusUrl, body);
                write(strataUrl, body);
            }
            // The raw samples as a matrix (count_over_time would drop the name and collide), counted here.
            String countQuery = "{__name__=~\"diff_.+\"}[2h]";
            long evalAt = workload.end() / 1000 + 60;
            String want = Long.toString(workload.countedSamples());
            assertEquals(want, awaitCount(prometheusUrl, countQuery, evalAt, want), "prometheus holds every sample");
            assertEquals(want, awaitCount(strataUrl, countQuery, evalAt, want), "strata holds every sample");

            long start = t0 / 1000 + 600, end = t0 / 1000 + 68 * 60, step = 60;
            List<String> corpus = DiffCorpus.queries(t0 / 1000 + 1800);
            assertTrue(corpus.size() >= 1000, "corpus of " + corpus.size() + " queries");
            Report report = new Report();
            for (String q : corpus) {
                String range = "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                        + "&start=" + start + "&end=" + end + "&step=" + step;
                String prometheusBody = get(prometheusUrl + range), strataBody = get(strataUrl + range);
                RangeResultComparison.Outcome outcome = RangeResultComparison.compare(q, prometheusBody, strataBody);
                // Named histogram_quantile/fraction differences are checked against Prometheus's own argument.
                String argument = outcome.differences().isEmpty() ? null : KnownDifferences.histogramArgument(q);
                Map<String, Map<Long, JsonNode>> prometheusArgument = argument == null ? Map.of()
                        : RangeResultComparison.histogramPoints(get(prometheusUrl + "/api/v1/query_range?query="
                                + URLEncoder.encode(argument, StandardCharsets.UTF_8) + "&start=" + start + "&end=" + end + "&step=" + step));
                long at = report.add(q, outcome, new KnownDifferences.Context(workload, prometheusArgument), prometheusBody, strataBody);
                if (at > 0) {
                    // For the report: the same query as an instant query at the first differing step.
                    String instant = "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&time=" + at;
                    report.file.append("\n  instant at ").append(at).append(": prometheus ").append(get(prometheusUrl + instant))
                            .append("\n  instant at ").append(at).append(": strata     ").append(get(strataUrl + instant));
                }
            }
            predictLinearWithPinnedRangeFollowsTheFix(prometheusUrl, strataUrl, t0 / 1000 + 1800, start, end, step);
            String summary = report.summary(corpus.size(), seed);
            System.out.println(summary);
            // Every difference, explained or not, with both answers for the unexplained ones.
            Files.writeString(Path.of("target", "prometheus-differential.txt"), summary + "\n" + report.file);
            assertTrue(report.comparedPoints > 10_000, "compared " + report.comparedPoints + " points");
            assertEquals(List.of(), report.unexplained, "unexplained differences (seed=" + seed + "):\n"
                    + String.join("\n", report.unexplained));
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
        }
    }

    /**
     * {@link KnownDifferences#PINNED_RANGE_IN_PREDICT_LINEAR}: Prometheus 2.42 answers the range query wrongly,
     * so Strata's answer is checked against what the fixed engine computes, from 2.42's own (correct) instant
     * answers at the pinned time T: the regression line of the pinned range, evaluated at each step t plus
     * 600 s, is {@code predict_linear(...)@T + deriv(...)@T * (t - T)}.
     */
    private void predictLinearWithPinnedRangeFollowsTheFix(String prometheusUrl, String strataUrl, long pinned, long start,
            long end, long step) throws Exception {
        String q = "predict_linear(diff_temperature[5m] @ " + pinned + ", 600)";
        Map<String, Double> atPin = instantValues(prometheusUrl, q, pinned);
        Map<String, Double> slope = instantValues(prometheusUrl, "deriv(diff_temperature[5m] @ " + pinned + ")", pinned);
        assertEquals(4, atPin.size(), "four rooms");
        JsonNode range = JSON.readTree(get(strataUrl + "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + "&start=" + start + "&end=" + end + "&step=" + step)).path("data").path("result");
        assertEquals(4, range.size(), range.toString());
        for (JsonNode series : range) {
            String room = series.path("metric").path("room").asText();
            assertEquals((end - start) / step + 1, series.path("values").size(), room);
            for (JsonNode point : series.path("values")) {
                double want = atPin.get(room) + slope.get(room) * (point.get(0).asLong() - pinned);
                assertTrue(RangeResultComparison.sameFloat(Double.toString(want), point.get(1).asText()),
                        room + " at " + point.get(0) + ": want " + want + ", strata " + point.get(1));
            }
        }
    }

    private Map<String, Double> instantValues(String base, String query, long at) throws Exception {
        Map<String, Double> out = new TreeMap<>();
        JsonNode result = JSON.readTree(get(base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&time=" + at)).path("data").path("result");
        for (JsonNode s : result) out.put(s.path("metric").path("room").asText(), s.path("value").get(1).asDouble());
        return out;
    }

    /**
     * Counts and lists what the comparison found: queries equal, explained (every difference of the query
     * explained by a known 2.42 / 3.x difference), unexplained; differences by class and by known entry.
     */
    private static final class Report {
        long comparedPoints;
        int equal;
        int explainedQueries;
        final Map<String, Integer> byKind = new TreeMap<>();
        final Map<String, Integer> byKnown = new TreeMap<>();
        final List<String> unexplained = new ArrayList<>();
        final StringBuilder file = new StringBuilder();

        /** Adds a query's outcome; returns the time of its first unexplained point difference, or -1. */
        long add(String query, RangeResultComparison.Outcome o, KnownDifferences.Context context, String prometheusBody, String strataBody) {
            comparedPoints += o.comparedPoints();
            if (o.differences().isEmpty()) {
                equal++;
                return -1;
            }
            long firstAt = -1;
            List<String> open = new ArrayList<>();
            Map<String, Integer> known = new TreeMap<>();
            for (RangeResultComparison.Difference d : o.differences()) {
                byKind.merge(d.kind(), 1, Integer::sum);
                KnownDifferences.Known k = KnownDifferences.explain(d, o.differences(), context);
                if (k == null) {
                    open.add("[" + d.kind() + "] " + d.detail().replace("\n", "\n    "));
                    if (firstAt < 0 && d.at() > 0) firstAt = d.at();
                }
                else known.merge(k.name() + " (" + k.prometheusChange() + ")", 1, Integer::sum);
            }
            known.forEach((k, n) -> byKnown.merge(k, n, Integer::sum));
            file.append("\n").append(query).append("\n  ").append(o.differences().size()).append(" differences; explained: ").append(known);
            if (open.isEmpty()) {
                explainedQueries++;
                return -1;
            }
            unexplained.add(query + "\n    " + open.get(0) + (open.size() > 1 ? "\n    ... and " + (open.size() - 1) + " more" : ""));
            for (String u : open) file.append("\n  UNEXPLAINED ").append(u);
            file.append("\n  prometheus: ").append(prometheusBody.length() > 4000 ? prometheusBody.substring(0, 4000) + "..." : prometheusBody);
            file.append("\n  strata:     ").append(strataBody.length() > 4000 ? strataBody.substring(0, 4000) + "..." : strataBody);
            return firstAt;
        }

        String summary(int queries, long seed) {
            StringBuilder sb = new StringBuilder("Differential test vs Prometheus 2.42 (seed=" + seed + "): " + queries
                    + " range queries, " + comparedPoints + " points compared; " + equal + " queries equal, " + explainedQueries
                    + " different only where 2.42 and 3.x differ on purpose, " + unexplained.size() + " with unexplained differences");
            sb.append("\n  differing points/answers by class: ").append(byKind);
            sb.append("\n  explained by known 2.42 / 3.x differences: ").append(byKnown);
            for (String u : unexplained) sb.append("\n  UNEXPLAINED ").append(u);
            return sb.toString();
        }
    }

    private int prometheusPort;

    private Process startPrometheus(String prom) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global: {}\n");
        prometheusPort = freePort();
        List<String> cmd = new ArrayList<>(List.of(prom, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("prometheus"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--web.enable-remote-write-receiver"));
        if (DiffWorkload.NATIVE_HISTOGRAMS) cmd.add("--enable-feature=native-histograms");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    private void write(String base, byte[] body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0").timeout(QUERY_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode(), base + ": " + r.body());
    }

    /** Polls the range-vector query until it holds {@code want} samples (the consumers apply asynchronously). */
    private String awaitCount(String base, String query, long at, String want) throws Exception {
        String url = base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + at;
        String body = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            body = get(url);
            long total = 0;
            for (JsonNode series : JSON.readTree(body).path("data").path("result")) {
                total += series.path("values").size() + series.path("histograms").size();
            }
            if (Long.toString(total).equals(want)) return want;
            Thread.sleep(250);
        }
        return body;
    }

    private void awaitReady(String base, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            if (process != null && !process.isAlive()) break;
            Thread.sleep(200);
        }
        throw new AssertionError(base + " not ready" + (process == null ? "" : "; log:\n" + Files.readString(dir.resolve("prometheus.log"))));
    }

    private String get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(QUERY_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String onPath(String name) {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(p, name);
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

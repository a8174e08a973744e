package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.bench.RemoteWriteRequestEncoder;
import dev.strata.node.config.NodeConfig;
import dev.strata.store.model.Labels;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xerial.snappy.Snappy;

/**
 * The range-query results cache in a whole node (real Kafka, real Cassandra), configured as for the
 * compare benchmark: a 75 min out-of-order window, and the cache keeping every step older than now minus
 * query.results-cache.timestamp-offset (default 5 m), so inside that window. Range queries over the last
 * 70 min are answered from the cache when repeated; then late writes land in the cached range through the
 * node's own gateway -- an out-of-order sample of a series (remote write) and a new series backfilled 40 min
 * back (Influx line protocol) -- and the next answers include them, equal to uncached answers, annotations
 * included.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class ResultsCacheNodeTest {
    private static final long MIN = 60_000L;
    private static final long NOW = System.currentTimeMillis() / MIN * MIN;
    /** The series has a sample every minute from 70 min ago to 2 min ago. */
    private static final long FIRST = NOW - 70 * MIN;
    private static final long LAST = NOW - 2 * MIN;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void lateWritesInsideTheOutOfOrderWindowIntoACachedRangeAreInTheNextAnswer(KafkaBroker kafka, CassandraNode cassandra)
            throws Exception {
        long seed = System.nanoTime();
        String topic = "cache-" + Long.toHexString(seed);
        String keyspace = "cache_" + Long.toHexString(seed & 0xffffffffL);
        NodeConfig config = config(kafka, cassandra, topic, keyspace, "store.out-of-order-window=75m",
                "query.results-cache.enabled=true", "query.results-cache.split-interval=1h",
                "query.results-cache.ingest-lag=0s");
        Labels a = Labels.of("__name__", "late_metric", "instance", "a");
        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            awaitReady(base);
            for (long t = FIRST; t <= LAST; t += MIN) write(base, a, t, 1);
            String range = "&start=" + FIRST / 1000 + "&end=" + (NOW - MIN) / 1000 + "&step=60";
            String url = base + "/api/v1/query_range?query=" + enc("sum(sum_over_time(late_metric[1m]))") + range;
            // Not a counter: each answer carries Prometheus's info annotation, cached or not.
            String rateUrl = base + "/api/v1/query_range?query=" + enc("rate(late_metric[5m])") + range;
            String first = await(url, body -> body.split("\\],\\[").length == 69, "all 69 samples visible");
            String firstRate = get(rateUrl);
            assertTrue(firstRate.contains("might not be a counter"), firstRate);
            double hits = metric(base, "strata_query_results_cache_hits_total");
            assertEquals(first, get(url));
            assertEquals(firstRate, get(rateUrl));
            assertTrue(metric(base, "strata_query_results_cache_hits_total") >= hits + 2, "the repeats are cache hits");

            // Out of order, 30 min back: inside the node's window, so accepted by its own gateway, and in the cached range.
            long late = NOW - 30 * MIN - 30_000;
            String cell = "[" + (late + 30_000) / 1000 + ",\"101\"]";
            assertFalse(first.contains(cell));
            double invalidations = metric(base, "strata_query_results_cache_invalidations_total");
            write(base, a, late, 100);
            String after = await(url, body -> body.contains(cell), "the out-of-order sample in the answer");
            assertEquals(get(url + "&nocache=1"), after);
            assertTrue(metric(base, "strata_query_results_cache_invalidations_total") > invalidations);
            String afterRate = get(rateUrl);
            assertNotEquals(firstRate, afterRate);
            assertEquals(get(rateUrl + "&nocache=1"), afterRate);
            assertTrue(afterRate.contains("might not be a counter"), afterRate);

            // A new series backfilled 40 min back through another protocol (Influx line protocol).
            hits = metric(base, "strata_query_results_cache_hits_total");
            assertEquals(after, get(url)); // cached again
            assertTrue(metric(base, "strata_query_results_cache_hits_total") > hits);
            long backfill = NOW - 40 * MIN - 30_000;
            String cell2 = "[" + (backfill + 30_000) / 1000 + ",\"8\"]";
            writeInflux(base, "late,instance=b metric=7 " + backfill);
            String after2 = await(url, body -> body.contains(cell2), "the backfilled sample in the answer");
            assertEquals(get(url + "&nocache=1"), after2);
        }
    }

    private static String enc(String q) {
        return URLEncoder.encode(q, StandardCharsets.UTF_8);
    }

    private void writeInflux(String base, String line) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/write?precision=ms"))
                .POST(HttpRequest.BodyPublishers.ofString(line + "\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode(), r.body());
    }

    private static NodeConfig config(KafkaBroker kafka, CassandraNode cassandra, String topic, String keyspace,
                                     String... extra) throws Exception {
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cache-node");
        List<String> kv = new java.util.ArrayList<>(List.of("http.port=0", "http.bind=127.0.0.1", "data.dir=" + data,
                "shards=2", "kafka.topic=" + topic, "cassandra.keyspace=" + keyspace, "flush.interval=2s",
                "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(), "node.connect-retry-interval=200ms"));
        kv.addAll(List.of(extra));
        return NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), kv));
    }

    private void write(String base, Labels series, long t, double v) throws Exception {
        byte[] body = Snappy.compress(new RemoteWriteRequestEncoder().encode(List.of(series), new double[] {v}, 0, 1, t));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode(), r.body());
    }

    private String await(String url, java.util.function.Predicate<String> done, String what) throws Exception {
        String last = "";
        for (int i = 0; i < 600; i++) { // 60 s: the machine is loaded
            last = get(url);
            if (done.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": not after 60 s: " + last);
    }

    private double metric(String base, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(get(base + "/metrics"));
        assertTrue(m.find(), name + " on /metrics");
        return Double.parseDouble(m.group(1));
    }

    private void awaitReady(String base) throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (java.io.IOException ignored) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node not ready after 60 s");
    }

    private String get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}

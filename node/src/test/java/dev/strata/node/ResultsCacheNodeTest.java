package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The range-query results cache in a whole node (real Kafka, real Cassandra): a range query is answered
 * from the cache when repeated, then late writes land in the cached range through a second, gateway-only
 * node configured with a larger out-of-order window (a backfill) -- an out-of-order sample within the
 * store's window of a series that stopped two hours ago, and a new series -- and the next answers
 * include them, equal to uncached answers. (Through the node's own gateway no sample older than its
 * window gets in, so a late write there needs consumer lag beyond query.results-cache.ingest-lag.)
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class ResultsCacheNodeTest {
    private static final long MIN = 60_000L;
    private static final long NOW = System.currentTimeMillis() / MIN * MIN;
    /** The series has a sample every minute from 3 h ago to 2 h ago, then stops. */
    private static final long FIRST = NOW - 180 * MIN;
    private static final long LAST = NOW - 120 * MIN;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void lateWritesIntoACachedRangeAreInTheNextAnswer(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = System.nanoTime();
        String topic = "cache-" + Long.toHexString(seed);
        String keyspace = "cache_" + Long.toHexString(seed & 0xffffffffL);
        // The node under test: 10 m out-of-order window, so steps older than now - 10 m are cached.
        NodeConfig config = config(kafka, cassandra, topic, keyspace, "store.out-of-order-window=10m",
                "query.results-cache.enabled=true", "query.results-cache.split-interval=1h",
                "query.results-cache.ingest-lag=0s");
        // A gateway configured with a larger window (a backfill): it accepts samples hours old into the same log.
        NodeConfig backfillGateway = config(kafka, cassandra, topic, keyspace, "store.out-of-order-window=4h",
                "node.role=gateway");
        Labels a = Labels.of("__name__", "late_metric", "instance", "a");
        try (NodeAssembly node = new NodeAssembly(config); NodeAssembly gateway = new NodeAssembly(backfillGateway)) {
            node.start();
            gateway.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            String writes = "http://127.0.0.1:" + gateway.httpPort();
            awaitReady(base);
            awaitReady(writes);
            for (long t = FIRST; t <= LAST; t += MIN) write(writes, a, t, 1);
            String q = "sum(sum_over_time(late_metric[1m]))";
            String url = base + "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                    + "&start=" + (NOW - 200 * MIN) / 1000 + "&end=" + (NOW - 20 * MIN) / 1000 + "&step=60";
            String first = await(url, body -> body.split("\\],\\[").length == 61, "all 61 samples visible");
            double hits = metric(base, "strata_query_results_cache_hits_total");
            assertEquals(first, get(url));
            assertTrue(metric(base, "strata_query_results_cache_hits_total") > hits, "the repeat is a cache hit");

            // Out of order within the node's window of the series' newest sample (2 h ago), so in the cached range.
            long late = LAST - 5 * MIN - 30_000;
            String cell = "[" + (late + 30_000) / 1000 + ",\"101\"]";
            assertFalse(first.contains(cell));
            write(writes, a, late, 100);
            String after = await(url, body -> body.contains(cell), "the out-of-order sample in the answer");
            assertEquals(get(url + "&nocache=1"), after);
            assertTrue(metric(base, "strata_query_results_cache_invalidations_total") > 0);

            // A new series backfilled 2 h 8 m back: also a late write.
            get(url); // cache the current answer again
            long backfill = LAST - 8 * MIN - 30_000;
            String cell2 = "[" + (backfill + 30_000) / 1000 + ",\"8\"]";
            write(writes, Labels.of("__name__", "late_metric", "instance", "b"), backfill, 7);
            String after2 = await(url, body -> body.contains(cell2), "the backfilled sample in the answer");
            assertEquals(get(url + "&nocache=1"), after2);
        }
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

package dev.strata.ingest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.ingest.bench.CompareReport.Bytes;
import dev.strata.ingest.bench.CompareReport.Latency;
import dev.strata.ingest.bench.CompareTarget.Kind;
import dev.strata.node.NodeAssembly;
import dev.strata.node.config.NodeConfig;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.io.File;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code strata bench compare} against a REAL Prometheus 2.42 and a Strata node on real Kafka and
 * Cassandra, with seconds of load: every phase runs, both systems report bytes/sample from their own
 * storage (Prometheus's snapshot, Strata's chunk bytes at rest in Cassandra, over the samples
 * acknowledged, never more than its flush counters count) for a seeded dataset, both acknowledge the
 * ingest load, and both answer every query with the same number of series.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class CompareBenchRealTest {
    @Test
    void comparesARealPrometheusAndANode(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        String bin = prometheusBinary();
        assumeTrue(bin != null, "the prometheus binary is not on PATH (apt-get install prometheus); skipping");
        long seed = System.nanoTime();
        System.out.println("CompareBenchRealTest seed " + seed);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "compare");
        Path dataset = dir.resolve("tiny.jsonl.gz");
        long samples = writeDataset(dataset, new Random(seed));
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + dir.resolve("data"), "shards=4",
                "kafka.topic=cmp-" + Long.toHexString(seed), "cassandra.keyspace=cmp_" + Long.toHexString(seed & 0xffffffffL),
                "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms", "flush.interval=2s", "store.out-of-order-window=75m")));
        Process prom = null;
        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String strata = "http://127.0.0.1:" + node.httpPort();
            int promPort = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 15s\n");
            Path promData = dir.resolve("prom");
            prom = new ProcessBuilder(bin, "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + promData,
                    "--web.listen-address=127.0.0.1:" + promPort, "--web.enable-remote-write-receiver", "--web.enable-admin-api")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            String prometheus = "http://127.0.0.1:" + promPort;
            awaitOk(strata + "/-/ready");
            awaitOk(prometheus + "/-/ready");

            CompareReport r = CompareBench.run(CompareBench.parse(new String[] {"--strata", strata, "--prometheus", prometheus,
                    "--prometheus-data", promData.toString(), "--dataset", dataset.toString(), "--hosts", "100", "--duration", "3",
                    "--query-hosts", "3", "--rounds", "1", "--strata-flush-interval", "2", "--seed", Long.toString(seed),
                    "--strata-cassandra", cassandra.host() + ":" + cassandra.port(), "--strata-keyspace", "cmp_" + Long.toHexString(seed & 0xffffffffL)}));

            Map<Kind, Bytes> bytes = r.bytes.get("tiny");
            Bytes p = bytes.get(Kind.PROMETHEUS), s = bytes.get(Kind.STRATA);
            assertEquals(samples, p.acked());
            assertEquals(samples, s.acked());
            assertEquals(samples, p.samples(), 0.0, "Prometheus appended every sample");
            assertEquals(samples, s.samples(), 0.0, "Strata's bytes at rest are over the samples acknowledged: " + s);
            try (var session = cassandra.openSession()) {
                long rows = 0, rowSamples = 0;
                for (var row : session.execute("SELECT samples FROM cmp_" + Long.toHexString(seed & 0xffffffffL) + ".chunks")) {
                    rows++;
                    rowSamples += row.getInt(0);
                }
                assertTrue(rows > 0 && rowSamples >= samples, "every sample is in a chunk row at rest: " + rows + " rows, " + rowSamples + " samples");
            }
            // both compress a counter with jitter: well under 16 raw bytes (8 timestamp + 8 value), and their chunks hold something
            assertTrue(p.perSample() > 0.2 && p.perSample() < 8, p.toString());
            assertTrue(s.perSample() > 0.2 && s.perSample() < 8, s.toString());
            assertTrue(r.ingest.get(Kind.PROMETHEUS) > 0 && r.ingest.get(Kind.STRATA) > 0, r.ingest.toString());
            Map<String, Map<Kind, Latency>> all = new java.util.LinkedHashMap<>(r.dashboard);
            all.putAll(r.small);
            assertEquals(CompareQueries.DASHBOARD.size() + CompareQueries.SMALL.size(), all.size());
            for (Map.Entry<String, Map<Kind, Latency>> e : all.entrySet()) {
                int ps = e.getValue().get(Kind.PROMETHEUS).series(), ss = e.getValue().get(Kind.STRATA).series();
                assertTrue(ps > 0, e.getKey() + ": Prometheus answered no series");
                assertEquals(ps, ss, e.getKey() + ": series returned");
                assertTrue(e.getValue().get(Kind.STRATA).nocache() > 0, e.getKey());
            }
        } finally {
            if (prom != null) {
                prom.destroy();
                if (!prom.waitFor(20, TimeUnit.SECONDS)) prom.destroyForcibly();
            }
        }
    }

    /** 30 counters (whole-number steps, as node_exporter's /proc counters), 240 samples 15 s apart with up to 50 ms of jitter; returns the sample count. */
    private static long writeDataset(Path file, Random rnd) throws Exception {
        long t0 = 1_795_294_290_010L;
        try (Writer w = new java.io.OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
            for (int s = 0; s < 30; s++) {
                StringBuilder line = new StringBuilder("{\"metric\":{\"__name__\":\"tiny_total\",\"job\":\"node\",\"i\":\"" + s + "\"},\"values\":[");
                double v = rnd.nextInt(1000);
                for (int i = 0; i < 240; i++) {
                    v += rnd.nextInt(100);
                    long t = t0 + i * 15_000L + rnd.nextInt(50);
                    if (i > 0) line.append(',');
                    line.append(String.format(Locale.ROOT, "[%d.%03d,\"%s\"]", t / 1000, t % 1000, Long.toString((long) v)));
                }
                w.write(line.append("]}\n").toString());
            }
        }
        return 30 * 240;
    }

    private static void awaitOk(String url) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) throw new AssertionError(url + " not ready in 60 s");
            Thread.sleep(200);
        }
    }

    private static String prometheusBinary() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(p, "prometheus");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

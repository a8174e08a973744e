package dev.strata.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.query.distributed.QueryScope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.node.config.HttpSettings;
import dev.strata.node.http.HttpServer;
import dev.strata.node.http.Router;
import dev.strata.query.api.ApiSettings;
import dev.strata.query.api.BuildInfo;
import dev.strata.query.api.PrometheusApi;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.remote.RemoteReadHandler;
import dev.strata.store.selfmetrics.MetricsRegistry;
import dev.strata.store.model.Labels;
import io.netty.handler.codec.http.HttpMethod;
import java.io.File;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REAL Prometheus 2.42 (the Debian package's binary) with {@code remote_read} pointing at Strata answers
 * queries over data only Strata holds (a 3-node cluster, each node owning a part of the shards, the
 * remote read served by node 0 through the cluster's queryable), and its answers equal Strata's own
 * {@code /api/v1/query_range} answers byte for byte. Skipped where {@code prometheus} is absent
 * (.ci/run installs it).
 */
class RealPrometheusRemoteReadTest {
    @TempDir
    Path dir;

    static String prometheusBinary() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(p, "prometheus");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void prometheusReadsStrataDataThroughRemoteRead() throws Exception {
        String bin = prometheusBinary();
        assumeTrue(bin != null, "the prometheus binary is not on PATH (apt-get install prometheus); skipping");
        long now = System.currentTimeMillis() / 1000 * 1000;
        long from = now - 40 * 60_000L;
        ExecutorService executor = Executors.newFixedThreadPool(2);
        Process prom = null;
        try (InProcessCluster cluster = new InProcessCluster(3, 8, 1, QueryOptions.defaults())) {
            // 12 series over 6 jobs (so over several shards and nodes), 30 minutes at 15 s, counters with a reset.
            for (int j = 0; j < 6; j++) {
                for (int i = 0; i < 2; i++) {
                    Labels l = Labels.of("__name__", "rr_requests_total", "job", "job" + j, "instance", "i" + i);
                    double v = 0;
                    for (long t = from; t <= now - 10 * 60_000L; t += 15_000) {
                        v = (t - from) % 600_000 == 0 && t > from ? 1 : v + j + i + 0.25;
                        cluster.append(l, t, v);
                    }
                }
            }
            InProcessCluster.Node node = cluster.nodes.get(0);
            assertTrue(cluster.ownership.ownedBy(0).size() < 8, "node 0 must not hold every shard");
            try (HttpServer strata = startStrata(node, executor, now)) {
                int promPort = freePort();
                Path config = remoteReadConfig(dir, strata.port());
                prom = new ProcessBuilder(bin, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + promPort)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
                HttpClient client = HttpClient.newHttpClient();
                String promBase = "http://127.0.0.1:" + promPort;
                String strataBase = "http://127.0.0.1:" + strata.port();
                waitReady(client, promBase + "/-/ready");
                // Steps fall 7 s off the 15 s sample grid, so no sample sits on a range boundary, where
                // Prometheus 2.x (closed ranges) and 3.x (left-open, as Strata) differ. No rate(): its
                // extrapolation differs between 2.42 and 3.x, which Strata follows.
                for (String q : List.of("rr_requests_total", "rr_requests_total{job=~\"job[135]\",instance!=\"i1\"}",
                        "sum by (job) (rr_requests_total)", "count(rr_requests_total)",
                        "max_over_time(rr_requests_total{instance=\"i0\"}[90s])")) {
                    String params = "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                            + "&start=" + (from / 1000 + 37) + "&end=" + (now / 1000 - 12 * 60) + "&step=60";
                    String fromProm = get(client, promBase + params);
                    String fromStrata = get(client, strataBase + params);
                    assertTrue(fromStrata.contains("\"values\":[["), q + ": Strata has data: " + fromStrata);
                    assertEquals(fromStrata, fromProm, q + " (prometheus log:\n"
                            + Files.readString(dir.resolve("prometheus.log")) + ")");
                }
            }
        } finally {
            if (prom != null) {
                prom.destroy();
                if (!prom.waitFor(10, TimeUnit.SECONDS)) prom.destroyForcibly().waitFor();
            }
            executor.shutdownNow();
        }
    }

    /**
     * Native histograms in remote read's {@code SAMPLES} answer, with a REAL Prometheus 2.42
     * ({@code --enable-feature=native-histograms --web.enable-remote-write-receiver}) whose {@code remote_read}
     * (read_recent) points at node 0 of a 3-node cluster holding counter and gauge histograms (whole counts:
     * integer histograms), a histogram with fractional counts (a float histogram) and floats, 30 minutes at
     * 15 s.
     * <ol>
     *   <li>Prometheus parses the answer, histograms included (its protobuf decoder checks every field's wire
     *       type), and its float answers equal Strata's byte for byte. Its remote-read client (2.42) drops
     *       the histograms of a read answer: its series iterator reads floats only until
     *       prometheus/prometheus#12192 (2.44). So {@code histogram_count} through remote read is empty in
     *       2.42; the test checks that too, so that it says when the installed Prometheus changes.</li>
     *   <li>So that a real Prometheus decodes the histograms Strata sends, the test posts the very
     *       {@code TimeSeries} messages of Strata's read answer, unchanged, as a remote-write request to the
     *       same Prometheus (remote write 1.0 uses the same prompb message), and then its
     *       {@code histogram_count}, {@code histogram_sum} and raw range queries must equal Strata's own
     *       (bucket bounds within 1e-9 relative, see {@link RealPrometheusFederateTest#samePoint}).</li>
     * </ol>
     * Before remote read carried histograms, step 2 found no histogram in Prometheus.
     */
    @Test
    void nativeHistogramsInRemoteReadAnswers() throws Exception {
        String bin = prometheusBinary();
        assumeTrue(bin != null, "the prometheus binary is not on PATH (apt-get install prometheus); skipping");
        long now = System.currentTimeMillis() / 1000 * 1000;
        long from = now - 40 * 60_000L;
        long last = now - 10 * 60_000L;
        ExecutorService executor = Executors.newFixedThreadPool(2);
        Process prom = null;
        try (InProcessCluster cluster = new InProcessCluster(3, 8, 1, QueryOptions.defaults())) {
            for (int j = 0; j < 3; j++) {
                Labels counter = Labels.of("__name__", "rrh_latency_seconds", "job", "job" + j);
                Labels gauge = Labels.of("__name__", "rrh_queue_sizes", "job", "job" + j);
                Labels ratio = Labels.of("__name__", "rrh_ratio", "job", "job" + j);
                Labels up = Labels.of("__name__", "rrh_up", "job", "job" + j);
                int i = 0;
                for (long t = from; t <= last; t += 15_000, i++) {
                    cluster.append(counter, t, HistogramSamples.counter(i + j));
                    cluster.append(gauge, t, HistogramSamples.gauge(i + j));
                    cluster.append(ratio, t, HistogramSamples.floatCounts(i + j));
                    cluster.append(up, t, i % 2);
                }
            }
            InProcessCluster.Node node = cluster.nodes.get(0);
            try (HttpServer strata = startStrata(node, executor, now)) {
                int promPort = freePort();
                Path config = remoteReadConfig(dir, strata.port());
                prom = new ProcessBuilder(bin, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + promPort, "--enable-feature=native-histograms",
                        "--web.enable-remote-write-receiver")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
                HttpClient client = HttpClient.newHttpClient();
                String promBase = "http://127.0.0.1:" + promPort;
                String strataBase = "http://127.0.0.1:" + strata.port();
                waitReady(client, promBase + "/-/ready");
                // Steps 7 s off the 15 s grid, as in the float test above.
                String range = "&start=" + (from / 1000 + 37) + "&end=" + (last / 1000 + 37) + "&step=60";
                ObjectMapper json = new ObjectMapper();

                // 1. Through remote read: floats as Strata's; 2.42's client drops the histograms.
                String floats = "/api/v1/query_range?query=" + URLEncoder.encode("rrh_up", StandardCharsets.UTF_8) + range;
                String fromStrata = get(client, strataBase + floats);
                assertTrue(fromStrata.contains("\"values\":[["), "Strata has data: " + fromStrata);
                assertEquals(fromStrata, get(client, promBase + floats), "prometheus log:\n" + Files.readString(dir.resolve("prometheus.log")));
                JsonNode viaRead = json.readTree(get(client, promBase + "/api/v1/query_range?query="
                        + URLEncoder.encode("histogram_count({__name__=~\"rrh_.*\"})", StandardCharsets.UTF_8) + range));
                assertEquals(0, viaRead.get("data").get("result").size(),
                        "Prometheus 2.42's remote-read client reads no histograms (#12192 is in 2.44): if this fails, the installed "
                                + "Prometheus reads them and this test should compare its remote-read answers directly: " + viaRead);

                // 2. The TimeSeries of Strata's read answer, relayed unchanged into Prometheus by remote write.
                List<byte[]> series = readTimeSeries(client, strataBase, from, last);
                assertEquals(12, series.size(), "series in Strata's read answer");
                java.io.ByteArrayOutputStream write = new java.io.ByteArrayOutputStream();
                com.google.protobuf.CodedOutputStream wo = com.google.protobuf.CodedOutputStream.newInstance(write);
                for (byte[] ts : series) wo.writeByteArray(1, ts);
                wo.flush();
                HttpResponse<String> written = client.send(HttpRequest.newBuilder(URI.create(promBase + "/api/v1/write"))
                        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(org.xerial.snappy.Snappy.compress(write.toByteArray()))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(204, written.statusCode(), "remote write of the read answer: " + written.body());
                int points = 0;
                for (String q : List.of("histogram_count(rrh_latency_seconds)", "histogram_sum(rrh_latency_seconds)",
                        "histogram_count(rrh_queue_sizes)", "histogram_sum(rrh_ratio)", "histogram_count(rrh_ratio)",
                        "rrh_latency_seconds", "rrh_queue_sizes", "rrh_ratio")) {
                    String params = "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + range;
                    List<JsonNode> theirs = sortedResult(json.readTree(get(client, promBase + params)));
                    List<JsonNode> ours = sortedResult(json.readTree(get(client, strataBase + params)));
                    assertEquals(3, ours.size(), q + ": Strata's series");
                    assertEquals(ours.size(), theirs.size(), q + ": series " + theirs);
                    for (int k = 0; k < ours.size(); k++) {
                        assertEquals(ours.get(k).get("metric"), theirs.get(k).get("metric"), q);
                        String field = ours.get(k).has("histograms") ? "histograms" : "values";
                        JsonNode a = ours.get(k).get(field), b = theirs.get(k).get(field);
                        assertTrue(b != null && a.size() == b.size(), q + " " + ours.get(k).get("metric") + ": points " + a.size() + " vs " + b);
                        for (int p = 0; p < a.size(); p++) {
                            assertEquals(a.get(p).get(0), b.get(p).get(0), q + " timestamp");
                            assertTrue(RealPrometheusFederateTest.samePoint(a.get(p).get(1), b.get(p).get(1)),
                                    q + " " + ours.get(k).get("metric") + " at " + a.get(p).get(0) + ": Strata " + a.get(p).get(1)
                                            + ", Prometheus " + b.get(p).get(1));
                            points++;
                        }
                    }
                }
                System.out.println("remote read histograms: " + points + " points agree");
                assertTrue(points >= 8 * 3 * 25, "too few points compared: " + points);
            }
        } finally {
            if (prom != null) {
                prom.destroy();
                if (!prom.waitFor(10, TimeUnit.SECONDS)) prom.destroyForcibly().waitFor();
            }
            executor.shutdownNow();
        }
    }

    /** The {@code TimeSeries} messages, as bytes, of a {@code SAMPLES} read of {@code {__name__=~"rrh_.*"}} over [from, to]. */
    /** Node {@code node}'s remote read and query API on an ephemeral port, started. */
    private static HttpServer startStrata(InProcessCluster.Node node, ExecutorService executor, long now) throws Exception {
        RemoteReadHandler read = new RemoteReadHandler(node.data, executor, 50_000_000, 1 << 20, 64 << 20);
        PrometheusApi api = new PrometheusApi(node.evaluator, node.metadata,
                new ApiSettings(QueryOptions.defaults(), BuildInfo.of("0", "", "", "", ""), Map.of(), "", now),
                executor, System::currentTimeMillis);
        Router router = Router.builder().post("/api/v1/read", read::handle)
                .prefix(HttpMethod.GET, "/api/v1/", api::handle).build();
        HttpServer strata = new HttpServer(new HttpSettings("127.0.0.1", 0, 32 << 20, Duration.ofMinutes(1), 1),
                router, new MetricsRegistry());
        strata.start();
        return strata;
    }

    /** A Prometheus configuration that remote-reads (recent data too) from Strata on {@code port}. */
    private static Path remoteReadConfig(Path dir, int port) throws Exception {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1m
                remote_read:
                  - url: http://127.0.0.1:%d/api/v1/read
                    read_recent: true
                """.formatted(port));
        return config;
    }

    private static List<byte[]> readTimeSeries(HttpClient client, String base, long from, long to) throws Exception {
        java.io.ByteArrayOutputStream matcher = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream mo = com.google.protobuf.CodedOutputStream.newInstance(matcher);
        mo.writeEnum(1, 2); // RE
        mo.writeString(2, "__name__");
        mo.writeString(3, "rrh_.*");
        mo.flush();
        java.io.ByteArrayOutputStream query = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream qo = com.google.protobuf.CodedOutputStream.newInstance(query);
        qo.writeInt64(1, from);
        qo.writeInt64(2, to);
        qo.writeByteArray(3, matcher.toByteArray());
        qo.flush();
        java.io.ByteArrayOutputStream req = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream ro = com.google.protobuf.CodedOutputStream.newInstance(req);
        ro.writeByteArray(1, query.toByteArray());
        ro.writeEnum(2, 0); // SAMPLES
        ro.flush();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/read"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(org.xerial.snappy.Snappy.compress(req.toByteArray()))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(org.xerial.snappy.Snappy.uncompress(r.body()));
        List<byte[]> out = new java.util.ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            com.google.protobuf.CodedInputStream result = com.google.protobuf.CodedInputStream.newInstance(in.readByteArray());
            for (int t2; (t2 = result.readTag()) != 0; ) out.add(result.readByteArray());
        }
        return out;
    }

    private static List<JsonNode> sortedResult(JsonNode response) {
        List<JsonNode> out = new java.util.ArrayList<>();
        response.get("data").get("result").forEach(out::add);
        out.sort((p, q) -> p.get("metric").toString().compareTo(q.get("metric").toString()));
        return out;
    }

    /** A shard without a ready owner makes the read fail whole with 503 (remote read has no partial answers). */
    @Test
    void aShardWithoutReadyOwnerFailsTheRead() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(1);
        try (InProcessCluster cluster = new InProcessCluster(3, 8, 1, QueryOptions.defaults())) {
            for (int j = 0; j < 8; j++) cluster.append(Labels.of("__name__", "m", "job", "j" + j), 1000, j);
            int shard = cluster.mapper.shard(Labels.of("__name__", "m", "job", "j0"));
            for (int o : cluster.ownership.owners(shard)) cluster.nodes.get(o).notReady.add(shard);
            // Under the node's wiring (NodeAssembly): reads run in a scope that refuses partial data.
            RemoteReadHandler read = new RemoteReadHandler((m, a, b) -> QueryScope.run(false, new QueryScope[1],
                    () -> cluster.nodes.get(0).data.select(m, a, b)), executor, 1000, 1 << 20, 1 << 20);
            java.io.ByteArrayOutputStream matcher = new java.io.ByteArrayOutputStream();
            com.google.protobuf.CodedOutputStream mo = com.google.protobuf.CodedOutputStream.newInstance(matcher);
            mo.writeEnum(1, 0);
            mo.writeString(2, "__name__");
            mo.writeString(3, "m");
            mo.flush();
            java.io.ByteArrayOutputStream query = new java.io.ByteArrayOutputStream();
            com.google.protobuf.CodedOutputStream qo = com.google.protobuf.CodedOutputStream.newInstance(query);
            qo.writeInt64(1, 0);
            qo.writeInt64(2, 10_000);
            qo.writeByteArray(3, matcher.toByteArray());
            qo.flush();
            java.io.ByteArrayOutputStream req = new java.io.ByteArrayOutputStream();
            com.google.protobuf.CodedOutputStream ro = com.google.protobuf.CodedOutputStream.newInstance(req);
            ro.writeByteArray(1, query.toByteArray());
            ro.flush();
            io.netty.handler.codec.http.FullHttpResponse r = read.handle(new io.netty.handler.codec.http.DefaultFullHttpRequest(
                    io.netty.handler.codec.http.HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/read",
                    io.netty.buffer.Unpooled.wrappedBuffer(org.xerial.snappy.Snappy.compress(req.toByteArray())))).get();
            String body = r.content().toString(StandardCharsets.UTF_8);
            assertEquals(503, r.status().code(), body);
            assertTrue(body.contains("no ready owner for shards [" + shard + "]"), body);
        } finally {
            executor.shutdownNow();
        }
    }

    static void waitReady(HttpClient client, String url) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) return;
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (System.currentTimeMillis() > deadline) throw new AssertionError("prometheus not ready within 60 s");
            Thread.sleep(200);
        }
    }

    private static String get(HttpClient client, String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }
}

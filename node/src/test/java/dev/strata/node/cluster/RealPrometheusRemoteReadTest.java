package dev.strata.node.cluster;

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
            RemoteReadHandler read = new RemoteReadHandler(node.data, executor, 50_000_000, 1 << 20, 64 << 20);
            PrometheusApi api = new PrometheusApi(node.evaluator, node.metadata,
                    new ApiSettings(QueryOptions.defaults(), BuildInfo.of("0", "", "", "", ""), Map.of(), "", now),
                    executor, System::currentTimeMillis);
            Router router = Router.builder().post("/api/v1/read", read::handle)
                    .prefix(HttpMethod.GET, "/api/v1/", api::handle).build();
            try (HttpServer strata = new HttpServer(new HttpSettings("127.0.0.1", 0, 32 << 20, Duration.ofMinutes(1), 1),
                    router, new MetricsRegistry())) {
                strata.start();
                int promPort = freePort();
                Path config = dir.resolve("prometheus.yml");
                Files.writeString(config, """
                        global:
                          scrape_interval: 1m
                        remote_read:
                          - url: http://127.0.0.1:%d/api/v1/read
                            read_recent: true
                        """.formatted(strata.port()));
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

    private static void waitReady(HttpClient client, String url) throws Exception {
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

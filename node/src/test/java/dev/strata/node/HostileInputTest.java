package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.bench.RemoteWriteRequestEncoder;
import dev.strata.node.config.NodeConfig;
import dev.strata.store.model.Labels;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xerial.snappy.Snappy;

/**
 * The hostile-input suite (issue 14): requests a hostile client sends, against a whole node with a
 * real Kafka broker and Cassandra. Each gets a 4xx with a message (or, where the input is legal but
 * large, a correct answer), quickly; after each the node is healthy and a normal query answers
 * exactly as before the attack.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    /** 2 hours ago on a minute boundary: within the gateway's sample-age limit, room for a long series. */
    private static final long T0 = (System.currentTimeMillis() - 7_200_000L) / 60_000L * 60_000L;
    private static final String NORMAL_QUERY = "sum by (job) (count_over_time(up[3h]))";

    private static final String CLUSTER_SECRET = "hostile-input-test-cluster-secret";
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private NodeAssembly node;
    private String base;
    private String normalAnswer;

    @BeforeAll
    void startNodeWithData(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = System.nanoTime();
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "hostile-node");
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + data, "shards=2",
                "kafka.topic=hostile-" + Long.toHexString(seed), "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.keyspace=hostile_" + Long.toHexString(seed & 0xffffffffL),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms",
                // its data lies hours back: the gateway refuses samples older than this window (data safety, case 7)
                "store.out-of-order-window=1d",
                // a cluster port (node-to-node endpoints are served there only), behind the shared secret;
                // cluster.nodes=1 keeps it a static single node (credentials without it mean dynamic membership)
                "cluster.nodes=1", "cluster.port=0", "cluster.secret-file=" + Files.writeString(data.resolve("cluster-secret"), CLUSTER_SECRET))));
        node = new NodeAssembly(config);
        node.start();
        base = "http://127.0.0.1:" + node.httpPort();
        awaitReady();
        List<Labels> series = List.of(Labels.of("__name__", "up", "job", "api", "instance", "a"),
                Labels.of("__name__", "up", "job", "node", "instance", "b"));
        for (int s = 0; s < 10; s++) {
            HttpResponse<String> r = remoteWrite(Snappy.compress(new RemoteWriteRequestEncoder()
                    .encode(series, new double[] {1, 1}, 0, 2, T0 + s * 60_000L)));
            assertEquals(204, r.statusCode(), r.body());
        }
        String expected = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"job\":\"api\"},\"value\":[%s,\"10\"]},{\"metric\":{\"job\":\"node\"},\"value\":[%s,\"10\"]}]}}";
        long at = (T0 + 10 * 60_000L) / 1000;
        for (int i = 0; i < 300 && !String.format(expected, at, at).equals(normalAnswer); i++) {
            normalAnswer = normalQuery();
            Thread.sleep(100);
        }
        assertEquals(String.format(expected, at, at), normalAnswer);
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    /** After every attack: healthy, and the normal query answers exactly as before. */
    private void stillHealthy() throws Exception {
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/-/healthy")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(normalAnswer, normalQuery());
    }

    private String normalQuery() throws Exception {
        return get("/api/v1/query?query=" + enc(NORMAL_QUERY) + "&time=" + (T0 + 10 * 60_000L) / 1000).body();
    }

    private static void assert4xx(HttpResponse<String> r, int status, String messagePart) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains(messagePart), "expected \"" + messagePart + "\" in: " + r.body());
    }

    @Test
    void nodeToNodeSelectDeclaringTwoBillionShards() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(26);
        b.putInt(0x5353454C).put((byte) 1).putLong(0).putLong(1);
        b.put(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07});
        // Not served on the public port at all; on the cluster port, a peer holding the secret gets a 400.
        assertEquals(404, post("/internal/v1/select", b.array(), "application/octet-stream", null).statusCode());
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.clusterPort()
                        + "/internal/v1/select")).header("Content-Type", "application/octet-stream")
                .header(dev.strata.node.security.ClusterSecurity.SECRET_HEADER, CLUSTER_SECRET)
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.array())).build(), HttpResponse.BodyHandlers.ofString());
        assert4xx(r, 400, "cannot fit");
        stillHealthy();
    }

    @Test
    void snappyBodyDeclaringAGigabyte() throws Exception {
        byte[] body = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04, 0x00}; // varint 2^30, then junk
        assert4xx(remoteWrite(body), 413, "exceeds the limit");
        stillHealthy();
    }

    /** One series of 20 million empty labels (40 MB decompressed from a 2 MB snappy body). */
    @Test
    void snappyBodyExpandingToMillionsOfEmptyLabels() throws Exception {
        int labels = 20_000_000;
        ByteArrayOutputStream ts = new ByteArrayOutputStream(2 * labels + 32);
        byte[] empty = new byte[2 * labels];
        for (int i = 0; i < labels; i++) empty[2 * i] = 0x0A; // Label {} : tag 1 (LEN), length 0
        ts.writeBytes(empty);
        byte[] series = ts.toByteArray();
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(0x0A);
        writeVarint(req, series.length);
        req.writeBytes(series);
        long start = System.nanoTime();
        assert4xx(remoteWrite(Snappy.compress(req.toByteArray())), 400, "has no labels");
        assertTrue(System.nanoTime() - start < 30_000_000_000L);
        stillHealthy();
    }

    @Test
    void hundredThousandLabelsInReverseOrder() throws Exception {
        ByteArrayOutputStream ts = new ByteArrayOutputStream();
        for (int i = 100_000; i > 0; i--) {
            byte[] label = labelMessage(String.format("l%06d", i), "v");
            ts.write(0x0A);
            writeVarint(ts, label.length);
            ts.writeBytes(label);
        }
        byte[] series = ts.toByteArray();
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(0x0A);
        writeVarint(req, series.length);
        req.writeBytes(series);
        long start = System.nanoTime();
        assert4xx(remoteWrite(Snappy.compress(req.toByteArray())), 400, "more than 30 labels");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 10_000, "rejected after " + ms + " ms");
        stillHealthy();
    }

    /** One gzip-compressed Influx line: 29 tags and two million fields, each field a series copying every tag. */
    @Test
    void gzipInfluxLineWithMillionsOfFields() throws Exception {
        StringBuilder line = new StringBuilder("m");
        for (int t = 0; t < 29; t++) line.append(",tag").append(t).append("=value").append(t);
        line.append(' ');
        for (int f = 0; f < 2_000_000; f++) line.append(f == 0 ? "" : ",").append('f').append(f).append("=1");
        line.append('\n');
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = post("/api/v2/write?precision=s", gz.toByteArray(), "text/plain", "gzip");
        assert4xx(r, 413, "more than 100000 series");
        stillHealthy();
    }

    @Test
    void influxFieldWithoutAValue() throws Exception {
        HttpResponse<String> r = post("/api/v2/write", "m f=,g=1\n".getBytes(StandardCharsets.UTF_8), "text/plain", null);
        assert4xx(r, 400, "missing value for field \\\"f\\\"");
        stillHealthy();
    }

    /** A legal series too large for one Kafka record: split over several records, stored whole (never a 503). */
    @Test
    void oneSeriesLargerThanAKafkaRecord() throws Exception {
        int n = 120_000; // ~2.2 MB in the record format, the record limit is 900 KiB
        long start = T0 + 20 * 60_000L;
        ByteArrayOutputStream ts = new ByteArrayOutputStream();
        for (String[] l : new String[][] {{"__name__", "big"}, {"job", "x"}}) {
            byte[] label = labelMessage(l[0], l[1]);
            ts.write(0x0A);
            writeVarint(ts, label.length);
            ts.writeBytes(label);
        }
        for (int i = 0; i < n; i++) {
            ByteArrayOutputStream sample = new ByteArrayOutputStream();
            sample.write(0x09); // value: field 1, fixed64
            sample.writeBytes(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(i).array());
            sample.write(0x10); // timestamp: field 2, varint
            writeVarint(sample, start + i * 10L);
            ts.write(0x12);
            writeVarint(ts, sample.size());
            ts.writeBytes(sample.toByteArray());
        }
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(0x0A);
        writeVarint(req, ts.size());
        req.writeBytes(ts.toByteArray());
        HttpResponse<String> r = remoteWrite(Snappy.compress(req.toByteArray()));
        assertEquals(204, r.statusCode(), r.body());
        String q = "/api/v1/query?query=" + enc("count_over_time(big[1h])") + "&time=" + (start + n * 10L) / 1000;
        String got = "";
        for (int i = 0; i < 300 && !got.contains("\"" + n + "\""); i++) {
            got = get(q).body();
            Thread.sleep(100);
        }
        assertTrue(got.contains("\"" + n + "\""), got);
        stillHealthy();
    }

    @Test
    void deeplyNestedQueries() throws Exception {
        for (String q : List.of("(".repeat(50_000) + "up" + ")".repeat(50_000), "-".repeat(50_000) + "up",
                "up" + " + up".repeat(50_000), "abs(".repeat(5_000) + "up" + ")".repeat(5_000))) {
            HttpResponse<String> r = post("/api/v1/query", ("query=" + enc(q)).getBytes(StandardCharsets.UTF_8),
                    "application/x-www-form-urlencoded", null);
            assert4xx(r, 400, "expression nesting depth exceeds the limit");
            assertTrue(r.body().contains("\"errorType\":\"bad_data\""), r.body());
        }
        stillHealthy();
    }

    @Test
    void regexesAreRe2() throws Exception {
        assert4xx(get("/api/v1/query?query=" + enc("up{job=~\"(a)\\\\1\"}")), 400,
                "parse error: error parsing regexp: invalid escape sequence: `\\\\1`");
        long start = System.nanoTime();
        String hostile = "(a+)+b|(a|aa)+$x";
        assertEquals(200, get("/api/v1/query?query=" + enc("up{instance=~\"" + hostile + "\"}")).statusCode());
        assertEquals(200, get("/api/v1/label/instance/values?match[]=" + enc("{instance=~\"" + hostile + "\"}")).statusCode());
        assertEquals(200, get("/api/v1/query?query=" + enc("label_replace(up, \"x\", \"$1\", \"job\", \"" + hostile + "\")")).statusCode());
        assertTrue(System.nanoTime() - start < 30_000_000_000L);
        stillHealthy();
    }

    @Test
    void queryOverEverySeriesForTenYearsStopsAtTheTimeout() throws Exception {
        HttpResponse<String> r = get("/api/v1/query?timeout=1ms&query=" + enc("count_over_time({__name__=~\".+\"}[3650d])"));
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"errorType\":\"timeout\""), r.body());
        stillHealthy();
    }

    /** Grafana: request lines over 4 KiB and large Authorization headers are accepted; beyond 1 MiB: 414 / 431. */
    @Test
    void longRequestLinesAndHeaders() throws Exception {
        StringBuilder alternatives = new StringBuilder("a");
        while (alternatives.length() < 20_000) alternatives.append("|host-").append(alternatives.length());
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/label/job/values?match[]="
                        + enc("up{instance=~\"" + alternatives + "\"}")))
                .header("Authorization", "Bearer " + "x".repeat(64_000)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<String> tooLong = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query=up&x="
                + "y".repeat(1_100_000))).build(), HttpResponse.BodyHandlers.ofString());
        assert4xx(tooLong, 414, "request line too long");
        stillHealthy();
    }

    /**
     * 120 pipelined queries on one connection: over the per-connection bound of 16 (reading pauses and
     * resumes) and over query.max-concurrency (20): every request is answered, in order, the ones
     * beyond the admission limit with 503 in Prometheus's error shape, never a hang or a dropped connection.
     */
    @Test
    void pipelinedQueriesAreBoundedAndAllAnswered() throws Exception {
        int n = 120;
        try (Socket s = new Socket("127.0.0.1", node.httpPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            StringBuilder reqs = new StringBuilder();
            for (int i = 0; i < n; i++) {
                reqs.append("GET /api/v1/query?query=").append(i).append(" HTTP/1.1\r\nHost: x\r\n")
                        .append(i == n - 1 ? "Connection: close\r\n" : "").append("\r\n");
            }
            out.write(reqs.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int ok = count(text, "HTTP/1.1 200 OK");
            int busy = count(text, "HTTP/1.1 503 Service Unavailable");
            assertEquals(n, ok + busy, text.length() > 3000 ? text.substring(0, 3000) : text);
            assertTrue(ok >= 1, "some queries admitted");
            if (busy > 0) {
                assertTrue(text.contains("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"too many concurrent queries"),
                        "503s in Prometheus's error shape");
            }
            System.out.println("pipelined queries: " + ok + " answered, " + busy + " refused with 503");
        }
        stillHealthy();
    }

    private static int count(String s, String part) {
        int c = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) c++;
        return c;
    }

    private static byte[] labelMessage(String name, String value) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        for (int f = 1; f <= 2; f++) {
            byte[] s = (f == 1 ? name : value).getBytes(StandardCharsets.UTF_8);
            m.write(f << 3 | 2);
            writeVarint(m, s.length);
            m.writeBytes(s);
        }
        return m.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private HttpResponse<String> remoteWrite(byte[] body) throws Exception {
        return post("/api/v1/write", body, "application/x-protobuf", "snappy");
    }

    private HttpResponse<String> post(String path, byte[] body, String contentType, String encoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) b.header("Content-Encoding", encoding);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady() throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                if (get("/-/ready").statusCode() == 200) return;
            } catch (java.io.IOException ignored) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node not ready after 60 s");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

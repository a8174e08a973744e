package dev.strata.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.config.HttpSettings;
import dev.strata.store.selfmetrics.MetricsRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final Readiness readiness = new Readiness();
    private final AtomicBoolean componentReady = new AtomicBoolean();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer server;
    private Router router;

    @BeforeEach
    void start() throws Exception {
        router = SystemRoutes.addTo(Router.builder(), readiness, metrics)
                .post("/echo", req -> {
                    // Answer later, from another thread, like ingest after a Kafka ack.
                    String body = req.content().toString(StandardCharsets.UTF_8);
                    CompletableFuture<FullHttpResponse> f = new CompletableFuture<>();
                    later.schedule(() -> f.complete(HttpResponses.text(HttpResponseStatus.OK, "echo:" + body)),
                            20, TimeUnit.MILLISECONDS);
                    return f;
                })
                .get("/slow", req -> {
                    CompletableFuture<FullHttpResponse> f = new CompletableFuture<>();
                    later.schedule(() -> f.complete(HttpResponses.text(HttpResponseStatus.OK, "slow")), 200,
                            TimeUnit.MILLISECONDS);
                    return f;
                })
                .get("/slower", req -> {
                    CompletableFuture<FullHttpResponse> f = new CompletableFuture<>();
                    later.schedule(() -> f.complete(HttpResponses.text(HttpResponseStatus.OK, "slower")), 600,
                            TimeUnit.MILLISECONDS);
                    return f;
                })
                .get("/fast", req -> CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.OK, "fast")))
                .get("/throws", req -> {
                    throw new IllegalStateException("boom \"quoted\"");
                })
                .get("/fails", req -> CompletableFuture.failedFuture(new RuntimeException("async boom")))
                .build();
        server = new HttpServer(new HttpSettings("127.0.0.1", 0, 1024, Duration.ofMinutes(5), 2), router, metrics);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        later.shutdownNow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void healthyAndReady() throws Exception {
        HttpResponse<String> r = get("/-/healthy");
        assertEquals(200, r.statusCode());
        assertEquals("Strata is Healthy.\n", r.body());

        r = get("/-/ready");
        assertEquals(503, r.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"Strata is not ready: no component registered yet\"}",
                r.body());
        readiness.register("kafka", componentReady::get);
        readiness.register("cassandra", () -> true);
        r = get("/-/ready");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("waiting for kafka"), r.body());
        componentReady.set(true);
        r = get("/-/ready");
        assertEquals(200, r.statusCode());
        assertEquals("Strata is Ready.\n", r.body());
    }

    @Test
    void metricsEndpoint() throws Exception {
        get("/-/healthy");
        get("/nope");
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        assertTrue(r.body().contains("strata_http_requests_total{code=\"200\",handler=\"/-/healthy\"} 1\n"), r.body());
        assertTrue(r.body().contains("strata_http_requests_total{code=\"404\",handler=\"unmatched\"} 1\n"), r.body());
        assertTrue(r.body().contains("strata_http_request_duration_seconds_count{handler=\"/-/healthy\"} 1\n"), r.body());
    }

    @Test
    void headIsAnsweredLikeGetWithoutABody() throws Exception {
        HttpResponse<String> g = get("/-/healthy");
        HttpResponse<String> h = client.send(HttpRequest.newBuilder(uri("/-/healthy")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, h.statusCode());
        assertEquals("", h.body());
        assertEquals(String.valueOf(g.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                h.headers().firstValue("content-length").orElse(""));
        // The connection stays usable: the next response is not confused with a body.
        assertEquals(g.body(), get("/-/healthy").body());
    }

    @Test
    void errorsAreJson() throws Exception {
        HttpResponse<String> r = get("/nope?x=1");
        assertEquals(404, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        assertEquals("{\"status\":\"error\",\"errorType\":\"not_found\",\"error\":\"no route for GET /nope\"}", r.body());

        r = client.send(HttpRequest.newBuilder(uri("/-/healthy")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD", r.headers().firstValue("allow").orElse(""));
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"method DELETE not allowed for /-/healthy; allowed: GET, HEAD\"}",
                r.body());

        r = get("/throws");
        assertEquals(500, r.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"boom \\\"quoted\\\"\"}", r.body());
        r = get("/fails");
        assertEquals(500, r.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"async boom\"}", r.body());
    }

    @Test
    void asyncPostWithBody() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("echo:hello", r.body());
    }

    @Test
    void tooLargeBodyIs413AndTheServerKeepsServing() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1025))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"request body of 1025 bytes exceeds the limit"
                + " of 1024 bytes (http.max-request-bytes)\"}", r.body());
        r = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1024))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    }

    @Test
    void pipelinedResponsesKeepRequestOrderOnOneConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int slow = all.indexOf("\r\n\r\nslow");
            int fast = all.indexOf("\r\n\r\nfast");
            int healthy = all.indexOf("Strata is Healthy.");
            assertTrue(slow > 0 && fast > slow && healthy > fast, all);
            assertEquals(3, all.split("HTTP/1.1 200 OK", -1).length - 1, all);
        }
    }

    /**
     * More pipelined requests than http.max-pipelined-requests (16): reading pauses and resumes, every
     * one is answered. (Netty itself closes a connection with more than 128 requests outstanding.)
     */
    @Test
    void manyPipelinedRequestsAreAllAnsweredInOrder() throws Exception {
        int n = 120;
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            StringBuilder reqs = new StringBuilder();
            for (int i = 0; i < n; i++) {
                reqs.append(i % 40 == 0 ? "GET /slow" : "GET /fast").append(" HTTP/1.1\r\nHost: x\r\n")
                        .append(i == n - 1 ? "Connection: close\r\n" : "").append("\r\n");
            }
            s.getOutputStream().write(reqs.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(n, all.split("HTTP/1.1 200 OK", -1).length - 1, all.length() > 2000 ? all.substring(all.length() - 2000) : all);
        }
    }

    @Test
    void idleConnectionsAreClosedButNotWhileARequestIsInFlight() throws Exception {
        HttpServer idle = new HttpServer(new HttpSettings("127.0.0.1", 0, 1024, Duration.ofMillis(300), 1), router,
                new MetricsRegistry());
        idle.start();
        try (Socket s = new Socket("127.0.0.1", idle.port())) {
            s.setSoTimeout(5000);
            // /slower answers after 600 ms, longer than the 300 ms idle timeout: in flight is not idle.
            s.getOutputStream().write("GET /slower HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!got.toString(StandardCharsets.UTF_8).endsWith("slower")) {
                int n = in.read(buf);
                assertTrue(n > 0, "connection closed before the response: " + got);
                got.write(buf, 0, n);
            }
            long start = System.nanoTime();
            assertEquals(-1, in.read(buf), "the server closes the idle connection");
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMs >= 100 && waitedMs < 4000, "closed after " + waitedMs + " ms");
        } finally {
            idle.close();
        }
    }

    @Test
    void gzipWhenAccepted() throws Exception {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri("/metrics"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("gzip", r.headers().firstValue("content-encoding").orElse(""));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(r.body())) {
            in.transferTo(body);
        }
        assertTrue(body.toString(StandardCharsets.UTF_8).contains("# TYPE strata_http_requests_total counter"));
        // The connection survives a compressed response.
        assertEquals(200, get("/-/healthy").statusCode());
    }

    @Test
    void jsonStringEscaping() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", dev.strata.store.json.JsonWriter.quote("a\"b\\c\nd\u0001"));
        FullHttpResponse r = HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "bad_data", "x");
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"x\"}",
                new String(ByteBufUtil.getBytes(r.content()), StandardCharsets.UTF_8));
        r.release();
    }
}

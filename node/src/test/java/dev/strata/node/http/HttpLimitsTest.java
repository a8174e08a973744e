package dev.strata.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.config.HttpSettings;
import dev.strata.node.config.LimitSettings;
import dev.strata.store.selfmetrics.MetricsRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server-wide in-flight body bytes bound and full handler queues: 503 with Retry-After in Prometheus's shape. */
class HttpLimitsTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void bodiesBeyondTheServerWideBoundAndFullQueuesGet503() throws Exception {
        CompletableFuture<Void> held = new CompletableFuture<>();
        CountDownLatch first = new CountDownLatch(1);
        Router router = Router.builder()
                .post("/hold", req -> {
                    first.countDown();
                    return held.thenApply(x -> HttpResponses.text(HttpResponseStatus.OK, "done"));
                })
                .get("/full", req -> {
                    throw new RejectedExecutionException("queue full");
                })
                .build();
        LimitSettings d = LimitSettings.defaults();
        LimitSettings small = new LimitSettings(d.maxHeaderBytes(), d.maxPipelinedRequests(), d.maxInFlightBytesPerConnection(),
                4096, d.maxConcurrentQueries(), d.maxDecompressedBytes(), d.maxQueuedWrites(), d.decode());
        HttpServer server = new HttpServer(new HttpSettings("127.0.0.1", 0, 1 << 20, Duration.ofMinutes(1), 1), small,
                router, new MetricsRegistry());
        server.start();
        try {
            URI hold = URI.create("http://127.0.0.1:" + server.port() + "/hold");
            CompletableFuture<HttpResponse<String>> a = client.sendAsync(HttpRequest.newBuilder(hold)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3000])).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(first.await(30, TimeUnit.SECONDS));
            HttpResponse<String> b = client.send(HttpRequest.newBuilder(hold)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3000])).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, b.statusCode(), b.body());
            assertEquals("1", b.headers().firstValue("Retry-After").orElse(""));
            assertTrue(b.body().startsWith("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"the node is overloaded: "
                    + "the node holds 3000 bytes of request bodies (limit http.max-in-flight-bytes 4096)"), b.body());
            held.complete(null);
            assertEquals(200, a.get(30, TimeUnit.SECONDS).statusCode());
            // released: the same body is admitted now
            assertEquals(200, client.send(HttpRequest.newBuilder(hold).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3000]))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            HttpResponse<String> full = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/full"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, full.statusCode(), full.body());
            assertTrue(full.body().contains("the handler's queue is full"), full.body());
        } finally {
            server.close();
        }
    }
}

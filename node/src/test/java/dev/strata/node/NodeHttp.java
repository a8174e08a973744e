package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The plain HTTP steps the node tests with a real client share: wait for readiness, GET expecting 200. */
final class NodeHttp {
    private NodeHttp() {}

    /** Polls {@code base/-/ready} until it answers 200; fails after 120 s. */
    static void awaitReady(HttpClient client, String base) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (IOException e) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("node not ready within 120 s");
    }

    /** GETs {@code url}, asserts a 200 (the body in the message otherwise) and returns the body. */
    static String getOk(HttpClient client, String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }
}

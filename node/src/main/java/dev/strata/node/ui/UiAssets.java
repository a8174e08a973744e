package dev.strata.node.ui;

import dev.strata.node.http.HttpResponses;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The web UI's files, served from the node's jar: {@code GET /} (and {@code /graph}, Prometheus's
 * address of its expression browser) answer {@code index.html}, {@code GET /ui/<file>} the bundle.
 * The bundle is built from {@code node/src/main/ui} by the Maven build (npm + esbuild) into the
 * classpath directory {@code ui/}; its files are read once, at construction, and only they are served
 * (no path from a request ever reaches the class loader). A node built without the bundle answers
 * {@code /} with 404 naming the missing file.
 */
public final class UiAssets {
    static final String RESOURCE_DIR = "ui/";
    static final List<String> FILES = List.of("index.html", "main.js", "main.css");

    private record Asset(byte[] bytes, String contentType) {}

    private final Map<String, Asset> assets = new HashMap<>();

    public UiAssets() {
        this(UiAssets.class.getClassLoader());
    }

    UiAssets(ClassLoader loader) {
        for (String f : FILES) {
            try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + f)) {
                if (in != null) assets.put(f, new Asset(in.readAllBytes(), contentType(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("reading the UI file " + RESOURCE_DIR + f + " from the classpath", e);
            }
        }
    }

    /** {@code GET /}: the UI's page. */
    public CompletableFuture<FullHttpResponse> index(FullHttpRequest req) {
        return CompletableFuture.completedFuture(answer("index.html"));
    }

    /** {@code GET /ui/<file>}. */
    public CompletableFuture<FullHttpResponse> asset(FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        return CompletableFuture.completedFuture(answer(path.substring(path.lastIndexOf('/') + 1)));
    }

    private FullHttpResponse answer(String file) {
        Asset a = assets.get(file);
        if (a == null) {
            return HttpResponses.text(HttpResponseStatus.NOT_FOUND, FILES.contains(file)
                    ? "The UI file " + file + " is not in this build (the node was built without its web UI).\n"
                    : "404 page not found\n");
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(a.bytes()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
        // The bundle's names do not change between builds: make the browser revalidate.
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) return "text/html; charset=utf-8";
        if (file.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (file.endsWith(".css")) return "text/css; charset=utf-8";
        return "application/json";
    }
}

package dev.strata.node.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bundle the build put on the classpath is served; nothing else is. */
class UiAssetsTest {
    private final UiAssets ui = new UiAssets();

    @Test
    void servesThePageAndItsBundle() throws Exception {
        FullHttpResponse index = ui.index(get("/")).get();
        assertEquals(200, index.status().code());
        assertEquals("text/html; charset=utf-8", index.headers().get(HttpHeaderNames.CONTENT_TYPE));
        String html = index.content().toString(StandardCharsets.UTF_8);
        assertTrue(html.contains("src=\"/ui/main.js\"") && html.contains("href=\"/ui/main.css\""), html);
        FullHttpResponse js = ui.asset(get("/ui/main.js?v=1")).get();
        assertEquals(200, js.status().code());
        assertEquals("text/javascript; charset=utf-8", js.headers().get(HttpHeaderNames.CONTENT_TYPE));
        // The bundle holds the editor library and the graph library: nothing is loaded from elsewhere.
        String bundle = js.content().toString(StandardCharsets.UTF_8);
        assertTrue(bundle.length() > 100_000, "bundle of " + bundle.length() + " chars");
        assertTrue(!bundle.contains("https://cdn") && !bundle.contains("unpkg.com"), "no CDN reference");
        assertEquals(200, ui.asset(get("/ui/main.css")).get().status().code());
    }

    @Test
    void anythingElseIsNotFound() throws Exception {
        for (String path : new String[] {"/ui/", "/ui/missing.js", "/ui/../node/pom.xml", "/ui/%2e%2e/x", "/ui/dev/strata/node/Main.class"}) {
            assertEquals(404, ui.asset(get(path)).get().status().code(), path);
        }
    }

    private static DefaultFullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }
}

package dev.strata.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Route a = req -> CompletableFuture.completedFuture(null);
    private final Route b = req -> CompletableFuture.completedFuture(null);
    private final Route c = req -> CompletableFuture.completedFuture(null);

    @Test
    void exactBeatsPrefixAndLongestPrefixWins() {
        Router r = Router.builder()
                .get("/api/v1/labels", a)
                .prefix(HttpMethod.GET, "/api/v1/", b)
                .prefix(HttpMethod.GET, "/api/v1/label/", c)
                .build();
        assertSame(a, ((Router.Match.Found) r.match(HttpMethod.GET, "/api/v1/labels")).route());
        Router.Match.Found found = (Router.Match.Found) r.match(HttpMethod.GET, "/api/v1/label/job/values");
        assertSame(c, found.route());
        assertEquals("/api/v1/label/*", found.pattern());
        assertSame(b, ((Router.Match.Found) r.match(HttpMethod.GET, "/api/v1/series")).route());
        assertTrue(r.match(HttpMethod.GET, "/api/v2/x") instanceof Router.Match.NotFound);
    }

    @Test
    void wrongMethodListsAllowedOnes() {
        Router r = Router.builder().getOrPost("/api/v1/query", a).build();
        assertEquals(new Router.Match.MethodNotAllowed(Set.of("GET", "HEAD", "POST")), r.match(HttpMethod.DELETE, "/api/v1/query"));
        assertSame(a, ((Router.Match.Found) r.match(HttpMethod.POST, "/api/v1/query")).route());
        assertSame(a, ((Router.Match.Found) r.match(HttpMethod.HEAD, "/api/v1/query")).route(), "HEAD is served by GET");
        Router postOnly = Router.builder().post("/api/v1/write", a).build();
        assertEquals(new Router.Match.MethodNotAllowed(Set.of("POST")), postOnly.match(HttpMethod.HEAD, "/api/v1/write"));
    }

    @Test
    void duplicatesAndBadPathsAreRejected() {
        Router.Builder builder = Router.builder().get("/x", a);
        assertThrows(IllegalArgumentException.class, () -> builder.get("/x", b));
        assertThrows(IllegalArgumentException.class, () -> builder.get("x", b));
        assertThrows(IllegalArgumentException.class, () -> builder.get("/y", null));
    }
}

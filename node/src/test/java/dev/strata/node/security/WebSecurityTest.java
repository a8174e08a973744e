package dev.strata.node.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.strata.node.http.HttpResponses;
import dev.strata.node.http.Route;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The route guard without a network: who gets 401, 403 or through, and what the open default says. */
class WebSecurityTest {
    private static final Route OK = req -> CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.OK, "ok"));

    @TempDir
    Path dir;

    @Test
    void withoutAFileEverythingIsOpenAndTheLogSaysSo() throws Exception {
        try (WebSecurity open = WebSecurity.open()) {
            assertTrue(open.describe().startsWith("authentication disabled, TLS disabled"), open.describe());
            assertEquals(200, call(open.guard(Access.ADMIN, OK), "/api/v1/status/flags", null).status().code());
        }
    }

    @Test
    void missingOrWrongCredentialsAre401WrongRoleIs403() throws Exception {
        Path file = dir.resolve("web.yml");
        Files.writeString(file, "basic_auth_users:\n  w: " + BCrypt.withDefaults().hashToString(4, "pw".toCharArray())
                + "\nuser_roles:\n  w: [write]\n");
        try (WebSecurity web = WebSecurity.load(file)) {
            assertTrue(web.describe().contains("basic authentication enabled for 1 user(s)"), web.describe());
            FullHttpResponse none = call(web.guard(Access.READ, OK), "/api/v1/query", null);
            assertEquals(401, none.status().code());
            assertEquals(WebSecurity.REALM, none.headers().get("WWW-Authenticate"));
            assertEquals("{\"status\":\"error\",\"errorType\":\"unauthorized\",\"error\":\"authentication required\"}",
                    none.content().toString(StandardCharsets.UTF_8));
            assertEquals(401, call(web.guard(Access.READ, OK), "/api/v1/query", "w:wrong").status().code());
            assertEquals(401, call(web.guard(Access.READ, OK), "/api/v1/query", "nobody:pw").status().code());
            FullHttpResponse forbidden = call(web.guard(Access.READ, OK), "/api/v1/query", "w:pw");
            assertEquals(403, forbidden.status().code());
            assertTrue(forbidden.content().toString(StandardCharsets.UTF_8).contains("\"errorType\":\"forbidden\""));
            FullHttpResponse text = call(web.guard(Access.ADMIN, OK), "/metrics-like", "w:pw");
            assertEquals("text/plain; charset=utf-8", text.headers().get("Content-Type"), "plain text off /api/");
            assertEquals(200, call(web.guard(Access.WRITE, OK), "/api/v1/write", "w:pw").status().code());
            assertEquals(200, call(web.guard(Access.ANY_USER, OK), "/metrics", "w:pw").status().code());
            assertSame(OK, web.guard(Access.OPEN, OK));
        }
    }

    @Test
    void aBrokenFileRefusesToStartNamingTheKey() throws Exception {
        Path file = dir.resolve("web.yml");
        Files.writeString(file, "tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n");
        WebConfigException e = assertThrows(WebConfigException.class, () -> WebSecurity.load(file));
        assertTrue(e.getMessage().contains("tls_server_config") && e.getMessage().contains("missing.crt"), e.getMessage());
    }

    private static FullHttpResponse call(Route route, String path, String userPassword) throws Exception {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        if (userPassword != null) {
            req.headers().set("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    userPassword.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return route.handle(req).get(10, TimeUnit.SECONDS);
        } finally {
            req.release();
        }
    }
}

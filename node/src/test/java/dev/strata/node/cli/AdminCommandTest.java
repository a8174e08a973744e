package dev.strata.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata admin drain|undrain}: the request it sends (method, path, auth) and how it reports the answer. */
class AdminCommandTest {
    private HttpServer server;
    private final List<String> seen = new ArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"status\":\"success\",\"data\":{}}";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(Map<String, String> env, String... args) throws Exception {
        return new AdminCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env)
                .run(args);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Test
    void drainAndUndrainPostToTheAdminSurface(@TempDir Path tmp) throws Exception {
        assertEquals(0, run(Map.of(), "drain", "3", "--url", url()));
        Path pw = Files.writeString(tmp.resolve("pw"), "s3cret\n");
        assertEquals(0, run(Map.of(), "undrain", "3", "--url", url(), "--user", "ops", "--password-file", pw.toString()));
        assertEquals(0, run(Map.of(AdminCommand.PASSWORD_ENV, "envpw"), "drain", "0", "--url", url(), "--user", "ops"));
        String basic = "Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8));
        String basicEnv = "Basic " + Base64.getEncoder().encodeToString("ops:envpw".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("POST /api/v1/admin/drain?node=3 null", "POST /api/v1/admin/undrain?node=3 " + basic,
                "POST /api/v1/admin/drain?node=0 " + basicEnv), seen);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("node 3 drained"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRefusalIsPrintedWithExitCode1() throws Exception {
        status = 400;
        answer = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"unknown node 9; the cluster's members are [0, 1, 2]\"}";
        assertEquals(1, run(Map.of(), "drain", "9", "--url", url()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("HTTP 400: " + answer), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageErrorsNameTheProblem() {
        assertTrue(assertThrows(UsageException.class, () -> run(Map.of(), "drain")).getMessage().contains("'drain NODE'"));
        assertTrue(assertThrows(UsageException.class, () -> run(Map.of(), "drain", "x")).getMessage().contains("got 'x'"));
        assertTrue(assertThrows(UsageException.class, () -> run(Map.of(), "drain", "1", "--user", "ops")).getMessage()
                .contains("STRATA_PASSWORD"));
        assertTrue(assertThrows(UsageException.class, () -> run(Map.of(), "drain", "1", "--url", "localhost:9090")).getMessage()
                .contains("--url must be"));
    }
}

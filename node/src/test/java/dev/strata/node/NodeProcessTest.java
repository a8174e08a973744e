package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata node} as a process: serves, and on SIGTERM stops every component and exits. */
class NodeProcessTest {
    @TempDir
    Path dataDir;

    @Test
    void sigtermStopsTheNodeCleanly() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.strata.node.Main", "node", "--http.bind=127.0.0.1", "--http.port=0", "--data.dir=" + dataDir,
                "--kafka.bootstrap=127.0.0.1:" + dead, "--cassandra.contact-points=127.0.0.1:" + dead,
                "--kafka.request-timeout=1s"))
                .redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuilder all = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        }, "node-output");
        reader.start();
        try {
            Pattern listening = Pattern.compile("HTTP server \\(http\\) listening on 127\\.0\\.0\\.1:(\\d+)");
            Integer port = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (port == null && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    all.append(line).append('\n');
                    Matcher m = listening.matcher(line);
                    if (m.find()) {
                        port = Integer.parseInt(m.group(1));
                    }
                }
            }
            assertNotNull(port, "node did not start:\n" + all);
            HttpResponse<String> healthy = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/healthy")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, healthy.statusCode());

            // SIGTERM. (Not Process.destroy(): it also closes our end of the output pipe.)
            assertTrue(p.toHandle().destroy());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node did not exit after SIGTERM:\n" + all);
            reader.join(5000);
            lines.forEach(l -> all.append(l).append('\n'));
            String log = all.toString();
            assertEquals(143, p.exitValue(), log); // 128 + SIGTERM, after the shutdown hook ran
            int http = log.indexOf("stopped http");
            int dir = log.indexOf("stopped data-dir");
            assertTrue(log.contains("shutting down") && http > 0 && dir > http, log);
        } finally {
            p.destroyForcibly();
        }
    }
}

package dev.strata.node.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.strata.launch.FreePorts;
import dev.strata.node.NodeAssembly;
import dev.strata.node.config.NodeConfig;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole node (real Kafka, real Cassandra) with a web configuration file (TLS, bcrypt users with
 * roles) and an mTLS + secret cluster port, driven by real clients only: a real Prometheus 2.42
 * remote-writes its own metrics through basic auth over TLS, {@code promtool query instant} reads them
 * back through TLS and basic auth (promtool 2.42 has no {@code --http.config.file}, added in 2.43: the
 * credentials go in the URL, which Go's HTTP client sends as basic auth, and the CA in
 * {@code SSL_CERT_FILE}, which Go's TLS reads), curl checks every endpoint group
 * without credentials (401), with the wrong role (403) and with the right one, and talks to the
 * cluster port with and without a client certificate. Then the certificate and the file are replaced
 * and the node picks both up without a restart. Certificates come from openssl. Skipped where
 * prometheus, promtool, curl or openssl are absent (.ci/run installs prometheus).
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class SecureNodeTest {
    private static final String PW_WRITER = "writer-pass-1";
    private static final String PW_READER = "reader-pass-2";
    private static final String PW_ADMIN = "admin-pass-3";
    private static final String SECRET = "0123456789abcdef-cluster-secret";

    @TempDir
    Path dir;

    @Test
    void realClientsThroughTlsBasicAuthRolesAndTheClusterPort(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        for (String tool : List.of("prometheus", "promtool", "curl", "openssl")) {
            assumeTrue(onPath(tool), tool + " is not on PATH; skipping");
        }
        TestCertificates publicCa = TestCertificates.ca(dir.resolve("pki"), "public");
        TestCertificates.Pair server = publicCa.issue("server");
        TestCertificates clusterCa = TestCertificates.ca(dir.resolve("cluster-pki"), "cluster");
        TestCertificates.Pair node = clusterCa.issue("node-0");
        TestCertificates.Pair peer = clusterCa.issue("peer");
        TestCertificates.Pair rogue = TestCertificates.ca(dir.resolve("rogue-pki"), "rogue").issue("rogue");

        Path webConfig = dir.resolve("web.yml");
        String users = "basic_auth_users:\n  writer: " + bcrypt(PW_WRITER) + "\n  reader: " + bcrypt(PW_READER)
                + "\n  admin: " + bcrypt(PW_ADMIN) + "\n";
        String roles = "user_roles:\n  writer: [write]\n  reader: [read]\n  admin: [admin]\n";
        Files.writeString(webConfig, "tls_server_config:\n  cert_file: " + server.cert() + "\n  key_file: " + server.key()
                + "\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n" + users + roles);
        Path secret = dir.resolve("cluster-secret");
        Files.writeString(secret, SECRET + "\n");

        String id = Long.toHexString(System.nanoTime() & 0xffffffffL);
        int httpPort = FreePorts.one();
        int clusterPort = FreePorts.one();
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=" + httpPort, "http.bind=127.0.0.1", "data.dir=" + dir.resolve("data"), "shards=2",
                "kafka.topic=secure-" + id, "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.keyspace=secure_" + id, "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms", "http.web-config-file=" + webConfig, "security.reload-interval=200ms",
                // cluster.nodes=1: the static form (one node with a cluster port); without it, credentials mean dynamic membership.
                "cluster.nodes=1", "cluster.port=" + clusterPort, "cluster.secret-file=" + secret, "cluster.tls.cert-file=" + node.cert(),
                "cluster.tls.key-file=" + node.key(), "cluster.tls.ca-file=" + clusterCa.caCert())));
        Curl curl = new Curl(dir);
        String base = "https://127.0.0.1:" + httpPort;
        String ca = publicCa.caCert().toString();
        Process prometheus = null;
        try (NodeAssembly strata = new NodeAssembly(config)) {
            strata.start();
            // The probes need no credentials (Kubernetes sends none).
            awaitStatus(200, () -> curl.run(base + "/-/ready", "--cacert", ca));
            assertEquals(200, curl.run(base + "/-/healthy", "--cacert", ca).status());
            // Plain HTTP to the TLS port gets no answer.
            assertEquals(0, curl.run("http://127.0.0.1:" + httpPort + "/-/healthy").status());

            // A real Prometheus remote-writes through basic auth over TLS...
            prometheus = startPrometheus(base + "/api/v1/write", ca);
            // ... and promtool reads it back through TLS and basic auth.
            String asReader = "https://reader:" + PW_READER + "@127.0.0.1:" + httpPort;
            long deadline = System.currentTimeMillis() + 120_000;
            String out = "";
            while (System.currentTimeMillis() < deadline && !out.contains("job=\"self\"} => 1")) {
                Thread.sleep(500);
                out = promtool(ca, asReader, "up{job=\"self\"}");
            }
            assertTrue(out.contains("job=\"self\"} => 1"), "promtool never saw up{job=\"self\"}: " + out
                    + "\nprometheus log:\n" + Files.readString(dir.resolve("prometheus.log")));
            String asWriter = promtool(ca, "https://writer:" + PW_WRITER + "@127.0.0.1:" + httpPort, "up");
            assertTrue(asWriter.contains("403") || asWriter.toLowerCase().contains("forbidden"), asWriter);
            String untrusted = promtool(dir.resolve("rogue-pki").resolve("ca-rogue.crt").toString(), asReader, "up");
            assertTrue(untrusted.contains("certificate"), "promtool must not trust another CA: " + untrusted);

            checkEndpointGroups(curl, base, ca);
            checkClusterPort(curl, clusterPort, clusterCa.caCert().toString(), peer, rogue, base, ca);

            // Reload: a new server certificate from another CA and a new user, without a restart.
            TestCertificates newCa = TestCertificates.ca(dir.resolve("pki2"), "public2");
            TestCertificates.Pair newServer = newCa.issue("server2");
            Files.copy(newServer.key(), server.key(), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(newServer.cert(), server.cert(), StandardCopyOption.REPLACE_EXISTING);
            awaitStatus(200, () -> curl.run(base + "/-/healthy", "--cacert", newCa.caCert().toString()));
            assertNotEquals(200, curl.run(base + "/-/healthy", "--cacert", ca).status(), "the old certificate is gone");
            String ca2 = newCa.caCert().toString();
            Files.writeString(webConfig, Files.readString(webConfig).replace("user_roles:\n",
                    "  late: " + bcrypt("late-pass") + "\nuser_roles:\n  late: [read]\n"));
            awaitStatus(200, () -> curl.run(base + "/api/v1/labels", "--cacert", ca2, "-u", "late:late-pass"));
            // A broken file keeps the working configuration.
            Files.writeString(webConfig, Files.readString(webConfig) + "basic_auth_users: [\n");
            Thread.sleep(1_000);
            assertEquals(200, curl.run(base + "/api/v1/labels", "--cacert", ca2, "-u", "late:late-pass").status());
            assertEquals(401, curl.run(base + "/api/v1/labels", "--cacert", ca2).status());
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
            }
        }
    }

    /** Without credentials 401 everywhere but the probes; each role only where it belongs. */
    private static void checkEndpointGroups(Curl curl, String base, String ca) throws Exception {
        record Endpoint(String group, String method, String path) {}
        List<Endpoint> endpoints = List.of(
                new Endpoint("write", "POST", "/api/v1/write"), new Endpoint("write", "POST", "/api/v2/write"),
                new Endpoint("write", "POST", "/write"),
                new Endpoint("read", "GET", "/api/v1/query?query=1"), new Endpoint("read", "POST", "/api/v1/query_range"),
                new Endpoint("read", "GET", "/api/v1/series?match%5B%5D=up"), new Endpoint("read", "GET", "/api/v1/labels"),
                new Endpoint("read", "GET", "/api/v1/label/job/values"), new Endpoint("read", "GET", "/api/v1/status/buildinfo"),
                new Endpoint("admin", "GET", "/api/v1/status/flags"), new Endpoint("admin", "GET", "/api/v1/status/runtimeinfo"),
                new Endpoint("admin", "GET", "/api/v1/status/shards"), new Endpoint("admin", "GET", "/api/v1/status/local-shards"),
                new Endpoint("admin", "POST", "/api/v1/admin/drain?node=0"), new Endpoint("admin", "POST", "/api/v1/admin/undrain?node=0"),
                new Endpoint("any", "GET", "/metrics"));
        Map<String, String> passwords = Map.of("writer", PW_WRITER, "reader", PW_READER, "admin", PW_ADMIN);
        Map<String, String> roleOf = Map.of("writer", "write", "reader", "read", "admin", "admin");
        for (Endpoint e : endpoints) {
            String url = base + e.path();
            Curl.Answer none = curl.run(url, "--cacert", ca, "-X", e.method());
            assertEquals(401, none.status(), e + ": " + none);
            assertTrue(none.header("WWW-Authenticate").startsWith("Basic"), e + ": " + none);
            assertEquals("deny", none.header("X-Frame-Options"), "configured headers on every answer: " + none);
            if (e.path().startsWith("/api/")) {
                assertTrue(none.body().startsWith("{\"status\":\"error\",\"errorType\":\"unauthorized\""), e + ": " + none);
            }
            Curl.Answer wrongPassword = curl.run(url, "--cacert", ca, "-X", e.method(), "-u", "reader:nope");
            assertEquals(401, wrongPassword.status(), e + ": " + wrongPassword);
            for (Map.Entry<String, String> user : passwords.entrySet()) {
                Curl.Answer a = curl.run(url, "--cacert", ca, "-X", e.method(), "-u", user.getKey() + ":" + user.getValue());
                boolean allowed = e.group().equals("any") || e.group().equals(roleOf.get(user.getKey()));
                if (allowed) {
                    assertTrue(a.status() != 401 && a.status() != 403, user.getKey() + " on " + e + ": " + a);
                } else {
                    assertEquals(403, a.status(), user.getKey() + " on " + e + ": " + a);
                    if (e.path().startsWith("/api/")) {
                        assertTrue(a.body().contains("\"errorType\":\"forbidden\""), a.toString());
                    }
                }
            }
        }
        // The node-to-node endpoints are not on the public port, whoever asks.
        Curl.Answer internal = curl.run(base + "/internal/v1/shards", "--cacert", ca, "-u", "admin:" + PW_ADMIN);
        assertEquals(404, internal.status(), internal.toString());
    }

    private static void checkClusterPort(Curl curl, int port, String clusterCa, TestCertificates.Pair peer,
                                         TestCertificates.Pair rogue, String publicBase, String publicCa) throws Exception {
        String url = "https://127.0.0.1:" + port + "/internal/v1/shards";
        Curl.Answer ok = curl.run(url, "--cacert", clusterCa, "--cert", peer.cert().toString(), "--key", peer.key().toString(),
                "-H", ClusterSecurity.SECRET_HEADER + ": " + SECRET);
        assertEquals(200, ok.status(), ok.toString());
        assertTrue(ok.body().matches("(?s)(\\d+ [01] \\d+ \\d+ [01] \\d+ -?\\d+\\n)+"), "shard status lines: " + ok.body());
        Curl.Answer noCert = curl.run(url, "--cacert", clusterCa, "-H", ClusterSecurity.SECRET_HEADER + ": " + SECRET);
        assertEquals(0, noCert.status(), "no client certificate, no answer: " + noCert);
        assertNotEquals(0, noCert.exit(), noCert.toString());
        Curl.Answer wrongCa = curl.run(url, "--cacert", clusterCa, "--cert", rogue.cert().toString(),
                "--key", rogue.key().toString(), "-H", ClusterSecurity.SECRET_HEADER + ": " + SECRET);
        assertEquals(0, wrongCa.status(), "a certificate of another CA, no answer: " + wrongCa);
        Curl.Answer noSecret = curl.run(url, "--cacert", clusterCa, "--cert", peer.cert().toString(),
                "--key", peer.key().toString());
        assertEquals(401, noSecret.status(), noSecret.toString());
        Curl.Answer wrongSecret = curl.run(url, "--cacert", clusterCa, "--cert", peer.cert().toString(),
                "--key", peer.key().toString(), "-H", ClusterSecurity.SECRET_HEADER + ": " + SECRET + "x");
        assertEquals(401, wrongSecret.status(), wrongSecret.toString());
        // The public port's users mean nothing on the cluster port, and the public API is not served there.
        Curl.Answer api = curl.run("https://127.0.0.1:" + port + "/api/v1/query?query=1", "--cacert", clusterCa,
                "--cert", peer.cert().toString(), "--key", peer.key().toString(), "-H", ClusterSecurity.SECRET_HEADER + ": " + SECRET);
        assertEquals(404, api.status(), api.toString());
    }

    private Process startPrometheus(String writeUrl, String ca) throws IOException {
        int promPort = FreePorts.one();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: self
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                remote_write:
                  - url: %s
                    basic_auth:
                      username: writer
                      password: %s
                    tls_config:
                      ca_file: %s
                    queue_config:
                      batch_send_deadline: 1s
                      min_backoff: 100ms
                """.formatted(promPort, writeUrl, PW_WRITER, ca));
        return new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("prom-data"),
                "--web.listen-address=127.0.0.1:" + promPort, "--storage.remote.flush-deadline=1s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    /** {@code promtool query instant}, trusting only {@code caFile}; {@code server} carries the credentials. */
    private static String promtool(String caFile, String server, String query) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder("promtool", "query", "instant", server, query).redirectErrorStream(true);
        b.environment().put("SSL_CERT_FILE", caFile);
        b.environment().remove("SSL_CERT_DIR");
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        return "exit " + p.exitValue() + ": " + out;
    }

    private static String bcrypt(String password) {
        // htpasswd -nBC 10 writes $2y$; verify that form, as Prometheus users have it.
        String h = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, password.toCharArray());
        assertTrue(h.startsWith("$2y$10$"), h);
        return h;
    }

    @FunctionalInterface
    private interface Call {
        Curl.Answer run() throws Exception;
    }

    private static void awaitStatus(int status, Call call) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        Curl.Answer last = null;
        while (System.currentTimeMillis() < deadline) {
            last = call.run();
            if (last.status() == status) return;
            Thread.sleep(200);
        }
        throw new AssertionError("never answered " + status + "; last: " + last);
    }

    private static boolean onPath(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            if (new File(p, tool).canExecute()) return true;
        }
        return false;
    }

}

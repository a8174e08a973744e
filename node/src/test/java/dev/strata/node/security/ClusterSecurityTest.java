package dev.strata.node.security;

import dev.strata.query.distributed.PeerException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.node.cluster.PeerAddresses;
import dev.strata.node.cluster.PeerClient;
import dev.strata.node.config.ConfigException;
import dev.strata.node.config.NodeConfig;
import dev.strata.node.config.SecuritySettings;
import dev.strata.node.config.HttpSettings;
import dev.strata.node.config.LimitSettings;
import dev.strata.node.http.HttpResponses;
import dev.strata.node.http.HttpServer;
import dev.strata.node.http.Router;
import dev.strata.store.selfmetrics.MetricsRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster port's server side and the real peer client (JDK HTTP client) against each other:
 * mutual TLS with the cluster CA plus the shared secret succeeds; a client without the secret, or with
 * a certificate from another CA, is refused; after both nodes' certificates are rotated to a new CA
 * (files replaced, no restart), they talk again.
 */
class ClusterSecurityTest {
    private static final String SECRET = "cluster-secret-for-this-test-0001";

    @TempDir
    Path dir;

    @Test
    void peersTalkOverMutualTlsWithTheSecretAndNobodyElseDoes() throws Exception {
        assumeTrue(new java.io.File("/usr/bin/openssl").canExecute(), "openssl is not installed");
        TestCertificates ca = TestCertificates.ca(dir.resolve("pki"), "cluster");
        TestCertificates.Pair a = ca.issue("node-a");
        TestCertificates.Pair b = ca.issue("node-b");
        Path secret = dir.resolve("secret");
        Files.writeString(secret, SECRET + "\n");
        ClusterSecurity server = ClusterSecurity.of(settings(Optional.of(secret), a, ca.caCert()));
        ClusterSecurity client = ClusterSecurity.of(settings(Optional.of(secret), b, ca.caCert()));
        Router router = Router.builder().get("/internal/v1/ping", server.guard(req -> CompletableFuture.completedFuture(
                HttpResponses.text(HttpResponseStatus.OK, "pong\n")))).build();
        try (HttpServer http = new HttpServer("cluster_http", new HttpSettings("127.0.0.1", 0, 1 << 20,
                Duration.ofSeconds(30), 1), LimitSettings.defaults(), router, new MetricsRegistry(), server)) {
            http.start();
            PeerAddresses peers = new PeerAddresses(List.of("127.0.0.1:" + http.port()), "", "default", 1);
            try (PeerClient peer = new PeerClient(peers, Duration.ofSeconds(5), Duration.ofSeconds(5), client)) {
                assertEquals("pong\n", new String(peer.get(0, "/internal/v1/ping").get(10, TimeUnit.SECONDS),
                        StandardCharsets.UTF_8));
            }
            // The right certificate without the secret: 401.
            Path otherSecret = dir.resolve("other-secret");
            Files.writeString(otherSecret, "a-different-secret-of-enough-bytes");
            try (PeerClient peer = new PeerClient(peers, Duration.ofSeconds(5), Duration.ofSeconds(5),
                    ClusterSecurity.of(settings(Optional.of(otherSecret), b, ca.caCert())))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> peer.get(0, "/internal/v1/ping").get(10, TimeUnit.SECONDS));
                assertEquals(401, ((PeerException) e.getCause()).status());
            }
            // A certificate from another CA: the handshake fails.
            TestCertificates rogueCa = TestCertificates.ca(dir.resolve("rogue"), "rogue");
            TestCertificates.Pair rogue = rogueCa.issue("rogue");
            try (PeerClient peer = new PeerClient(peers, Duration.ofSeconds(5), Duration.ofSeconds(5),
                    ClusterSecurity.of(settings(Optional.of(secret), rogue, ca.caCert())))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> peer.get(0, "/internal/v1/ping").get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof java.io.IOException, e.toString());
            }
            // Rotation: both nodes get certificates of a new CA in place; after the reload they talk again.
            TestCertificates ca2 = TestCertificates.ca(dir.resolve("pki2"), "cluster2");
            for (TestCertificates.Pair p : List.of(a, b)) {
                TestCertificates.Pair fresh = ca2.issue(p.cert().getFileName().toString().replace(".crt", "") + "-2");
                Files.copy(fresh.key(), p.key(), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(fresh.cert(), p.cert(), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(ca2.caCert(), ca.caCert(), StandardCopyOption.REPLACE_EXISTING);
            long before = client.generation();
            assertTrue(server.reloadIfChanged());
            assertTrue(client.reloadIfChanged());
            assertEquals(before + 1, client.generation());
            try (PeerClient peer = new PeerClient(peers, Duration.ofSeconds(5), Duration.ofSeconds(5), client)) {
                assertEquals("pong\n", new String(peer.get(0, "/internal/v1/ping").get(10, TimeUnit.SECONDS),
                        StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aClusterNeedsCredentialsAndAShortSecretIsRefused() throws Exception {
        ConfigException none = assertThrows(ConfigException.class, () -> NodeConfig.from(NodeConfig.resolve(Optional.empty(),
                Map.of(), List.of("cluster.nodes=3", "cluster.peers=a:1,b:1,c:1"))));
        assertTrue(none.getMessage().contains("cluster.secret-file") && none.getMessage().contains("cluster.tls.cert-file"),
                none.getMessage());
        ConfigException half = assertThrows(ConfigException.class, () -> NodeConfig.from(NodeConfig.resolve(Optional.empty(),
                Map.of(), List.of("cluster.tls.cert-file=/x.crt"))));
        assertTrue(half.getMessage().contains("missing: cluster.tls.key-file, cluster.tls.ca-file"), half.getMessage());
        Path shortSecret = dir.resolve("short");
        Files.writeString(shortSecret, "tooshort\n");
        ConfigException tooShort = assertThrows(ConfigException.class,
                () -> ClusterSecurity.of(new SecuritySettings(Optional.empty(), Duration.ofSeconds(1), 0,
                        Optional.of(shortSecret), Optional.empty())));
        assertTrue(tooShort.getMessage().contains("cluster.secret-file: " + shortSecret + " holds 8 bytes"), tooShort.getMessage());
    }

    private static SecuritySettings settings(Optional<Path> secret, TestCertificates.Pair pair, Path ca) {
        return new SecuritySettings(Optional.empty(), Duration.ofSeconds(1), 0, secret,
                Optional.of(new SecuritySettings.ClusterTls(pair.cert(), pair.key(), ca)));
    }
}

package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.strata.node.config.ClusterSettings;
import dev.strata.node.security.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NodeZone} against a stand-in for the Kubernetes API server: a local HTTPS server with a
 * certificate from a test CA (the real path: CA from the service account directory, bearer token, env
 * KUBERNETES_SERVICE_HOST/PORT), and a plain HTTP one (API base injected) for the failure answers.
 */
class NodeZoneTest {
    private static final String NODE = """
            {"kind":"Node","apiVersion":"v1","metadata":{"name":"worker-1","labels":{
             "kubernetes.io/hostname":"worker-1","topology.kubernetes.io/region":"eu-west-1",
             "topology.kubernetes.io/zone":"eu-west-1b"}},"status":{}}""";
    private static final String FORBIDDEN = """
            {"kind":"Status","apiVersion":"v1","status":"Failure","message":"nodes \\"worker-1\\" is forbidden: User \
            \\"system:serviceaccount:default:strata\\" cannot get resource \\"nodes\\" in API group \\"\\" at the cluster \
            scope","reason":"Forbidden","code":403}""";

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService executor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<Answer> answer = new AtomicReference<>(new Answer(200, NODE));

    private record Answer(int status, String body) {}

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
        if (executor != null) executor.shutdownNow();
    }

    private void serve(HttpServer s) {
        server = s;
        executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "k8s-api-stand-in"));
        s.setExecutor(executor);
        s.createContext("/", this::handle);
        s.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Authorization"));
        Answer a = answer.get();
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private Path serviceAccount(String token, Path ca) throws IOException {
        Path sa = Files.createDirectories(dir.resolve("serviceaccount"));
        if (token != null) Files.writeString(sa.resolve("token"), token + "\n");
        if (ca != null) Files.copy(ca, sa.resolve("ca.crt"));
        return sa;
    }

    private NodeZone plainHttp(Path serviceAccount) {
        return new NodeZone(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), serviceAccount, Duration.ofSeconds(2));
    }

    @Test
    void readsTheZoneLabelOverHttpsWithTheServiceAccount() throws Exception {
        TestCertificates ca = TestCertificates.ca(dir.resolve("pki"), "cluster-ca");
        TestCertificates.Pair serverCert = ca.issue("apiserver");
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext(serverCert)));
        serve(https);
        Path sa = serviceAccount("the-token", ca.caCert());
        Map<String, String> env = Map.of("NODE_NAME", "worker-1", "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", Integer.toString(https.getAddress().getPort()));

        assertEquals("eu-west-1b", new NodeZone(null, sa, Duration.ofSeconds(5)).resolve("", env));
        assertEquals(List.of("GET /api/v1/nodes/worker-1 Bearer the-token"), requests);

        // A CA that did not sign the server's certificate: the read fails (TLS), the node has no zone.
        TestCertificates other = TestCertificates.ca(dir.resolve("other"), "other-ca");
        Files.copy(other.caCert(), sa.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        NodeZone untrusted = new NodeZone(null, sa, Duration.ofSeconds(5));
        NodeZone.ZoneLookupException e = assertThrows(NodeZone.ZoneLookupException.class, () -> untrusted.fromKubernetes("worker-1", env));
        assertTrue(e.getMessage().contains("GET https://127.0.0.1:") && e.getMessage().contains("failed"), e.getMessage());
        assertEquals("", untrusted.resolve("", env));
        assertEquals(1, requests.size(), "no request gets past the TLS handshake");
    }

    @Test
    void theSettingWinsAndWithoutNodeNameThereIsNoZone() throws Exception {
        serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        NodeZone zone = plainHttp(serviceAccount("t", null));
        assertEquals("rack-7", zone.resolve("rack-7", Map.of("NODE_NAME", "worker-1")));
        assertEquals("", zone.resolve("", Map.of()));
        assertEquals("", zone.resolve("", Map.of("NODE_NAME", " ")));
        assertEquals(List.of(), requests, "neither asks the API server");
        assertEquals("eu-west-1b", zone.resolve("", Map.of("NODE_NAME", "worker-1")));
        // the public entry point reads node.zone from the settings
        assertEquals("rack-7", NodeZone.resolve(new ClusterSettings(4, 0, Duration.ofSeconds(1), 1, 1, List.of(), "", "default",
                Duration.ofSeconds(1), "rack-7"), Map.of("NODE_NAME", "worker-1")));
    }

    @Test
    void everyFailureIsNamedAndLeavesTheNodeWithoutAZone() throws Exception {
        serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        Map<String, String> env = Map.of("NODE_NAME", "worker-1");
        NodeZone zone = plainHttp(serviceAccount("t", null));

        answer.set(new Answer(403, FORBIDDEN));
        fails(zone, "worker-1", env, "answered 403: nodes \"worker-1\" is forbidden", "deploy/k8s/rbac.yaml");
        answer.set(new Answer(404, "404 page not found"));
        fails(zone, "worker-1", env, "answered 404: 404 page not found");
        answer.set(new Answer(200, "{\"kind\":\"Node\",\"metadata\":{\"name\":\"worker-1\",\"labels\":{\"a\":\"b\"}}}"));
        fails(zone, "worker-1", env, "Kubernetes node 'worker-1' has no label topology.kubernetes.io/zone");
        answer.set(new Answer(200, "<html>proxy login</html>"));
        fails(zone, "worker-1", env, "answered 200 with a body that is not JSON: <html>proxy login</html>");
        answer.set(new Answer(200, NODE.replace("eu-west-1b", "bad zone/../x")));
        fails(zone, "worker-1", env, "invalid value 'bad zone/../x'");
        fails(zone, "../../api/v1/secrets", Map.of("NODE_NAME", "../../api/v1/secrets"), "is not a Kubernetes node name");
        int asked = requests.size();
        assertEquals(10, asked, "5 answers, each read twice (fromKubernetes, then resolve); the bad node name never reaches the API server");

        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        fails(plainHttp(dir.resolve("nothing-mounted")), "worker-1", env, "no service account token at " + dir.resolve("nothing-mounted"));
        fails(new NodeZone(null, dir, Duration.ofSeconds(1)), "worker-1", env, "KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not");
        Files.writeString(dir.resolve("token"), "t");
        fails(new NodeZone(null, dir, Duration.ofSeconds(1)), "worker-1",
                Map.of("NODE_NAME", "worker-1", "KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", Integer.toString(closed)),
                "no API server CA at " + dir.resolve("ca.crt"));
        fails(new NodeZone(URI.create("http://127.0.0.1:" + closed), serviceAccount("t", null), Duration.ofSeconds(1)), "worker-1", env,
                "GET http://127.0.0.1:" + closed + "/api/v1/nodes/worker-1 failed: java.net.ConnectException");
    }

    private static void fails(NodeZone zone, String nodeName, Map<String, String> env, String... naming) {
        NodeZone.ZoneLookupException e = assertThrows(NodeZone.ZoneLookupException.class, () -> zone.fromKubernetes(nodeName, env));
        for (String n : naming) assertTrue(e.getMessage().contains(n), "'" + e.getMessage() + "' does not say '" + n + "'");
        assertEquals("", zone.resolve("", env), "a failed read means no zone, not a crash");
    }

    /** A server SSL context from the PEM certificate and PKCS#8 key openssl made. */
    private static SSLContext serverContext(TestCertificates.Pair pair) throws Exception {
        Certificate cert;
        try (InputStream in = Files.newInputStream(pair.cert())) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String pem = Files.readString(pair.key()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}

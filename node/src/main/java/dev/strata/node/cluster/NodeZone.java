package dev.strata.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.node.config.ClusterSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's failure zone, read once at start:
 * <ol>
 *   <li>{@code node.zone} when it is set;</li>
 *   <li>else, in a Kubernetes pod, the label {@value #ZONE_LABEL} of the Kubernetes node the pod runs on:
 *       the pod gets that node's name as env {@code NODE_NAME} (downward API {@code spec.nodeName}), and
 *       the node reads {@code GET /api/v1/nodes/$NODE_NAME} from the API server at
 *       {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT} with its service account's token
 *       and CA ({@value #SERVICE_ACCOUNT_DIR}); deploy/k8s/rbac.yaml grants exactly that {@code get};</li>
 *   <li>else none (the empty string).</li>
 * </ol>
 * Labels of a pod's node are not available through the downward API, hence the read. Anything that
 * fails on the way (no token, API server unreachable, 403, no label) is a warning naming what failed
 * and the node runs without a zone: a zone only spreads replicas, it never stops a node from starting.
 */
public final class NodeZone {
    private static final Logger LOG = LoggerFactory.getLogger(NodeZone.class);

    /** The well-known Kubernetes node label holding the zone. */
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    /** Where Kubernetes mounts a pod's service account token ({@code token}) and the API server's CA ({@code ca.crt}). */
    public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** A Kubernetes node name: a DNS subdomain (RFC 1123). */
    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** A label value (and what node.zone accepts). */
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9._-]{0,63}");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI apiBase;
    private final Path serviceAccountDir;
    private final Duration timeout;

    /**
     * @param apiBase           the API server's base URL; null: {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT}
     * @param serviceAccountDir the directory holding {@code token} and {@code ca.crt}
     * @param timeout           bound of connecting and of the answer
     */
    NodeZone(URI apiBase, Path serviceAccountDir, Duration timeout) {
        this.apiBase = apiBase;
        this.serviceAccountDir = serviceAccountDir;
        this.timeout = timeout;
    }

    /** The zone for {@code settings.zone()} ({@code node.zone}) and the process environment {@code env}. */
    public static String resolve(ClusterSettings settings, Map<String, String> env) {
        return new NodeZone(null, Path.of(SERVICE_ACCOUNT_DIR), TIMEOUT).resolve(settings.zone(), env);
    }

    /** @param configured {@code node.zone} (empty: look it up) */
    String resolve(String configured, Map<String, String> env) {
        if (configured != null && !configured.isBlank()) return configured.strip();
        String nodeName = env.getOrDefault("NODE_NAME", "").strip();
        if (nodeName.isEmpty()) return ""; // not in Kubernetes, or the pod spec does not pass spec.nodeName
        try {
            return fromKubernetes(nodeName, env);
        } catch (ZoneLookupException e) {
            LOG.warn("node.zone is unset and the zone of Kubernetes node '{}' could not be read: {}; running without a zone",
                    nodeName, e.getMessage());
            return "";
        }
    }

    /** The zone label of Kubernetes node {@code nodeName}; the exception says what failed. */
    String fromKubernetes(String nodeName, Map<String, String> env) throws ZoneLookupException {
        if (!NODE_NAME.matcher(nodeName).matches()) {
            throw new ZoneLookupException("NODE_NAME '" + nodeName + "' is not a Kubernetes node name");
        }
        URI base = apiBase != null ? apiBase : apiBaseFromEnv(env);
        String token = read(serviceAccountDir.resolve("token")).strip();
        // One request at start: the client's work runs on a named daemon thread, stopped after the answer.
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "strata-zone-lookup");
            t.setDaemon(true);
            return t;
        });
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(timeout).executor(executor);
        URI uri = base.resolve("/api/v1/nodes/" + nodeName);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<String> response;
        try {
            if (base.getScheme().equals("https")) client.sslContext(trusting(serviceAccountDir.resolve("ca.crt")));
            response = client.build().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ZoneLookupException("GET " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZoneLookupException("interrupted during GET " + uri);
        } finally {
            executor.shutdownNow();
        }
        JsonNode body = parse(uri, response.body());
        if (response.statusCode() != 200) {
            String why = body != null && body.hasNonNull("message") ? body.get("message").asText() : abbreviate(response.body());
            String hint = response.statusCode() == 403 || response.statusCode() == 401
                    ? " (the pod's service account needs 'get' on nodes: deploy/k8s/rbac.yaml)" : "";
            throw new ZoneLookupException("GET " + uri + " answered " + response.statusCode() + ": " + why + hint);
        }
        if (body == null) throw new ZoneLookupException("GET " + uri + " answered 200 with a body that is not JSON: " + abbreviate(response.body()));
        JsonNode zone = body.path("metadata").path("labels").path(ZONE_LABEL);
        if (!zone.isTextual()) throw new ZoneLookupException("Kubernetes node '" + nodeName + "' has no label " + ZONE_LABEL);
        String z = zone.asText();
        if (!ZONE.matcher(z).matches()) throw new ZoneLookupException("label " + ZONE_LABEL + " has an invalid value '" + abbreviate(z) + "'");
        LOG.info("zone '{}' from label {} of Kubernetes node '{}'", z, ZONE_LABEL, nodeName);
        return z;
    }

    private static URI apiBaseFromEnv(Map<String, String> env) throws ZoneLookupException {
        String host = env.getOrDefault("KUBERNETES_SERVICE_HOST", "").strip();
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "").strip();
        if (host.isEmpty() || port.isEmpty()) {
            throw new ZoneLookupException("NODE_NAME is set but KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not "
                    + "(not in a Kubernetes pod?)");
        }
        try {
            return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + Integer.parseInt(port));
        } catch (IllegalArgumentException e) {
            throw new ZoneLookupException("KUBERNETES_SERVICE_HOST '" + host + "' / KUBERNETES_SERVICE_PORT '" + port
                    + "' do not form an address: " + e.getMessage());
        }
    }

    private static JsonNode parse(URI uri, String body) {
        try {
            JsonNode n = new ObjectMapper().readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** An SSL context trusting exactly the PEM certificates in {@code caFile} (the API server's CA). */
    private static SSLContext trusting(Path caFile) throws ZoneLookupException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) throw new ZoneLookupException(caFile + " holds no certificate");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (NoSuchFileException e) {
            throw new ZoneLookupException("no API server CA at " + caFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new ZoneLookupException("cannot read the API server CA " + caFile + ": " + e.getMessage());
        }
    }

    private static String read(Path file) throws ZoneLookupException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ZoneLookupException("no service account token at " + file + " (automountServiceAccountToken off?)");
        } catch (IOException e) {
            throw new ZoneLookupException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 200 ? one : one.substring(0, 200) + "...";
    }

    /** What went wrong reading the zone from Kubernetes; becomes the warning's text. */
    static final class ZoneLookupException extends Exception {
        ZoneLookupException(String message) {
            super(message);
        }
    }
}

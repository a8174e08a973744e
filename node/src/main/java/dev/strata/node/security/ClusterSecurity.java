package dev.strata.node.security;

import dev.strata.node.config.ConfigException;
import dev.strata.node.config.SecuritySettings;
import dev.strata.node.http.ChannelSetup;
import dev.strata.node.http.HttpResponses;
import dev.strata.node.http.Route;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How nodes authenticate each other on the cluster port: mutual TLS with the cluster CA
 * ({@code cluster.tls.*}: the server requires a client certificate signed by the CA, the client verifies
 * the server's certificate and host name against it), a shared secret ({@code cluster.secret-file}: sent
 * in {@value #SECRET_HEADER}, compared in constant time), or both. Server side: {@link #initChannel} and
 * {@link #guard}; client side: {@link #scheme}, {@link #clientContext}, {@link #authenticate}.
 * {@link #reloadIfChanged} rereads the files when they change (a failed reload keeps the old ones);
 * {@link #generation} tells the client to rebuild its connections.
 */
public final class ClusterSecurity implements ChannelSetup {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSecurity.class);
    public static final String SECRET_HEADER = "X-Strata-Cluster-Secret";
    static final int MIN_SECRET_BYTES = 16;

    /** Plain HTTP, no secret: a single node (no peers), or an in-process test harness. */
    public static final ClusterSecurity NONE = new ClusterSecurity(Optional.empty(), Optional.empty());

    private record State(byte[] secret, byte[] secretDigest, SslContext server, SSLContext client, FileStamps stamps,
                         long generation) {}

    private final Optional<Path> secretFile;
    private final Optional<SecuritySettings.ClusterTls> tls;
    private volatile State state;

    private ClusterSecurity(Optional<Path> secretFile, Optional<SecuritySettings.ClusterTls> tls) {
        this.secretFile = secretFile;
        this.tls = tls;
        this.state = read(0);
    }

    /** @throws ConfigException naming the key whose file cannot be used */
    public static ClusterSecurity of(SecuritySettings settings) {
        if (!settings.clusterAuthenticated()) return NONE;
        return new ClusterSecurity(settings.clusterSecretFile(), settings.clusterTls());
    }

    public boolean enabled() {
        return secretFile.isPresent() || tls.isPresent();
    }

    private List<Path> files() {
        List<Path> f = new ArrayList<>();
        secretFile.ifPresent(f::add);
        tls.ifPresent(t -> f.addAll(List.of(t.certFile(), t.keyFile(), t.caFile())));
        return f;
    }

    private State read(long generation) {
        FileStamps stamps = FileStamps.of(files());
        byte[] secret = null;
        byte[] digest = null;
        if (secretFile.isPresent()) {
            try {
                secret = Files.readString(secretFile.get(), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("cluster.secret-file: cannot read " + secretFile.get() + ": " + e);
            }
            if (secret.length < MIN_SECRET_BYTES) {
                throw new ConfigException("cluster.secret-file: " + secretFile.get() + " holds " + secret.length
                        + " bytes; a cluster secret needs at least " + MIN_SECRET_BYTES + " (e.g. openssl rand -hex 32)");
            }
            digest = sha256(secret);
        }
        SslContext server = null;
        SSLContext client = null;
        if (tls.isPresent()) {
            SecuritySettings.ClusterTls t = tls.get();
            try {
                server = SslContextBuilder.forServer(t.certFile().toFile(), t.keyFile().toFile()).sslProvider(SslProvider.JDK)
                        .trustManager(t.caFile().toFile()).clientAuth(ClientAuth.REQUIRE).protocols("TLSv1.3", "TLSv1.2")
                        .build();
                client = ((JdkSslContext) SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                        .keyManager(t.certFile().toFile(), t.keyFile().toFile()).trustManager(t.caFile().toFile())
                        .protocols("TLSv1.3", "TLSv1.2").build()).context();
            } catch (javax.net.ssl.SSLException | RuntimeException e) {
                Throwable root = e;
                while (root.getCause() != null) root = root.getCause();
                throw new ConfigException("cluster.tls.cert-file/key-file/ca-file: cannot load " + t.certFile() + ", "
                        + t.keyFile() + ", " + t.caFile() + ": " + root.getMessage()
                        + " (PEM files; the key unencrypted PKCS#8)");
            }
        }
        return new State(secret, digest, server, client, stamps, generation);
    }

    /** Rereads the secret and certificates when a file changed; true if new ones took effect. */
    public boolean reloadIfChanged() {
        if (!enabled()) return false;
        State old = state;
        FileStamps now = FileStamps.of(files());
        if (now.equals(old.stamps())) return false;
        try {
            state = read(old.generation() + 1);
            LOG.info("cluster credentials reloaded ({})", describe());
            return true;
        } catch (ConfigException e) {
            state = new State(old.secret(), old.secretDigest(), old.server(), old.client(), now, old.generation());
            LOG.error("cluster credentials changed but cannot be used; keeping the previous ones: {}", e.getMessage());
            return false;
        }
    }

    public String describe() {
        if (!enabled()) return "no node-to-node authentication";
        List<String> parts = new ArrayList<>();
        if (tls.isPresent()) parts.add("mutual TLS with the cluster CA " + tls.get().caFile());
        if (secretFile.isPresent()) parts.add("shared secret from " + secretFile.get());
        return String.join(" and ", parts);
    }

    // ---- server side

    @Override
    public void initChannel(SocketChannel ch) {
        State s = state;
        if (s.server() != null) ch.pipeline().addFirst("tls", s.server().newHandler(ch.alloc()));
    }

    /** {@code route}, answered only when the request carries the cluster secret (when one is configured). */
    public Route guard(Route route) {
        return request -> {
            byte[] expected = state.secretDigest();
            if (expected != null) {
                String given = request.headers().get(SECRET_HEADER);
                byte[] digest = sha256((given == null ? "" : given).getBytes(StandardCharsets.UTF_8));
                if (given == null || !MessageDigest.isEqual(expected, digest)) { // constant time, equal lengths
                    return CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.UNAUTHORIZED,
                            "Unauthorized: the cluster port needs the cluster secret in " + SECRET_HEADER + "\n"));
                }
            }
            return route.handle(request);
        };
    }

    // ---- client side

    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    /** The client's TLS context (certificate, key, trusted CA), or null without mTLS. */
    public SSLContext clientContext() {
        return state.client();
    }

    /** Adds the cluster secret to an outgoing request, when one is configured. */
    public HttpRequest.Builder authenticate(HttpRequest.Builder b) {
        byte[] secret = state.secret();
        return secret == null ? b : b.header(SECRET_HEADER, new String(secret, StandardCharsets.UTF_8));
    }

    /** Increases with every reload that took effect. */
    public long generation() {
        return state.generation();
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

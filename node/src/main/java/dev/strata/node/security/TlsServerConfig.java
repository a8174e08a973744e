package dev.strata.node.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code tls_server_config} of a Prometheus web configuration file, as far as Strata supports it.
 *
 * @param clientAuthType one of Go's {@code tls.ClientAuthType} names, as Prometheus takes them
 * @param minVersion     TLS10..TLS13 (default TLS12, as Prometheus)
 * @param maxVersion     TLS10..TLS13 (default TLS13)
 */
public record TlsServerConfig(Path certFile, Path keyFile, String clientAuthType, Optional<Path> clientCaFile,
                              String minVersion, String maxVersion) {
    static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final List<String> JDK_PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    static final List<String> CLIENT_AUTH_TYPES = List.of("NoClientCert", "RequestClientCert", "RequireAnyClientCert",
            "VerifyClientCertIfGiven", "RequireAndVerifyClientCert");

    /** Files whose change means the context must be rebuilt. */
    List<Path> files() {
        List<Path> f = new ArrayList<>(List.of(certFile, keyFile));
        clientCaFile.ifPresent(f::add);
        return f;
    }

    /**
     * Reads the certificate, key and client CA now. Client authentication maps Go's names: NoClientCert
     * asks for nothing; RequestClientCert and RequireAnyClientCert ask (the latter requires) a certificate
     * without verifying it, as Go does (insecure; Prometheus documents the same); VerifyClientCertIfGiven
     * and RequireAndVerifyClientCert verify against client_ca_file.
     *
     * @throws IllegalArgumentException when a file cannot be read or parsed
     */
    public SslContext newSslContext() {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(JDK_PROTOCOLS.subList(VERSIONS.indexOf(minVersion), VERSIONS.indexOf(maxVersion) + 1));
            switch (clientAuthType) {
                case "NoClientCert" -> b.clientAuth(ClientAuth.NONE);
                case "RequestClientCert" -> b.clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE);
                case "RequireAnyClientCert" -> b.clientAuth(ClientAuth.REQUIRE).trustManager(InsecureTrustManagerFactory.INSTANCE);
                case "VerifyClientCertIfGiven" -> b.clientAuth(ClientAuth.OPTIONAL).trustManager(clientCaFile.orElseThrow().toFile());
                case "RequireAndVerifyClientCert" -> b.clientAuth(ClientAuth.REQUIRE).trustManager(clientCaFile.orElseThrow().toFile());
                default -> throw new IllegalArgumentException("client_auth_type " + clientAuthType);
            }
            return b.build();
        } catch (javax.net.ssl.SSLException | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new IllegalArgumentException("cannot load TLS certificate " + certFile + ", key " + keyFile
                    + clientCaFile.map(p -> ", client CA " + p).orElse("") + ": " + root.getMessage()
                    + " (PEM files; the key unencrypted PKCS#8, e.g. `openssl pkcs8 -topk8 -nocrypt`)", e);
        }
    }
}

package dev.strata.node.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who may talk to the node, and how (docs/security.md).
 *
 * @param webConfigFile   the Prometheus-format web configuration of the public port; empty: open, plain HTTP
 * @param reloadInterval  how often the files below are checked for changes
 * @param clusterPort     the node-to-node listener's port
 * @param clusterSecretFile the shared cluster secret; empty: none
 * @param clusterTls      the cluster's mTLS certificate, key and CA; empty: plain HTTP between nodes
 */
public record SecuritySettings(Optional<Path> webConfigFile, Duration reloadInterval, int clusterPort,
                               Optional<Path> clusterSecretFile, Optional<ClusterTls> clusterTls) {

    /** PEM files of the cluster's mTLS: this node's certificate and key, and the CA that signs every node's. */
    public record ClusterTls(Path certFile, Path keyFile, Path caFile) {}

    /** True when the cluster port authenticates peers (a secret, mTLS or both). */
    public boolean clusterAuthenticated() {
        return clusterSecretFile.isPresent() || clusterTls.isPresent();
    }

    public static SecuritySettings from(ResolvedConfig c) {
        Optional<Path> tlsCert = path(c, ConfigKeys.CLUSTER_TLS_CERT_FILE);
        Optional<Path> tlsKey = path(c, ConfigKeys.CLUSTER_TLS_KEY_FILE);
        Optional<Path> tlsCa = path(c, ConfigKeys.CLUSTER_TLS_CA_FILE);
        Optional<ClusterTls> tls = Optional.empty();
        if (tlsCert.isPresent() || tlsKey.isPresent() || tlsCa.isPresent()) {
            List<String> missing = new ArrayList<>();
            if (tlsCert.isEmpty()) missing.add(ConfigKeys.CLUSTER_TLS_CERT_FILE.name());
            if (tlsKey.isEmpty()) missing.add(ConfigKeys.CLUSTER_TLS_KEY_FILE.name());
            if (tlsCa.isEmpty()) missing.add(ConfigKeys.CLUSTER_TLS_CA_FILE.name());
            if (!missing.isEmpty()) {
                throw new ConfigException("cluster mTLS needs cluster.tls.cert-file, cluster.tls.key-file and "
                        + "cluster.tls.ca-file together; missing: " + String.join(", ", missing));
            }
            tls = Optional.of(new ClusterTls(tlsCert.get(), tlsKey.get(), tlsCa.get()));
        }
        SecuritySettings s = new SecuritySettings(path(c, ConfigKeys.HTTP_WEB_CONFIG_FILE),
                c.get(ConfigKeys.SECURITY_RELOAD_INTERVAL), c.get(ConfigKeys.CLUSTER_PORT),
                path(c, ConfigKeys.CLUSTER_SECRET_FILE), tls);
        int nodes = c.get(ConfigKeys.CLUSTER_NODES);
        if (nodes > 1 && !s.clusterAuthenticated()) {
            throw new ConfigException("cluster.nodes=" + nodes + " needs node-to-node authentication: set "
                    + "cluster.tls.cert-file, cluster.tls.key-file and cluster.tls.ca-file (mTLS, for production) "
                    + "or cluster.secret-file (a shared secret), or both; see docs/security.md");
        }
        if (nodes > 1 && c.get(ConfigKeys.CLUSTER_PORT) == 0) {
            throw new ConfigException("cluster.port=0 (a random port) cannot be used with cluster.nodes=" + nodes
                    + ": peers find each other at fixed ports (cluster.peers or cluster.peer-template)");
        }
        int httpPort = c.get(ConfigKeys.HTTP_PORT);
        if (s.clusterAuthenticated() && s.clusterPort() != 0 && s.clusterPort() == httpPort) {
            throw new ConfigException("cluster.port=" + s.clusterPort() + " equals http.port: node-to-node traffic needs "
                    + "a port of its own");
        }
        return s;
    }

    private static Optional<Path> path(ResolvedConfig c, ConfigKey<String> key) {
        String v = c.get(key).trim();
        return v.isEmpty() ? Optional.empty() : Optional.of(Path.of(v));
    }
}

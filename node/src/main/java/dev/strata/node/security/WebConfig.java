package dev.strata.node.security;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed web configuration file ({@link WebConfigParser}): Prometheus's {@code --web.config.file}
 * format plus Strata's {@code user_roles}. Immutable.
 *
 * @param tls     {@code tls_server_config}; empty: plain HTTP
 * @param users   {@code basic_auth_users}: user name to bcrypt hash; empty: no authentication
 * @param roles   each user's roles: {@code user_roles} when given, else every role for every user
 * @param headers {@code http_server_config.headers}: added to every response
 */
public record WebConfig(Optional<TlsServerConfig> tls, Map<String, String> users, Map<String, Set<Role>> roles,
                        Map<String, String> headers) {
    /** No file: plain HTTP, open. */
    public static final WebConfig OPEN = new WebConfig(Optional.empty(), Map.of(), Map.of(), Map.of());

    public WebConfig {
        users = Map.copyOf(users);
        roles = Map.copyOf(roles);
        headers = Map.copyOf(headers);
    }

    public boolean authEnabled() {
        return !users.isEmpty();
    }

    /** Files that, when changed, change what this configuration means (besides the configuration file itself). */
    List<Path> referencedFiles() {
        return tls.map(TlsServerConfig::files).orElse(new ArrayList<>());
    }
}

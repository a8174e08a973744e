package dev.strata.node.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a web configuration file. Unknown keys are errors (Prometheus parses the file strictly too);
 * keys of Prometheus's format that Strata does not implement are errors that say so, never silently
 * ignored (a configuration that asks for a protection must get it or fail). Relative file names are
 * resolved against the configuration file's directory, as Prometheus does. Every error message names
 * the key (path within the file) it is about.
 */
public final class WebConfigParser {
    /** bcrypt's modular crypt format: $2a$, $2b$ or $2y$, a two-digit cost, 53 characters of salt and hash. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Set<String> TOP = Set.of("tls_server_config", "http_server_config", "basic_auth_users", "user_roles");
    private static final Set<String> TLS = Set.of("cert_file", "key_file", "client_auth_type", "client_ca_file",
            "min_version", "max_version", "prefer_server_cipher_suites");
    private static final Set<String> TLS_UNSUPPORTED = Set.of("cert", "key", "client_ca", "client_allowed_sans",
            "cipher_suites", "curve_preferences");
    private static final Set<String> HEADERS = Set.of("Content-Security-Policy", "X-Frame-Options",
            "X-Content-Type-Options", "X-XSS-Protection", "Strict-Transport-Security");

    private WebConfigParser() {}

    /** @throws WebConfigException naming the file and the offending key */
    public static WebConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WebConfigException(file + ": cannot read: " + e);
        }
        try {
            return parse(text, file.toAbsolutePath().getParent());
        } catch (WebConfigException e) {
            throw new WebConfigException(file + ": " + e.getMessage());
        }
    }

    /** @param baseDir directory that relative file names are resolved against */
    static WebConfig parse(String text, Path baseDir) {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new WebConfigException("not valid YAML: " + e.getMessage());
        }
        if (doc == null) return WebConfig.OPEN; // an empty file: Prometheus treats it as no TLS, no auth
        Map<String, Object> top = map(doc, "the file");
        checkKeys(top, TOP, Set.of(), "");
        Optional<TlsServerConfig> tls = top.containsKey("tls_server_config")
                ? Optional.of(tls(map(top.get("tls_server_config"), "tls_server_config"), baseDir)) : Optional.empty();
        Map<String, String> headers = new TreeMap<>();
        if (top.get("http_server_config") != null) {
            Map<String, Object> http = map(top.get("http_server_config"), "http_server_config");
            checkKeys(http, Set.of("headers", "http2"), Set.of(), "http_server_config.");
            if (http.containsKey("http2")) bool(http.get("http2"), "http_server_config.http2"); // HTTP/1.1 only; see docs
            if (http.get("headers") != null) {
                for (Map.Entry<String, Object> e : map(http.get("headers"), "http_server_config.headers").entrySet()) {
                    String key = "http_server_config.headers." + e.getKey();
                    if (!HEADERS.contains(e.getKey())) {
                        throw new WebConfigException(key + ": not a header Prometheus allows here; allowed: "
                                + String.join(", ", HEADERS.stream().sorted().toList()));
                    }
                    String v = string(e.getValue(), key);
                    if (e.getKey().equals("X-Frame-Options") && !v.isEmpty()
                            && !Set.of("deny", "sameorigin").contains(v.toLowerCase(Locale.ROOT))) {
                        throw new WebConfigException(key + ": '" + v + "' is not deny or sameorigin");
                    }
                    if (e.getKey().equals("X-Content-Type-Options") && !v.isEmpty() && !v.equalsIgnoreCase("nosniff")) {
                        throw new WebConfigException(key + ": '" + v + "' is not nosniff");
                    }
                    if (!v.isEmpty()) headers.put(e.getKey(), v);
                }
            }
        }
        Map<String, String> users = new TreeMap<>();
        if (top.get("basic_auth_users") != null) {
            for (Map.Entry<String, Object> e : map(top.get("basic_auth_users"), "basic_auth_users").entrySet()) {
                String key = "basic_auth_users." + e.getKey();
                String hash = string(e.getValue(), key);
                if (!BCRYPT.matcher(hash).matches()) {
                    throw new WebConfigException(key + ": not a bcrypt hash ($2y$<cost>$ and 53 characters; "
                            + "e.g. htpasswd -nBC 10 \"\" | tr -d ':\\n')");
                }
                if (e.getKey().contains(":")) throw new WebConfigException(key + ": a user name cannot contain ':'");
                users.put(e.getKey(), hash);
            }
        }
        Map<String, Set<Role>> roles = new TreeMap<>();
        if (top.get("user_roles") != null) {
            if (users.isEmpty()) throw new WebConfigException("user_roles: given without basic_auth_users");
            Map<String, Object> given = map(top.get("user_roles"), "user_roles");
            for (Map.Entry<String, Object> e : given.entrySet()) {
                String key = "user_roles." + e.getKey();
                if (!users.containsKey(e.getKey())) throw new WebConfigException(key + ": no such user in basic_auth_users");
                Set<Role> set = EnumSet.noneOf(Role.class);
                for (Object r : list(e.getValue(), key)) {
                    try {
                        set.add(Role.parse(string(r, key)));
                    } catch (IllegalArgumentException ex) {
                        throw new WebConfigException(key + ": " + ex.getMessage());
                    }
                }
                roles.put(e.getKey(), Set.copyOf(set));
            }
            for (String u : users.keySet()) {
                if (!roles.containsKey(u)) {
                    throw new WebConfigException("user_roles: user '" + u + "' of basic_auth_users has no entry; "
                            + "give every user its roles (an empty list for none)");
                }
            }
        } else {
            for (String u : users.keySet()) roles.put(u, EnumSet.allOf(Role.class));
        }
        return new WebConfig(tls, users, roles, headers);
    }

    private static TlsServerConfig tls(Map<String, Object> m, Path baseDir) {
        checkKeys(m, TLS, TLS_UNSUPPORTED, "tls_server_config.");
        if (m.get("cert_file") == null) throw new WebConfigException("tls_server_config.cert_file: missing");
        if (m.get("key_file") == null) throw new WebConfigException("tls_server_config.key_file: missing");
        Path cert = baseDir.resolve(string(m.get("cert_file"), "tls_server_config.cert_file"));
        Path key = baseDir.resolve(string(m.get("key_file"), "tls_server_config.key_file"));
        String clientAuth = m.get("client_auth_type") == null ? "NoClientCert"
                : string(m.get("client_auth_type"), "tls_server_config.client_auth_type");
        if (!TlsServerConfig.CLIENT_AUTH_TYPES.contains(clientAuth)) {
            throw new WebConfigException("tls_server_config.client_auth_type: '" + clientAuth + "' is not one of "
                    + String.join(", ", TlsServerConfig.CLIENT_AUTH_TYPES));
        }
        Optional<Path> ca = m.get("client_ca_file") == null ? Optional.empty()
                : Optional.of(baseDir.resolve(string(m.get("client_ca_file"), "tls_server_config.client_ca_file")));
        if (clientAuth.contains("Verify") && ca.isEmpty()) {
            throw new WebConfigException("tls_server_config.client_ca_file: missing; client_auth_type " + clientAuth
                    + " verifies client certificates against it");
        }
        if (!clientAuth.contains("Verify") && ca.isPresent()) {
            throw new WebConfigException("tls_server_config.client_ca_file: given but client_auth_type " + clientAuth
                    + " does not verify client certificates; use RequireAndVerifyClientCert");
        }
        String min = version(m.get("min_version"), "TLS12", "tls_server_config.min_version");
        String max = version(m.get("max_version"), "TLS13", "tls_server_config.max_version");
        if (TlsServerConfig.VERSIONS.indexOf(min) > TlsServerConfig.VERSIONS.indexOf(max)) {
            throw new WebConfigException("tls_server_config.min_version: " + min + " is above max_version " + max);
        }
        if (m.containsKey("prefer_server_cipher_suites")) {
            bool(m.get("prefer_server_cipher_suites"), "tls_server_config.prefer_server_cipher_suites");
        }
        return new TlsServerConfig(cert, key, clientAuth, ca, min, max);
    }

    private static String version(Object v, String fallback, String key) {
        if (v == null) return fallback;
        String s = string(v, key);
        if (!TlsServerConfig.VERSIONS.contains(s)) {
            throw new WebConfigException(key + ": '" + s + "' is not one of " + String.join(", ", TlsServerConfig.VERSIONS));
        }
        return s;
    }

    private static void checkKeys(Map<String, Object> m, Set<String> known, Set<String> unsupported, String prefix) {
        for (String k : m.keySet()) {
            if (unsupported.contains(k)) {
                throw new WebConfigException(prefix + k + ": part of Prometheus's format but not supported by Strata "
                        + "(see docs/security.md)");
            }
            if (!known.contains(k)) {
                List<String> all = new ArrayList<>(known);
                all.sort(null);
                throw new WebConfigException(prefix + k + ": unknown key; known: " + String.join(", ", all));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String key) {
        if (!(o instanceof Map<?, ?> m)) throw new WebConfigException(key + ": expected a mapping");
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String s)) throw new WebConfigException(key + ": key " + e.getKey() + " is not a string");
            out.put(s, e.getValue());
        }
        return out;
    }

    private static List<?> list(Object o, String key) {
        if (!(o instanceof List<?> l)) throw new WebConfigException(key + ": expected a list");
        return l;
    }

    private static String string(Object o, String key) {
        if (!(o instanceof String s)) throw new WebConfigException(key + ": expected a string");
        return s;
    }

    private static boolean bool(Object o, String key) {
        if (!(o instanceof Boolean b)) throw new WebConfigException(key + ": expected true or false");
        return b;
    }
}

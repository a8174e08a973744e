package dev.strata.node.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebConfigParserTest {
    private static final String HASH = at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y)
            .hashToString(4, "pw".toCharArray());
    private static final Path BASE = Path.of("/etc/strata");

    @Test
    void aPlainPrometheusFileGivesEveryUserEveryRole() {
        WebConfig c = WebConfigParser.parse("""
                tls_server_config:
                  cert_file: server.crt
                  key_file: /abs/server.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: ca.crt
                  min_version: TLS13
                  prefer_server_cipher_suites: true
                http_server_config:
                  http2: false
                  headers:
                    X-Frame-Options: deny
                    Strict-Transport-Security: max-age=31536000
                    X-XSS-Protection: ""
                basic_auth_users:
                  alice: %s
                  bob: %s
                """.formatted(HASH, HASH), BASE);
        assertTrue(c.authEnabled());
        assertEquals(Map.of("alice", EnumSet.allOf(Role.class), "bob", EnumSet.allOf(Role.class)), c.roles());
        TlsServerConfig tls = c.tls().orElseThrow();
        assertEquals(BASE.resolve("server.crt"), tls.certFile(), "relative to the file's directory, as Prometheus");
        assertEquals(Path.of("/abs/server.key"), tls.keyFile());
        assertEquals(BASE.resolve("ca.crt"), tls.clientCaFile().orElseThrow());
        assertEquals("TLS13", tls.minVersion());
        assertEquals("TLS13", tls.maxVersion());
        assertEquals(Map.of("X-Frame-Options", "deny", "Strict-Transport-Security", "max-age=31536000"), c.headers(),
                "blank headers are unset");
    }

    /** The same file is valid for Prometheus's own checker and for Strata; Strata's user_roles is not Prometheus's. */
    @Test
    void promtoolAcceptsWhatWeAcceptAndRejectsOurExtension(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/usr/bin/promtool").canExecute(), "no promtool");
        TestCertificates.Pair server = TestCertificates.ca(dir, "ca").issue("server");
        String plain = "tls_server_config:\n  cert_file: " + server.cert() + "\n  key_file: " + server.key()
                + "\n  min_version: TLS12\nhttp_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n"
                + "basic_auth_users:\n  alice: " + HASH + "\n";
        Path file = dir.resolve("web.yml");
        java.nio.file.Files.writeString(file, plain);
        assertEquals(0, promtoolCheck(file), "promtool check web-config accepts the plain file");
        assertEquals(EnumSet.allOf(Role.class), WebConfigParser.load(file).roles().get("alice"));
        java.nio.file.Files.writeString(file, plain + "user_roles:\n  alice: [read]\n");
        assertEquals(Set.of(Role.READ), WebConfigParser.load(file).roles().get("alice"));
        assertTrue(promtoolCheck(file) != 0, "Prometheus parses strictly: user_roles is Strata's alone");
    }

    private static int promtoolCheck(Path file) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "web-config", file.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void userRolesNarrowEachUser() {
        WebConfig c = WebConfigParser.parse("""
                basic_auth_users:
                  prometheus: %s
                  grafana: %s
                  ops: %s
                user_roles:
                  prometheus: [write]
                  grafana: [read]
                  ops: [read, admin]
                """.formatted(HASH, HASH, HASH), BASE);
        assertEquals(Set.of(Role.WRITE), c.roles().get("prometheus"));
        assertEquals(Set.of(Role.READ), c.roles().get("grafana"));
        assertEquals(Set.of(Role.READ, Role.ADMIN), c.roles().get("ops"));
        assertTrue(c.tls().isEmpty());
    }

    @Test
    void anEmptyFileIsOpen() {
        WebConfig c = WebConfigParser.parse("", BASE);
        assertFalse(c.authEnabled());
        assertTrue(c.tls().isEmpty());
    }

    @Test
    void errorsNameTheKey() {
        assertError("basic_auth_users.alice: not a bcrypt hash", "basic_auth_users:\n  alice: secret\n");
        assertError("tls_srever_config: unknown key", "tls_srever_config: {}\n");
        assertError("tls_server_config.key_file: missing", "tls_server_config:\n  cert_file: a\n");
        assertError("tls_server_config.client_auth_type: 'Required' is not one of",
                "tls_server_config: {cert_file: a, key_file: b, client_auth_type: Required}\n");
        assertError("tls_server_config.client_ca_file: missing", "tls_server_config: {cert_file: a, key_file: b, "
                + "client_auth_type: RequireAndVerifyClientCert}\n");
        assertError("tls_server_config.min_version: TLS13 is above max_version TLS12",
                "tls_server_config: {cert_file: a, key_file: b, min_version: TLS13, max_version: TLS12}\n");
        assertError("tls_server_config.cipher_suites: part of Prometheus's format but not supported by Strata",
                "tls_server_config: {cert_file: a, key_file: b, cipher_suites: [TLS_AES_128_GCM_SHA256]}\n");
        assertError("user_roles.alice: unknown role 'reader'", "basic_auth_users:\n  alice: " + HASH
                + "\nuser_roles:\n  alice: [reader]\n");
        assertError("user_roles.carol: no such user", "basic_auth_users:\n  alice: " + HASH
                + "\nuser_roles:\n  alice: [read]\n  carol: [read]\n");
        assertError("user_roles: user 'bob' of basic_auth_users has no entry", "basic_auth_users:\n  alice: " + HASH
                + "\n  bob: " + HASH + "\nuser_roles:\n  alice: [read]\n");
        assertError("http_server_config.headers.X-Powered-By: not a header", "http_server_config:\n  headers:\n"
                + "    X-Powered-By: strata\n");
        assertError("rate_limit: unknown key", "rate_limit: {interval: 1s, burst: 2}\n");
        assertError("not valid YAML", "basic_auth_users: [\n");
    }

    private static void assertError(String expected, String yaml) {
        WebConfigException e = assertThrows(WebConfigException.class, () -> WebConfigParser.parse(yaml, BASE));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}

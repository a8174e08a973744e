package dev.strata.node.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for tests, made by the real openssl command line: a CA and leaf certificates it signs
 * (P-256 keys, PKCS#8 PEM, subject alternative names 127.0.0.1 and localhost, usable as server and
 * client certificates).
 */
public final class TestCertificates {
    private final Path dir;

    public record Pair(Path cert, Path key) {}

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A new CA in {@code dir}/{@code name}.crt and .key. */
    public static TestCertificates ca(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCertificates t = new TestCertificates(dir);
        t.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString(),
                "-days", "2", "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Files.move(dir.resolve(name + ".crt"), dir.resolve("ca-" + name + ".crt"));
        Files.move(dir.resolve(name + ".key"), dir.resolve("ca-" + name + ".key"));
        t.caName = name;
        return t;
    }

    private String caName;

    public Path caCert() {
        return dir.resolve("ca-" + caName + ".crt");
    }

    /** A leaf certificate signed by this CA, {@code name}.crt and .key in the CA's directory. */
    public Pair issue(String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "extendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
                "-out", csr.toString(), "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert().toString(), "-CAkey",
                dir.resolve("ca-" + caName + ".key").toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2",
                "-extfile", ext.toString());
        return new Pair(cert, key);
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}

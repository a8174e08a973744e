package dev.strata.node.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The curl command line as a test client: status, response headers and body of one request. */
final class Curl {
    record Answer(int exit, int status, String headers, String body, String stderr) {
        /** A header's value (case-insensitive name), or null. */
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
            }
            return null;
        }

        @Override
        public String toString() {
            return "curl exit " + exit + ", HTTP " + status + "\n" + headers + body + (stderr.isEmpty() ? "" : "\nstderr: " + stderr);
        }
    }

    private final Path dir;
    private int n;

    Curl(Path dir) {
        this.dir = dir;
    }

    /** Runs {@code curl -sS <args> URL}; a transport failure is a non-zero exit with status 0. */
    Answer run(String url, String... args) throws IOException, InterruptedException {
        int i = n++;
        Path headers = dir.resolve("curl-" + i + ".headers");
        Path body = dir.resolve("curl-" + i + ".body");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-D", headers.toString(),
                "-o", body.toString(), "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl " + cmd + " hung");
        }
        return new Answer(p.exitValue(), out.isEmpty() ? 0 : Integer.parseInt(out),
                Files.exists(headers) ? Files.readString(headers) : "", Files.exists(body) ? Files.readString(body) : "", err);
    }
}

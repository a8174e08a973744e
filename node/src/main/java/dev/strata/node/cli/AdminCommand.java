package dev.strata.node.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * {@code strata admin drain|undrain NODE}: the operator's calls on a running cluster's admin surface
 * ({@code POST /api/v1/admin/drain?node=N} on any node's public port; the node answers for the whole
 * cluster). Prints the node's answer; exit 0 on success, 1 when the node refused (its Prometheus-style
 * error is printed), 2 on a usage error.
 */
public final class AdminCommand implements Command {
    static final String DEFAULT_URL = "http://localhost:" + DevCommand.DEFAULT_NODE_PORT;
    /** The environment variable holding the password, for scripts that must not put it on the command line. */
    static final String PASSWORD_ENV = "STRATA_PASSWORD";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    public AdminCommand() {
        this(System.out, System.err, System.getenv());
    }

    AdminCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public String name() {
        return "admin";
    }

    @Override
    public String summary() {
        return "Operate a running cluster: 'admin drain NODE' moves every shard off a node, 'admin undrain NODE' lets it own shards again";
    }

    @Override
    public String help() {
        return """
                Usage: strata admin drain NODE [--url URL] [--user USER] [--password-file FILE]
                       strata admin undrain NODE [--url URL] [--user USER] [--password-file FILE]

                drain marks node NODE (its ordinal) drained: the next assignment gives it no replica slots,
                its shards are opened on other nodes and it lets each go once the new owners are ready
                (queries keep being answered throughout). It keeps running, owning nothing, until
                undrained; the mark survives its restarts. Use it to replace a node's volume: drain, stop,
                replace, start, undrain. undrain makes it eligible again; the planner moves slots back.
                Any node of the cluster accepts the call. Needs dynamic membership (cluster.nodes not set).
                Progress: /api/v1/status/shards (members, states, handoffs).

                Options:
                  --url URL             a node's public address (default: %s)
                  --user USER           basic-auth user with the admin role (when the nodes have a web config)
                  --password-file FILE  file holding that user's password (one line); else $%s

                Examples:
                  strata admin drain 3
                  strata admin undrain 3 --url https://strata-0.strata:9090 --user ops --password-file ~/.strata-pw
                """.formatted(DEFAULT_URL, PASSWORD_ENV);
    }

    @Override
    public int run(String[] args) throws Exception {
        if (args.length < 2 || !(args[0].equals("drain") || args[0].equals("undrain"))) {
            throw new UsageException("expected 'drain NODE' or 'undrain NODE'");
        }
        String action = args[0];
        int node;
        try {
            node = Integer.parseInt(args[1]);
            if (node < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new UsageException("NODE must be a node ordinal (0, 1, 2, ...), got '" + args[1] + "'");
        }
        LongOptions options = LongOptions.parse(Arrays.copyOfRange(args, 2, args.length), Set.of("url", "user", "password-file"));
        String base = options.string("url", DEFAULT_URL).replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(base + "/api/v1/admin/" + action + "?node=" + node);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url must be http://host:port or https://host:port, got '" + base + "'");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (options.has("user")) {
            String password = password(options);
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (options.string("user", "") + ":" + password).getBytes(StandardCharsets.UTF_8)));
        } else if (options.has("password-file")) {
            throw new UsageException("--password-file needs --user");
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            err.println("strata admin: cannot reach " + base + ": " + e);
            return 1;
        }
        if (response.statusCode() == 200) {
            out.println("strata admin: node " + node + (action.equals("drain")
                    ? " drained: its shards move to the other nodes (progress: " + base + "/api/v1/status/shards)"
                    : " undrained: it gets replica slots again"));
            return 0;
        }
        err.println("strata admin: " + action + " " + node + " failed with HTTP " + response.statusCode() + ": " + response.body());
        return 1;
    }

    private String password(LongOptions options) throws IOException {
        if (options.has("password-file")) {
            Path file = options.path("password-file", null);
            if (!Files.isReadable(file)) throw new UsageException("--password-file " + file + " is not a readable file");
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String p = env.get(PASSWORD_ENV);
        if (p == null) throw new UsageException("--user needs --password-file FILE or $" + PASSWORD_ENV);
        return p;
    }
}

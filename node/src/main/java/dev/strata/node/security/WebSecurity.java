package dev.strata.node.security;

import dev.strata.node.http.ChannelSetup;
import dev.strata.node.http.HttpResponses;
import dev.strata.node.http.Route;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public port's TLS and authentication, from the web configuration file ({@code http.web-config-file}).
 * <ul>
 *   <li>TLS: {@link #initChannel} puts a TLS handler from the current certificate first in each new
 *       connection's pipeline; response headers from {@code http_server_config.headers} are added to
 *       every response.</li>
 *   <li>Authentication: {@link #guard} wraps a route with the {@link Access} it needs. Without
 *       credentials (or with a wrong password) the answer is 401 with {@code WWW-Authenticate: Basic};
 *       a valid user without the role gets 403; on {@code /api/} paths both in the Prometheus API's JSON
 *       error shape (errorType {@code unauthorized} / {@code forbidden}), elsewhere as plain text.</li>
 *   <li>Reload: {@link #reloadIfChanged} (polled by {@link SecurityReloader}) rereads the file and the
 *       certificate, key and CA files it names when any of them changed. A change that does not load
 *       (bad YAML, unreadable key) is logged and the previous configuration stays in force: a typo
 *       must not open the node nor take it down. New connections get the new certificate; open
 *       connections keep theirs; credentials and roles apply from the next request.</li>
 * </ul>
 * Without a file the node is open and plain HTTP, as Prometheus is without {@code --web.config.file}.
 */
public final class WebSecurity implements ChannelSetup, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebSecurity.class);
    static final String REALM = "Basic realm=\"strata\", charset=\"UTF-8\"";

    private record State(WebConfig config, SslContext ssl, FileStamps stamps) {}

    private final Optional<Path> file;
    private final PasswordCheck passwords;
    private final ResponseHeaders responseHeaders;
    private volatile State state;

    private WebSecurity(Optional<Path> file, State state) {
        this.file = file;
        this.state = state;
        this.passwords = new PasswordCheck(System::currentTimeMillis);
        this.responseHeaders = new ResponseHeaders(() -> this.state.config().headers());
    }

    /** No web configuration file: plain HTTP, no authentication. */
    public static WebSecurity open() {
        return new WebSecurity(Optional.empty(), new State(WebConfig.OPEN, null, FileStamps.of(List.of())));
    }

    /** @throws WebConfigException when the file, or a certificate or key it names, cannot be used */
    public static WebSecurity load(Path file) {
        return new WebSecurity(Optional.of(file), read(file));
    }

    private static State read(Path file) {
        FileStamps before = FileStamps.of(List.of(file));
        WebConfig config = WebConfigParser.load(file);
        SslContext ssl = null;
        if (config.tls().isPresent()) {
            try {
                ssl = config.tls().get().newSslContext();
            } catch (IllegalArgumentException e) {
                throw new WebConfigException(file + ": tls_server_config: " + e.getMessage());
            }
        }
        List<Path> all = new ArrayList<>(List.of(file));
        all.addAll(config.referencedFiles());
        // Stamps taken before reading the configuration file: a change during the read is seen next time.
        List<String> stamps = new ArrayList<>(before.stamps());
        stamps.addAll(FileStamps.of(config.referencedFiles()).stamps());
        return new State(config, ssl, new FileStamps(stamps));
    }

    /** Rereads the configuration when its file or a file it names changed; returns true if a new one took effect. */
    public boolean reloadIfChanged() {
        if (file.isEmpty()) return false;
        State old = state;
        List<Path> watched = new ArrayList<>(List.of(file.get()));
        watched.addAll(old.config().referencedFiles());
        if (FileStamps.of(watched).equals(old.stamps())) return false;
        try {
            state = read(file.get());
            LOG.info("web configuration reloaded from {}: {}", file.get(), describe());
            return true;
        } catch (WebConfigException e) {
            // Keep the old configuration; remember the new stamps so the error is logged once per change.
            state = new State(old.config(), old.ssl(), FileStamps.of(watched));
            LOG.error("web configuration {} changed but cannot be used; keeping the previous one: {}", file.get(),
                    e.getMessage());
            return false;
        }
    }

    /** One line for the startup log: what protects the public port. */
    public String describe() {
        WebConfig c = state.config();
        if (file.isEmpty()) {
            return "authentication disabled, TLS disabled (no http.web-config-file): every endpoint is open to anyone "
                    + "who can reach the port, as Prometheus without --web.config.file";
        }
        String tls = c.tls().map(t -> "TLS enabled (" + t.minVersion() + "-" + t.maxVersion() + ", client certificates: "
                + t.clientAuthType() + ")").orElse("TLS disabled");
        String auth = c.authEnabled() ? "basic authentication enabled for " + c.users().size() + " user(s)"
                : "authentication disabled (no basic_auth_users)";
        return tls + ", " + auth;
    }

    public boolean tlsEnabled() {
        return state.ssl() != null;
    }

    @Override
    public void initChannel(SocketChannel ch) {
        State s = state;
        if (s.ssl() != null) ch.pipeline().addFirst("tls", s.ssl().newHandler(ch.alloc()));
        ch.pipeline().addBefore(DISPATCHER, "response-headers", responseHeaders);
    }

    /** {@code route}, answered only for requests that have {@code access} (always, when authentication is off). */
    public Route guard(Access access, Route route) {
        if (access == Access.OPEN) return route;
        return request -> {
            WebConfig c = state.config();
            if (!c.authEnabled()) return route.handle(request);
            BasicCredentials creds = BasicCredentials.parse(request.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (creds == null) return done(unauthorized(request, "authentication required"));
            String hash = c.users().get(creds.user());
            return passwords.check(creds.user(), hash, creds.password()).handle((ok, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof PasswordCheck.Busy) {
                        return done(deny(request, HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", cause.getMessage()));
                    }
                    return CompletableFuture.<FullHttpResponse>failedFuture(cause);
                }
                if (!ok) return done(unauthorized(request, "invalid user name or password"));
                Set<Role> roles = c.roles().getOrDefault(creds.user(), Set.of());
                if (access.role() != null && !roles.contains(access.role())) {
                    return done(deny(request, HttpResponseStatus.FORBIDDEN, "forbidden", "user '" + creds.user()
                            + "' lacks the " + access.role().configName() + " role"));
                }
                return route.handle(request);
            }).thenCompose(f -> f);
        };
    }

    private static CompletableFuture<FullHttpResponse> done(FullHttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static FullHttpResponse unauthorized(FullHttpRequest request, String message) {
        FullHttpResponse r = deny(request, HttpResponseStatus.UNAUTHORIZED, "unauthorized", message);
        r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, REALM);
        return r;
    }

    /** The Prometheus API's JSON error on /api/ paths, plain text elsewhere. */
    static FullHttpResponse deny(FullHttpRequest request, HttpResponseStatus status, String errorType, String message) {
        String path = new QueryStringDecoder(request.uri()).path();
        return path.startsWith("/api/") ? HttpResponses.error(status, errorType, message)
                : HttpResponses.text(status, status.reasonPhrase() + ": " + message + "\n");
    }

    @Override
    public void close() {
        passwords.close();
    }
}

package dev.strata.node.cluster;

import dev.strata.node.security.ClusterSecurity;
import dev.strata.store.concurrent.NamedThreads;
import dev.strata.query.distributed.PeerException;
import dev.strata.query.distributed.PeerTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * HTTP calls to other nodes (JDK HTTP client, HTTP/1.1 keep-alive). Connecting and GETs (status) are
 * bounded by the peer timeout: a peer that does not answer those in time counts as down. POSTs carry
 * query work (selects, pushed-down evaluations, metadata) and are bounded by the work timeout (the
 * query timeout): a peer busy with a large query is slow, not down, and cutting it off at the short
 * peer timeout would turn a correct answer into partial data or work done twice.
 * Futures fail with the transport error or {@link PeerException} on a non-200 answer; cancelling a
 * future aborts its exchange. Counts the bytes sent and received for the node's metrics.
 * Peers are reached on their cluster port, authenticated by {@link ClusterSecurity} (mTLS and/or the
 * cluster secret); when its credentials are reloaded the next request builds a new client.
 */
public final class PeerClient implements PeerTransport, AutoCloseable {
    /**
     * Threads of the JDK HTTP client: they only complete exchanges (the work waits on futures elsewhere),
     * so a few serve any number of peers.
     */
    private static final int HTTP_CLIENT_THREADS = 4;

    /** host:port of a node's cluster port by ordinal (static addresses, or the latest membership view). */
    private final IntFunction<String> peers;
    private final Duration timeout;
    private final Duration workTimeout;
    private final ExecutorService executor;
    private final ClusterSecurity security;
    private HttpClient http; // guarded by this; rebuilt when security.generation() moves
    private long httpGeneration;
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();

    /** Plain HTTP without a cluster secret: for in-process harnesses whose peers run the same way. */
    public PeerClient(PeerAddresses peers, Duration timeout, Duration workTimeout) {
        this(peers, timeout, workTimeout, ClusterSecurity.NONE);
    }

    public PeerClient(PeerAddresses peers, Duration timeout, Duration workTimeout, ClusterSecurity security) {
        this(peers::of, timeout, workTimeout, security);
    }

    /** @param addresses host:port of node {@code ordinal}'s cluster port, asked at each request (members come and go) */
    public PeerClient(IntFunction<String> addresses, Duration timeout, Duration workTimeout, ClusterSecurity security) {
        this.peers = addresses;
        this.security = security;
        this.timeout = timeout;
        this.workTimeout = workTimeout;
        this.executor = NamedThreads.fixedPool(HTTP_CLIENT_THREADS, "strata-peer-client");
        this.httpGeneration = security.generation();
        this.http = newClient();
    }

    private HttpClient newClient() {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .executor(executor);
        if (security.clientContext() != null) b.sslContext(security.clientContext());
        return b.build();
    }

    private synchronized HttpClient client() {
        if (httpGeneration != security.generation()) {
            httpGeneration = security.generation();
            http = newClient();
        }
        return http;
    }

    /** POSTs {@code body} to {@code path} on node {@code ordinal} (work timeout); completes with the response body. */
    @Override
    public CompletableFuture<byte[]> post(int ordinal, String path, byte[] body) {
        URI uri;
        try {
            uri = uri(ordinal, path);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e); // a member gone since the caller chose it: like a peer that does not answer
        }
        HttpRequest req = security.authenticate(HttpRequest.newBuilder(uri)).timeout(workTimeout)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        bytesSent.add(body.length);
        return send(ordinal, path, req);
    }

    /** Timeout of connecting and of GETs; a peer that misses it is down. */
    @Override
    public Duration peerTimeout() {
        return timeout;
    }

    /** Timeout of POSTs (query work on the peer). */
    @Override
    public Duration workTimeout() {
        return workTimeout;
    }

    /**
     * Completes with true if node {@code ordinal} answers {@code /-/healthy} within the peer
     * timeout, false otherwise (never exceptionally): tells a slow peer from a dead or hung one.
     */
    @Override
    public CompletableFuture<Boolean> alive(int ordinal) {
        return get(ordinal, "/-/healthy").handle((body, error) -> error == null);
    }

    /** GETs {@code path} on node {@code ordinal} (peer timeout). */
    public CompletableFuture<byte[]> get(int ordinal, String path) {
        URI uri;
        try {
            uri = uri(ordinal, path);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(ordinal, path, security.authenticate(HttpRequest.newBuilder(uri)).timeout(timeout).GET().build());
    }

    private CompletableFuture<byte[]> send(int ordinal, String path, HttpRequest req) {
        return client().sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(resp -> {
            bytesReceived.add(resp.body().length);
            if (resp.statusCode() != 200) {
                String text = new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8);
                throw new PeerException("node " + ordinal + " (" + address(ordinal) + ") answered " + path + " with "
                        + resp.statusCode() + ": " + (text.length() > 200 ? text.substring(0, 200) : text), resp.statusCode(), text);
            }
            return resp.body();
        });
    }

    private URI uri(int ordinal, String path) {
        return URI.create(security.scheme() + "://" + peers.apply(ordinal) + path);
    }

    /** For messages: the address, or why there is none (a member that left since the request was made). */
    private String address(int ordinal) {
        try {
            return peers.apply(ordinal);
        } catch (IllegalArgumentException e) {
            return "no address: " + e.getMessage();
        }
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

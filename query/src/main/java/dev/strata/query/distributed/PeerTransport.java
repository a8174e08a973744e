package dev.strata.query.distributed;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one leaf request (a select, a pushed-down query, a metadata lookup) to another node of the
 * cluster and hands back its answer. The distributed query code needs nothing else from the network;
 * the node implements it over HTTP ({@code PeerClient}).
 *
 * <p>Contract: futures fail with the transport error or a {@link PeerException} when the peer answered
 * with a status other than 200; cancelling a future aborts its exchange. Thread safe.
 */
public interface PeerTransport {
    /** Sends {@code body} to {@code path} on node {@code ordinal}, bounded by the work timeout; completes with the answer body. */
    CompletableFuture<byte[]> post(int ordinal, String path, byte[] body);

    /** Completes with true if node {@code ordinal} is alive (answers a health check within the peer timeout), never exceptionally. */
    CompletableFuture<Boolean> alive(int ordinal);

    /** How long a peer may take to connect or answer a health check before it counts as down. */
    Duration peerTimeout();

    /** How long a peer may take for query work (the query timeout). */
    Duration workTimeout();
}

package dev.strata.node.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Handles one HTTP request, asynchronously (ingestion answers only after Kafka acknowledges).
 * Modules expose handler methods of exactly this shape and the node wires them by method reference:
 * {@code router.post("/api/v1/write", gateway::remoteWrite)}.
 *
 * <p>Contract: the request (body included) stays valid until the returned future completes; the
 * server releases it afterwards, so the handler must neither release it nor keep its content. The
 * handler runs on a Netty event-loop thread (or, behind authentication whose password check was not
 * cached, on an authentication thread) and must not block: do blocking work on an executor and
 * complete the future from there. Ownership of the response passes to the server, which sets
 * Content-Length and keep-alive headers. A future completed exceptionally (or a handler that throws)
 * is answered 500 with a JSON error; handlers answer client errors themselves with the status they
 * choose.
 */
@FunctionalInterface
public interface Route {
    CompletableFuture<FullHttpResponse> handle(FullHttpRequest request);
}

package dev.strata.node.http;

import dev.strata.store.selfmetrics.Counter;
import dev.strata.store.selfmetrics.Family;
import dev.strata.store.selfmetrics.Histogram;
import dev.strata.ingest.gateway.InFlightBytes;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each aggregated request and writes the responses. One instance per connection: responses
 * leave in request order even when handlers complete out of order (HTTP/1.1 pipelining), because
 * completions hop onto the channel's event loop and only the head of {@link #pending} is written.
 *
 * <p>Limits: when the connection has {@code maxPipelined} requests or {@code maxConnectionBytes}
 * of request bodies read and not yet answered, it stops reading the socket (TCP pushes back on the
 * client) until a response goes out; a body that would take the server-wide total over its bound is
 * answered 503 with Retry-After without being handled; a handler whose executor queue is full
 * ({@link RejectedExecutionException}) is answered 503 too. A request line or header block over
 * http.max-header-bytes is answered 414 or 431 and the connection closed.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Router router;
    private final Family<Counter> requests;
    private final Family<Histogram> durations;
    private final InFlightBytes serverBytes;
    private final int maxPipelined;
    private final long maxConnectionBytes;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>(); // touched only on the event loop
    private long pendingBytes; // body bytes of the pending requests; event loop only

    private static final class Pending {
        final boolean keepAlive;
        final boolean head; // HEAD: answered as GET, headers only
        final long bytes;
        FullHttpResponse response; // null until the handler completes

        Pending(boolean keepAlive, boolean head, long bytes) {
            this.keepAlive = keepAlive;
            this.head = head;
            this.bytes = bytes;
        }
    }

    RequestDispatcher(Router router, Family<Counter> requests, Family<Histogram> durations, InFlightBytes serverBytes,
                      int maxPipelined, long maxConnectionBytes) {
        super(false); // we release the request ourselves, when its handler's future completes
        this.router = router;
        this.requests = requests;
        this.durations = durations;
        this.serverBytes = serverBytes;
        this.maxPipelined = maxPipelined;
        this.maxConnectionBytes = maxConnectionBytes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        boolean failed = request.decoderResult().isFailure();
        long bytes = request.content().readableBytes();
        // A request the decoder gave up on leaves the connection unusable: answer, then close it.
        Pending slot = new Pending(!failed && HttpUtil.isKeepAlive(request), HttpMethod.HEAD.equals(request.method()), bytes);
        pending.addLast(slot);
        pendingBytes += bytes;
        if (pending.size() >= maxPipelined || pendingBytes >= maxConnectionBytes) {
            ctx.channel().config().setAutoRead(false); // resumed by flush() once responses went out
        }
        boolean admitted = !failed && (bytes == 0 || serverBytes.tryAcquire(bytes));
        String handler;
        CompletableFuture<FullHttpResponse> future;
        if (failed) {
            handler = "invalid";
            future = CompletableFuture.completedFuture(decoderFailure(request.decoderResult().cause()));
        } else if (!admitted) {
            handler = "overloaded";
            future = CompletableFuture.completedFuture(busy("the node holds " + serverBytes.used()
                    + " bytes of request bodies (limit http.max-in-flight-bytes " + serverBytes.max() + ")"));
        } else {
            String path = new QueryStringDecoder(request.uri()).path();
            Router.Match match = router.match(request.method(), path);
            if (match instanceof Router.Match.Found found) {
                handler = found.pattern();
                future = invoke(found.route(), request);
            } else if (match instanceof Router.Match.MethodNotAllowed nope) {
                handler = "unmatched";
                FullHttpResponse r = HttpResponses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "bad_data",
                        "method " + request.method() + " not allowed for " + path + "; allowed: "
                                + String.join(", ", nope.allowed()));
                r.headers().set(HttpHeaderNames.ALLOW, String.join(", ", nope.allowed()));
                future = CompletableFuture.completedFuture(r);
            } else {
                handler = "unmatched";
                future = CompletableFuture.completedFuture(HttpResponses.error(HttpResponseStatus.NOT_FOUND, "not_found",
                        "no route for " + request.method() + " " + path));
            }
        }
        String method = request.method().name();
        String uri = request.uri();
        future.whenCompleteAsync((response, error) -> {
            request.release();
            if (admitted && bytes > 0) serverBytes.release(bytes);
            FullHttpResponse r = response;
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RejectedExecutionException) {
                r = busy("the handler's queue is full");
            } else if (error != null || r == null) {
                LOG.warn("{} {} failed", method, uri, cause);
                r = HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                        cause == null ? "handler returned no response" : String.valueOf(cause.getMessage()));
            }
            requests.labels(String.valueOf(r.status().code()), handler).inc();
            durations.labels(handler).observeSince(start);
            slot.response = r;
            flush(ctx);
        }, ctx.executor());
    }

    private static CompletableFuture<FullHttpResponse> invoke(Route route, FullHttpRequest request) {
        try {
            CompletableFuture<FullHttpResponse> f = route.handle(request); // may throw RejectedExecutionException: 503
            return f != null ? f : CompletableFuture.failedFuture(new IllegalStateException("route returned null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** 503 with Retry-After, in Prometheus's error shape. */
    private static FullHttpResponse busy(String why) {
        FullHttpResponse r = HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                "the node is overloaded: " + why + "; retry later");
        r.headers().setInt(HttpHeaderNames.RETRY_AFTER, 1);
        return r;
    }

    /** 414 for a request line, 431 for headers over http.max-header-bytes, else 400. */
    private static FullHttpResponse decoderFailure(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponses.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "bad_data",
                    "request line too long (limit http.max-header-bytes): " + cause.getMessage());
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponses.error(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "bad_data",
                    "request headers too large (limit http.max-header-bytes): " + cause.getMessage());
        }
        return HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "bad_data", "malformed HTTP request: " + cause);
    }

    /** Writes every completed response at the head of the queue, in order; resumes reading below the limits. */
    private void flush(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peekFirst().response != null) {
            Pending p = pending.pollFirst();
            pendingBytes -= p.bytes;
            FullHttpResponse r = p.response;
            if (!r.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                HttpUtil.setContentLength(r, r.content().readableBytes());
            }
            HttpUtil.setKeepAlive(r, p.keepAlive);
            if (p.head) {
                FullHttpResponse headersOnly = r.replace(Unpooled.EMPTY_BUFFER); // Content-Length stays the GET's
                r.release();
                r = headersOnly;
            }
            if (ctx.channel().isActive()) {
                ctx.write(r);
                wrote = true;
            } else {
                r.release();
            }
        }
        if (wrote) {
            ctx.flush();
        }
        if (!ctx.channel().config().isAutoRead() && pending.size() < maxPipelined && pendingBytes < maxConnectionBytes) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** An idle connection is closed, unless a request is still being handled (a long query is not idleness). */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            if (pending.isEmpty()) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}

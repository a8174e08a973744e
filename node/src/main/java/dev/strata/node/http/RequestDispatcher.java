package dev.strata.node.http;

import dev.strata.store.selfmetrics.Counter;
import dev.strata.store.selfmetrics.Family;
import dev.strata.store.selfmetrics.Histogram;
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
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each aggregated request and writes the responses. One instance per connection: responses
 * leave in request order even when handlers complete out of order (HTTP/1.1 pipelining), because
 * completions hop onto the channel's event loop and only the head of {@link #pending} is written.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Router router;
    private final Family<Counter> requests;
    private final Family<Histogram> durations;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>(); // touched only on the event loop

    private static final class Pending {
        final boolean keepAlive;
        final boolean head; // HEAD: answered as GET, headers only
        FullHttpResponse response; // null until the handler completes

        Pending(boolean keepAlive, boolean head) {
            this.keepAlive = keepAlive;
            this.head = head;
        }
    }

    RequestDispatcher(Router router, Family<Counter> requests, Family<Histogram> durations) {
        super(false); // we release the request ourselves, when its handler's future completes
        this.router = router;
        this.requests = requests;
        this.durations = durations;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        Pending slot = new Pending(HttpUtil.isKeepAlive(request), HttpMethod.HEAD.equals(request.method()));
        pending.addLast(slot);
        String handler;
        CompletableFuture<FullHttpResponse> future;
        if (request.decoderResult().isFailure()) {
            handler = "invalid";
            future = CompletableFuture.completedFuture(HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "bad_data",
                    "malformed HTTP request: " + request.decoderResult().cause()));
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
            FullHttpResponse r = response;
            if (error != null || r == null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
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
            CompletableFuture<FullHttpResponse> f = route.handle(request);
            return f != null ? f : CompletableFuture.failedFuture(new IllegalStateException("route returned null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Writes every completed response at the head of the queue, in order. */
    private void flush(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peekFirst().response != null) {
            Pending p = pending.pollFirst();
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

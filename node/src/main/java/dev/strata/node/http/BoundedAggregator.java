package dev.strata.node.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates a request into a FullHttpRequest of at most {@code maxBytes} of body; a larger request
 * is answered 413 with a JSON error. As Netty's own aggregator does, the connection stays open when
 * the client wants keep-alive and the body has not been read yet (its remaining bytes are discarded),
 * otherwise it is closed after the response.
 */
final class BoundedAggregator extends HttpObjectAggregator {
    private final int maxBytes;

    BoundedAggregator(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        long declared = HttpUtil.getContentLength(oversized, -1L);
        String size = declared >= 0 ? declared + " bytes" : "more than " + maxBytes + " bytes";
        FullHttpResponse r = HttpResponses.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "bad_data",
                "request body of " + size + " exceeds the limit of " + maxBytes + " bytes (http.max-request-bytes)");
        boolean close = oversized instanceof FullHttpMessage
                || (!HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized));
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(r).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                }
            });
        }
    }
}

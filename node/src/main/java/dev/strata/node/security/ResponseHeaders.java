package dev.strata.node.security;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Map;
import java.util.function.Supplier;

/** Adds {@code http_server_config.headers} (as configured at write time) to every response. Stateless, shared. */
@ChannelHandler.Sharable
final class ResponseHeaders extends ChannelOutboundHandlerAdapter {
    private final Supplier<Map<String, String>> headers;

    ResponseHeaders(Supplier<Map<String, String>> headers) {
        this.headers = headers;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse r) {
            headers.get().forEach((k, v) -> r.headers().set(k, v));
        }
        super.write(ctx, msg, promise);
    }
}

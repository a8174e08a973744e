package dev.strata.node.http;

import io.netty.channel.socket.SocketChannel;

/**
 * Adds handlers to a new connection's pipeline after {@link HttpServer} has built its own (idle, codec,
 * keep-alive, compressor, aggregator, dispatcher): TLS goes first ({@code addFirst}), response
 * decorators before {@value #DISPATCHER}. Called on the connection's event loop for every accepted
 * connection, so an implementation may pick up reloaded certificates per connection.
 */
@FunctionalInterface
public interface ChannelSetup {
    /** Name of the pipeline's last handler, the one that routes requests and writes responses. */
    String DISPATCHER = "dispatcher";

    ChannelSetup NONE = ch -> {};

    void initChannel(SocketChannel channel);
}

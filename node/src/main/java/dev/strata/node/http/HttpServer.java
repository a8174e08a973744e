package dev.strata.node.http;

import dev.strata.ingest.gateway.InFlightBytes;
import dev.strata.node.config.HttpSettings;
import dev.strata.node.config.LimitSettings;
import dev.strata.store.selfmetrics.Counter;
import dev.strata.store.selfmetrics.Family;
import dev.strata.store.selfmetrics.Histogram;
import dev.strata.store.selfmetrics.MetricsRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server (Netty, NIO): the node runs one on the public port and one on the cluster port. Keep-alive (idle connections closed after
 * {@link HttpSettings#idleTimeout()}), gzip/deflate responses when the client accepts them, request bodies up to {@link HttpSettings#maxRequestBytes()}, routing by {@link Router}.
 * Threads are named {@code strata-<name>-accept-*} and {@code strata-<name>-*}; metrics are
 * {@code strata_<name>_requests_total} and {@code strata_<name>_request_duration_seconds}, name "http" for
 * the public port. A {@link ChannelSetup} adds TLS and response headers to each connection.
 * Bounded by {@link LimitSettings}: request line and header block size, requests and body bytes in
 * flight per connection (reading pauses) and in total (503, see {@link RequestDispatcher}).
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final HttpSettings settings;
    private final LimitSettings limits;
    private final InFlightBytes inFlight;
    private final Router router;
    private final Family<Counter> requests;
    private final Family<Histogram> durations;
    private final String name;
    private final ChannelSetup setup;
    private EventLoopGroup acceptGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;

    /** The public server, plain HTTP, every limit at its default (tests and benchmarks). */
    public HttpServer(HttpSettings settings, Router router, MetricsRegistry metrics) {
        this("http", settings, LimitSettings.defaults(), router, metrics, ChannelSetup.NONE);
    }

    /** The public server, plain HTTP. */
    public HttpServer(HttpSettings settings, LimitSettings limits, Router router, MetricsRegistry metrics) {
        this("http", settings, limits, router, metrics, ChannelSetup.NONE);
    }

    /** @param name "http" for the public port, "cluster_http" for the node-to-node port: thread and metric names */
    public HttpServer(String name, HttpSettings settings, LimitSettings limits, Router router, MetricsRegistry metrics,
                      ChannelSetup setup) {
        this.name = name;
        this.settings = settings;
        this.limits = limits;
        this.inFlight = new InFlightBytes(limits.maxInFlightBytes());
        this.router = router;
        this.setup = setup;
        this.requests = metrics.counterFamily("strata_" + name + "_requests_total",
                "HTTP requests answered, by status code and route.", "code", "handler");
        this.durations = metrics.histogramFamily("strata_" + name + "_request_duration_seconds",
                "Time from a request's arrival to its response being ready, by route.",
                Histogram.DEFAULT_SECONDS_BUCKETS, "handler");
    }

    /** Binds and starts serving; returns once the port is open. */
    public synchronized void start() throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException("HTTP server already started");
        }
        acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("strata-" + name.replace('_', '-') + "-accept", true));
        workerGroup = new NioEventLoopGroup(settings.threads(), new DefaultThreadFactory("strata-" + name.replace('_', '-'), true));
        int maxBytes = settings.maxRequestBytes();
        long idleMillis = settings.idleTimeout().toMillis();
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                                .addLast("codec", new HttpServerCodec(limits.maxHeaderBytes(), limits.maxHeaderBytes(),
                                        HttpObjectDecoder.DEFAULT_MAX_CHUNK_SIZE))
                                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                                .addLast("compressor", new HttpContentCompressor())
                                .addLast("aggregator", new BoundedAggregator(maxBytes))
                                .addLast(ChannelSetup.DISPATCHER, new RequestDispatcher(router, requests, durations, inFlight,
                                        limits.maxPipelinedRequests(), limits.maxInFlightBytesPerConnection()));
                        setup.initChannel(ch);
                    }
                });
        try {
            serverChannel = b.bind(settings.bind(), settings.port()).sync().channel();
        } catch (Exception e) {
            shutdownGroups();
            throw e;
        }
        LOG.info("HTTP server ({}) listening on {}:{}", name, settings.bind(), port());
    }

    /** The bound port (the chosen one when configured with port 0). */
    public int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("HTTP server not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting, closes connections and stops the event loops; waits up to 5 s. */
    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            serverChannel = null;
        }
        shutdownGroups();
    }

    private void shutdownGroups() {
        for (EventLoopGroup g : new EventLoopGroup[] {acceptGroup, workerGroup}) {
            if (g != null) {
                g.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(6, TimeUnit.SECONDS);
            }
        }
        acceptGroup = null;
        workerGroup = null;
    }
}

package dev.strata.node.config;

import java.time.Duration;

/**
 * The HTTP server's settings. {@code port} 0 picks a free port. {@code threads} 0 means Netty's
 * default (twice the cores). {@code idleTimeout}: idle keep-alive connections are closed after it.
 */
public record HttpSettings(String bind, int port, int maxRequestBytes, Duration idleTimeout, int threads) {
    public static HttpSettings from(ResolvedConfig c) {
        return new HttpSettings(c.get(ConfigKeys.HTTP_BIND), c.get(ConfigKeys.HTTP_PORT),
                Math.toIntExact(c.get(ConfigKeys.HTTP_MAX_REQUEST_BYTES)), c.get(ConfigKeys.HTTP_IDLE_TIMEOUT),
                c.get(ConfigKeys.HTTP_THREADS));
    }
}

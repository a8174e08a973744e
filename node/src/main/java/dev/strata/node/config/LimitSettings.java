package dev.strata.node.config;

import dev.strata.ingest.protocol.DecodeLimits;

/**
 * The limits that protect a node from hostile or runaway clients (docs/security.md, "Limits that
 * protect a node"): HTTP framing and per-connection/total in-flight bytes, query admission, and
 * what a write request may expand to.
 *
 * @param maxHeaderBytes                   longest request line and largest header block
 * @param maxPipelinedRequests             requests read and not yet answered, per connection
 * @param maxInFlightBytesPerConnection    request body bytes read and not yet answered, per connection
 * @param maxInFlightBytes                 the same across all connections
 * @param maxConcurrentQueries             query API requests evaluating or queued
 * @param maxDecompressedBytes             decompressed write body
 * @param maxQueuedWrites                  write requests waiting for a gateway thread
 * @param decode                           labels per series, series and samples per write request
 */
public record LimitSettings(int maxHeaderBytes, int maxPipelinedRequests, long maxInFlightBytesPerConnection,
                            long maxInFlightBytes, int maxConcurrentQueries, int maxDecompressedBytes,
                            int maxQueuedWrites, DecodeLimits decode) {
    public static LimitSettings from(ResolvedConfig c) {
        return new LimitSettings(Math.toIntExact(c.get(ConfigKeys.HTTP_MAX_HEADER_BYTES)),
                c.get(ConfigKeys.HTTP_MAX_PIPELINED_REQUESTS), c.get(ConfigKeys.HTTP_MAX_IN_FLIGHT_BYTES_PER_CONNECTION),
                c.get(ConfigKeys.HTTP_MAX_IN_FLIGHT_BYTES), c.get(ConfigKeys.QUERY_MAX_CONCURRENCY),
                Math.toIntExact(c.get(ConfigKeys.INGEST_MAX_DECOMPRESSED_BYTES)), c.get(ConfigKeys.INGEST_MAX_QUEUED_REQUESTS),
                new DecodeLimits(c.get(ConfigKeys.INGEST_MAX_LABELS_PER_SERIES), c.get(ConfigKeys.INGEST_MAX_SERIES_PER_REQUEST),
                        c.get(ConfigKeys.INGEST_MAX_SAMPLES_PER_REQUEST)));
    }

    /** Every limit at its default (tests and benchmarks that build an HTTP server directly). */
    public static LimitSettings defaults() {
        return from(ConfigKeys.DEF.resolve(java.util.List.of()));
    }
}

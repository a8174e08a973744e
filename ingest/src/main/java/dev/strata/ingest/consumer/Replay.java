package dev.strata.ingest.consumer;

/**
 * How a shard consumer starts after a restart: which samples to skip and which offset it must reach
 * before the shard is ready for queries.
 *
 * @param targetEndOffset the log-end offset taken at start; the shard is ready once its position
 *                        reaches it (-1: ready at once)
 * @param filter          samples already durable in storage
 */
public record Replay(long targetEndOffset, ReplayFilter filter) {
    /** No recovery: append everything, ready at once. */
    public static final Replay NONE = new Replay(-1, ReplayFilter.NONE);
}

package dev.strata.store.cassandra;

import java.nio.ByteBuffer;

/**
 * One chunk as stored in Cassandra. {@code series} is the series' stable 64-bit label hash
 * ({@code Labels.hash()}), not the shard-local dense id, so that every replica and every replay writes
 * the same key: writes are idempotent. {@code version} is the row's write timestamp (last write wins;
 * see {@code dev.strata.store.memstore.ChunkVersion}); rows read back carry 0.
 */
public record ChunkRow(long series, long startMs, long endMs, int samples, ByteBuffer data, long version) {
    /** A row whose version is its own {@code endMs * 1_000_000 + samples} (a chunk that is its whole window). */
    public ChunkRow(long series, long startMs, long endMs, int samples, ByteBuffer data) {
        this(series, startMs, endMs, samples, data, endMs * 1_000_000L + Math.min(samples, 999_999));
    }
}

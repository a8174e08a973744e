package dev.strata.store.cassandra;

import java.nio.ByteBuffer;

/**
 * One sealed chunk as stored in Cassandra. {@code series} is the series' stable 64-bit label hash
 * ({@code Labels.hash()}), not the shard-local dense id, so that every replica and every replay writes
 * the same key: writes are idempotent.
 */
public record ChunkRow(long series, long startMs, long endMs, int samples, ByteBuffer data) {}

package dev.strata.store.memstore;

import java.util.List;

/**
 * What a flush writes for one series, taken atomically with respect to the shard's writer thread:
 * the sealed chunks not yet persisted and the write buffer encoded as chunks cut by the same rules
 * as sealing (epoch-aligned windows, at most {@code maxSamplesPerChunk} samples). Buffer chunks are
 * partial: a later flush writes a fuller version under the same key, or a sealed chunk replaces them.
 * Only {@link #sealed()} chunks may be passed to {@link MemShard#markPersisted}.
 *
 * <p>Each chunk carries the version of its window (see {@link ChunkVersion}): samples are only ever
 * added to a window, so a later snapshot of any chunk of the window has a higher version, also when
 * an out-of-order sample shifted the cut between two capped chunks of the window. The version
 * counts the window within the chunk's generation only (see {@link MemShard#cutEarly}), as a shard
 * restarted from the generation's offset would count it.
 *
 * @param sealed   sealed, not yet persisted chunks, oldest first
 * @param buffered the write buffer as chunks, oldest first (empty when the buffer is empty)
 */
public record FlushSnapshot(List<VersionedChunk> sealed, List<VersionedChunk> buffered) {
    public static final FlushSnapshot EMPTY = new FlushSnapshot(List.of(), List.of());

    /**
     * A chunk with the version its storage row is written with and its generation
     * ({@link SealedChunk#sinceOffset()}: it holds samples of records after that offset only; -1:
     * of any record the run applied), which selects the row's writer epoch.
     */
    public record VersionedChunk(SealedChunk chunk, long version, long sinceOffset) {}

    public boolean isEmpty() {
        return sealed.isEmpty() && buffered.isEmpty();
    }

    /** Samples in all chunks. */
    public long sampleCount() {
        long n = 0;
        for (VersionedChunk c : sealed) n += c.chunk().count();
        for (VersionedChunk c : buffered) n += c.chunk().count();
        return n;
    }
}

package dev.strata.store.memstore;

import java.util.List;

/**
 * What a flush writes for one series, taken atomically with respect to the shard's writer thread:
 * the sealed chunks not yet persisted and the write buffer encoded as chunks cut by the same rules
 * as sealing (epoch-aligned windows, at most {@code maxSamplesPerChunk} samples). Buffer chunks are
 * partial: a later flush writes a fuller version under the same key, or a sealed chunk replaces them.
 * Only {@link #sealed()} chunks may be passed to {@link MemShard#markPersisted}.
 *
 * @param sealed   sealed, not yet persisted chunks, oldest first
 * @param buffered the write buffer as chunks, oldest first (empty when the buffer is empty)
 */
public record FlushSnapshot(List<SealedChunk> sealed, List<SealedChunk> buffered) {
    public static final FlushSnapshot EMPTY = new FlushSnapshot(List.of(), List.of());

    public boolean isEmpty() {
        return sealed.isEmpty() && buffered.isEmpty();
    }

    /** Samples in all chunks. */
    public long sampleCount() {
        long n = 0;
        for (SealedChunk c : sealed) n += c.count();
        for (SealedChunk c : buffered) n += c.count();
        return n;
    }
}

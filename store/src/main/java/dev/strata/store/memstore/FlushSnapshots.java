package dev.strata.store.memstore;

import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkWriter;
import java.util.ArrayList;
import java.util.List;

/** Builds a series' {@link FlushSnapshot}: its unpersisted sealed chunks and its write buffer cut as chunks, each versioned. */
final class FlushSnapshots {
    private FlushSnapshots() {}

    /**
     * The copy is taken under the series' lock, so no sample moving from the buffer into a sealed chunk
     * concurrently can be missed; the encoding happens outside the lock with the caller's writer and
     * scratch (one pair per calling thread). Never seals or mutates.
     */
    static FlushSnapshot of(SeriesState s, MemShardOptions options, ChunkWriter encoder, ByteArrayBuilder buffer) {
        SeriesState.FlushCopy copy;
        synchronized (s) {
            copy = s.flushCopy();
        }
        List<SealedChunk> bufferChunks = copy.bufTs() == null ? List.of()
                : BufferCutter.cut(copy.bufTs(), copy.bufSts(), copy.bufVals(), copy.bufHs(), options, encoder, buffer);
        if (copy.sealed().length == 0 && bufferChunks.isEmpty()) return FlushSnapshot.EMPTY;
        List<FlushSnapshot.VersionedChunk> sealed = new ArrayList<>(copy.sealed().length);
        for (SealedChunk c : copy.sealed()) {
            sealed.add(new FlushSnapshot.VersionedChunk(c, windowVersion(c.minT(), c.sinceOffset(), copy, options), c.sinceOffset()));
        }
        List<FlushSnapshot.VersionedChunk> buffered = new ArrayList<>(bufferChunks.size());
        for (SealedChunk c : bufferChunks) {
            buffered.add(new FlushSnapshot.VersionedChunk(c, windowVersion(c.minT(), copy.bufSince(), copy, options), copy.bufSince()));
        }
        return new FlushSnapshot(sealed, buffered);
    }

    /**
     * {@link ChunkVersion} of the window holding {@code t} in generation {@code since}, over the copy's
     * chunks and buffered samples of that generation (other generations' rows have other epochs).
     */
    private static long windowVersion(long t, long since, SeriesState.FlushCopy copy, MemShardOptions options) {
        long w = options.windowStart(t);
        long end = w + options.chunkDurationMs();
        long maxT = Long.MIN_VALUE;
        long count = 0;
        for (SealedChunk c : copy.all()) {
            if (c.sinceOffset() == since && c.minT() >= w && c.minT() < end) {
                count += c.count();
                maxT = Math.max(maxT, c.maxT());
            }
        }
        long[] ts = copy.bufTs();
        if (ts != null && copy.bufSince() == since) {
            for (long x : ts) {
                if (x >= w && x < end) {
                    count++;
                    maxT = Math.max(maxT, x);
                }
            }
        }
        return ChunkVersion.of(maxT, count);
    }
}

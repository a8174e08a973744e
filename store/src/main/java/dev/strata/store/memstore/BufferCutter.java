package dev.strata.store.memstore;

import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.model.FloatHistogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes a copy of a write buffer as chunks with the sealing rules of {@link SeriesState}: a chunk
 * never crosses an epoch-aligned window of {@code chunkDurationMs}, and a window's samples are cut
 * into consecutive runs of {@code maxSamplesPerChunk} from its first buffered sample. So a snapshot
 * chunk starts where the chunk that will eventually be sealed starts (unless an out-of-order sample
 * arrives before it later), and its storage key is the same.
 */
final class BufferCutter {
    private BufferCutter() {}

    /** {@code sts}: start timestamps parallel to ts (0 = unknown), or null. */
    static List<SealedChunk> cut(long[] ts, long[] sts, double[] vals, MemShardOptions o, ChunkWriter writer, ByteArrayBuilder scratch) {
        return cut(ts, sts, vals, null, o, writer, scratch);
    }

    /**
     * {@code hs}: native histograms parallel to ts (null entries: float samples), or null; each
     * window run is cut further by {@link HistogramBuffer#cut}, as sealing does.
     */
    static List<SealedChunk> cut(long[] ts, long[] sts, double[] vals, FloatHistogram[] hs, MemShardOptions o, ChunkWriter writer,
                                 ByteArrayBuilder scratch) {
        List<SealedChunk> out = new ArrayList<>(2);
        int n = ts.length;
        int max = o.maxSamplesPerChunk();
        int i = 0;
        while (i < n) {
            long windowEnd = o.windowStart(ts[i]) + o.chunkDurationMs();
            int j = i + 1;
            while (j < n && ts[j] < windowEnd && j - i < max) j++;
            if (hs != null) {
                out.addAll(HistogramBuffer.cut(ts, sts, vals, hs, i, j, writer, scratch));
                i = j;
                continue;
            }
            long[] t = i == 0 && j == n ? ts : Arrays.copyOfRange(ts, i, j);
            double[] v = i == 0 && j == n ? vals : Arrays.copyOfRange(vals, i, j);
            scratch.reset();
            if (sts == null) {
                writer.write(t, v, j - i, scratch);
            } else {
                long[] st = i == 0 && j == n ? sts : Arrays.copyOfRange(sts, i, j);
                writer.write(t, st, v, j - i, scratch);
            }
            out.add(new SealedChunk(scratch.toByteArray(), t[0], t[j - i - 1], j - i));
            i = j;
        }
        return out;
    }
}

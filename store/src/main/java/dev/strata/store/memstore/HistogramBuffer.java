package dev.strata.store.memstore;

import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.encoding.HistogramChunkFormat;
import dev.strata.store.encoding.HistogramChunkWriter;
import dev.strata.store.model.FloatHistogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The native-histogram side of a series' write buffer ({@link SeriesState} keeps a
 * {@code FloatHistogram[]} parallel to its timestamps once the series has had a histogram): memory
 * accounting, duplicate detection, and cutting a run of buffered samples into chunks. A run is cut
 * wherever the samples change between float and histogram, or between histograms of another schema,
 * zero threshold or custom bounds
 * ({@link HistogramChunkFormat#shareChunk}): float runs become float chunks ({@link ChunkWriter}),
 * histogram runs histogram chunks ({@link HistogramChunkWriter}). The cut is a function of the
 * samples alone, so sealing and flush snapshots ({@link BufferCutter}) cut alike.
 */
final class HistogramBuffer {
    private HistogramBuffer() {}

    /** Histogram chunk writers hold scratch state: one per thread (the shard writer, each flush thread). */
    private static final ThreadLocal<HistogramChunkWriter> WRITERS = ThreadLocal.withInitial(HistogramChunkWriter::new);

    /** A histogram array parallel to a buffer of capacity {@code capacity}, accounted. */
    static FloatHistogram[] allocate(int capacity, AtomicLong meter) {
        meter.addAndGet(8L * capacity);
        return new FloatHistogram[capacity];
    }

    /** Accounts a histogram entering the buffer (null: a float sample) and returns it. */
    static FloatHistogram store(FloatHistogram h, AtomicLong meter) {
        if (h != null) meter.addAndGet(heapBytes(h));
        return h;
    }

    /** Estimated heap bytes of one histogram: the object, its seven arrays and their elements. */
    static long heapBytes(FloatHistogram h) {
        return 88 + 7 * 16 + 8L * (h.positiveBuckets().length + h.negativeBuckets().length + h.customValues().length)
                + 8L * (h.positiveSpanOffsets().length + h.negativeSpanOffsets().length);
    }

    static long heapBytes(FloatHistogram[] hs, int from, int to) {
        long b = 0;
        for (int i = from; i < to; i++) if (hs[i] != null) b += heapBytes(hs[i]);
        return b;
    }

    /** Whether a sample already buffered (histogram {@code old} or float {@code oldV}) is the same as the new one. */
    static boolean sameSample(FloatHistogram old, FloatHistogram h, double oldV, double v) {
        if (old == null && h == null) return Double.doubleToRawLongBits(oldV) == Double.doubleToRawLongBits(v);
        return old != null && old.equals(h);
    }

    /** End (exclusive) of the run starting at {@code i}: samples of one kind and, for histograms, one layout. */
    static int runEnd(FloatHistogram[] hs, int i, int to) {
        FloatHistogram first = hs == null ? null : hs[i];
        int j = i + 1;
        if (first == null) {
            while (j < to && (hs == null || hs[j] == null)) j++;
        } else {
            while (j < to && hs[j] != null && HistogramChunkFormat.shareChunk(first, hs[j])) j++;
        }
        return j;
    }

    /** Encodes samples [from, to) (sorted) as chunks, one per run. */
    static List<SealedChunk> cut(long[] ts, long[] sts, double[] vals, FloatHistogram[] hs, int from, int to,
                                 ChunkWriter writer, ByteArrayBuilder scratch) {
        List<SealedChunk> out = new ArrayList<>(2);
        for (int i = from; i < to; ) {
            int j = runEnd(hs, i, to);
            scratch.reset();
            if (hs != null && hs[i] != null) {
                WRITERS.get().write(ts, sts, hs, i, j - i, scratch);
            } else {
                long[] t = i == 0 ? ts : Arrays.copyOfRange(ts, i, j);
                double[] v = i == 0 ? vals : Arrays.copyOfRange(vals, i, j);
                if (sts == null) writer.write(t, v, j - i, scratch);
                else writer.write(t, i == 0 ? sts : Arrays.copyOfRange(sts, i, j), v, j - i, scratch);
            }
            out.add(new SealedChunk(scratch.toByteArray(), ts[i], ts[j - 1], j - i));
            i = j;
        }
        return out;
    }
}

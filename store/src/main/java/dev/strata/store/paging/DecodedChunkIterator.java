package dev.strata.store.paging;

import dev.strata.store.SampleIterator;
import dev.strata.store.encoding.ChunkHeader;
import dev.strata.store.encoding.ChunkReader;
import dev.strata.store.encoding.HistogramChunkFormat;
import dev.strata.store.encoding.HistogramChunkReader;
import dev.strata.store.model.FloatHistogram;
import java.nio.ByteBuffer;

/**
 * The samples of one stored chunk within [minT, maxT], decoded (checksum verified) at construction.
 * A corrupt chunk throws {@link dev.strata.store.encoding.CorruptChunkException}.
 */
final class DecodedChunkIterator implements SampleIterator {
    /** Histogram chunk readers hold scratch state: one per thread. */
    private static final ThreadLocal<HistogramChunkReader> HISTOGRAM_READERS = ThreadLocal.withInitial(HistogramChunkReader::new);
    private final long[] ts;
    private final double[] vals;
    /** Start timestamps, or null when the chunk has none. */
    private final long[] sts;
    /** Histograms of a histogram chunk, or null for a float chunk. */
    private final FloatHistogram[] hists;
    private int pos;
    private final int end;

    DecodedChunkIterator(ChunkReader reader, ByteBuffer data, long minT, long maxT) {
        byte[] bytes;
        int off;
        int len = data.remaining();
        if (data.hasArray()) {
            bytes = data.array();
            off = data.arrayOffset() + data.position();
        } else {
            bytes = new byte[len];
            data.duplicate().get(bytes);
            off = 0;
        }
        long[] t;
        double[] v;
        long[] st = null;
        int n;
        if (HistogramChunkFormat.isHistogramChunk(bytes, off, len)) {
            HistogramChunkReader.Decoded d = HISTOGRAM_READERS.get().decode(bytes, off, len);
            n = d.count();
            t = d.timestamps();
            v = new double[n];
            java.util.Arrays.fill(v, Double.NaN);
            st = d.startTimestamps();
            this.hists = d.histograms();
        } else {
            reader.verifyChecksum(bytes, off, len);
            ChunkHeader h = ChunkHeader.read(bytes, off, len);
            t = new long[h.count()];
            v = new double[h.count()];
            n = reader.decode(bytes, off, len, h, t, v);
            if (h.hasStartTimestamps()) {
                st = new long[h.count()];
                reader.decodeStartTimestamps(bytes, off, len, h, st);
            }
            this.hists = null;
        }
        this.sts = st;
        int p = 0;
        while (p < n && t[p] < minT) p++;
        int e = n;
        while (e > p && t[e - 1] > maxT) e--;
        this.ts = t;
        this.vals = v;
        this.pos = p - 1;
        this.end = e;
    }

    @Override
    public boolean next() {
        return ++pos < end;
    }

    @Override
    public long timestamp() {
        return ts[pos];
    }

    @Override
    public double value() {
        return vals[pos];
    }

    @Override
    public boolean floatsOnly() {
        return hists == null;
    }

    @Override
    public FloatHistogram histogram() {
        return hists == null ? null : hists[pos];
    }

    @Override
    public long startTimestamp() {
        return sts == null ? 0 : sts[pos];
    }
}

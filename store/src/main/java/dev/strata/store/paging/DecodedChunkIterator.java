package dev.strata.store.paging;

import dev.strata.store.SampleIterator;
import dev.strata.store.encoding.ChunkHeader;
import dev.strata.store.encoding.ChunkReader;
import java.nio.ByteBuffer;

/**
 * The samples of one stored chunk within [minT, maxT], decoded (checksum verified) at construction.
 * A corrupt chunk throws {@link dev.strata.store.encoding.CorruptChunkException}.
 */
final class DecodedChunkIterator implements SampleIterator {
    private final long[] ts;
    private final double[] vals;
    /** Start timestamps, or null when the chunk has none. */
    private final long[] sts;
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
        reader.verifyChecksum(bytes, off, len);
        ChunkHeader h = ChunkHeader.read(bytes, off, len);
        long[] t = new long[h.count()];
        double[] v = new double[h.count()];
        int n = reader.decode(bytes, off, len, h, t, v);
        long[] st = null;
        if (h.hasStartTimestamps()) {
            st = new long[h.count()];
            reader.decodeStartTimestamps(bytes, off, len, h, st);
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
    public long startTimestamp() {
        return sts == null ? 0 : sts[pos];
    }
}

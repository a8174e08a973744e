package dev.strata.store.memstore;

import dev.strata.store.SampleIterator;
import dev.strata.store.encoding.ChunkHeader;
import dev.strata.store.encoding.ChunkReader;

/**
 * Reads one series' sealed chunks and then its write-buffer snapshot, within [minT, maxT]. Chunks
 * are decoded one at a time into scratch arrays. All sealed samples are older than all buffered
 * ones (see {@link SeriesState}), so concatenation is the merge.
 */
final class SeriesIterator implements SampleIterator {
    /**
     * Readers hold codec scratch state; one per thread, used only within a single decode call
     * (the samples land in this iterator's own arrays), so iterators may move between threads.
     */
    private static final ThreadLocal<ChunkReader> READERS = ThreadLocal.withInitial(ChunkReader::new);

    private final SealedChunk[] chunks;
    private final long[] bufTs;
    private final double[] bufVals;
    private final long[] bufSts;
    private final long minT;
    private final long maxT;
    private int nextChunk;
    private boolean bufferDone;
    private long[] ts;
    private double[] vals;
    /** Start timestamps of the current block, or null when it has none (all unknown). */
    private long[] sts;
    private long[] stScratch;
    private int pos;
    private int end;

    SeriesIterator(SeriesState.Snapshot s, long minT, long maxT) {
        this.chunks = s.chunks();
        this.bufTs = s.bufTs();
        this.bufVals = s.bufVals();
        this.bufSts = s.bufSts();
        this.minT = minT;
        this.maxT = maxT;
        this.pos = 0;
        this.end = 0;
    }

    @Override
    public boolean next() {
        if (++pos < end) return true;
        while (loadNextBlock()) {
            if (pos < end) return true;
        }
        return false;
    }

    private boolean loadNextBlock() {
        while (nextChunk < chunks.length) {
            SealedChunk c = chunks[nextChunk++];
            if (c.maxT() < minT || c.minT() > maxT) continue;
            ChunkReader reader = READERS.get();
            byte[] b = c.bytes();
            reader.verifyChecksum(b, 0, b.length);
            ChunkHeader h = ChunkHeader.read(b, 0, b.length);
            if (ts == null || ts.length < h.count()) {
                ts = new long[h.count()];
                vals = new double[h.count()];
            }
            int n = reader.decode(b, 0, b.length, h, ts, vals);
            sts = null;
            if (h.hasStartTimestamps()) {
                if (stScratch == null || stScratch.length < n) stScratch = new long[ts.length];
                reader.decodeStartTimestamps(b, 0, b.length, h, stScratch);
                sts = stScratch;
            }
            pos = 0;
            while (pos < n && ts[pos] < minT) pos++;
            end = n;
            while (end > pos && ts[end - 1] > maxT) end--;
            return true;
        }
        if (bufferDone) return false;
        bufferDone = true;
        ts = bufTs;
        vals = bufVals;
        sts = bufSts;
        pos = 0;
        end = bufTs.length;
        return true;
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

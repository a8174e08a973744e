package dev.strata.store.memstore;

import dev.strata.store.MergedSampleIterator;
import dev.strata.store.SampleIterator;
import dev.strata.store.encoding.ChunkHeader;
import dev.strata.store.encoding.ChunkReader;
import dev.strata.store.encoding.HistogramChunkFormat;
import dev.strata.store.encoding.HistogramChunkReader;
import dev.strata.store.model.FloatHistogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one series' sealed chunks and then its write-buffer snapshot, within [minT, maxT]. Chunks
 * are decoded one at a time into scratch arrays, or, by the bulk
 * {@link #next(long[], double[], long[], int)} into an empty destination, straight into the caller's
 * arrays. Within a generation all sealed samples are older than all buffered ones (see
 * {@link SeriesState}), so concatenation is the merge; a snapshot that is not {@link
 * SeriesState.Snapshot#ordered() ordered} (generations overlap after an early cut) is read by
 * {@link #merged}.
 */
final class SeriesIterator implements SampleIterator {
    /**
     * Readers hold codec scratch state; one per thread, used only within a single decode call
     * (the samples land in this iterator's or the caller's arrays), so iterators may move between threads.
     */
    private static final ThreadLocal<ChunkReader> READERS = ThreadLocal.withInitial(ChunkReader::new);
    private static final ThreadLocal<HistogramChunkReader> HISTOGRAM_READERS = ThreadLocal.withInitial(HistogramChunkReader::new);

    private final SealedChunk[] chunks;
    private final long[] bufTs;
    private final double[] bufVals;
    private final long[] bufSts;
    private final FloatHistogram[] bufHs;
    private final long minT;
    private final long maxT;
    private int nextChunk;
    private boolean bufferDone;
    /**
     * The current block: samples [nextIdx, end) of ts/vals are still to be returned, cur is the
     * current one; sts holds the block's start timestamps, or is null when it has none (all unknown).
     */
    private long[] ts;
    private double[] vals;
    private long[] sts;
    /** The current block's histograms (null entries: float samples), or null when it holds floats only. */
    private FloatHistogram[] hists;
    private int cur = -1;
    private int nextIdx;
    private int end;
    /** Decode scratch, allocated on the first chunk decoded into this iterator's own arrays. */
    private long[] scratchTs;
    private double[] scratchVals;
    private long[] scratchSts;

    SeriesIterator(SeriesState.Snapshot s, long minT, long maxT) {
        this.chunks = s.chunks();
        this.bufTs = s.bufTs();
        this.bufVals = s.bufVals();
        this.bufSts = s.bufSts();
        this.bufHs = s.bufHs();
        this.minT = minT;
        this.maxT = maxT;
    }

    /**
     * Reads an overlapping snapshot: one iterator per chunk and one for the buffer, merged without
     * duplicate timestamps; on a tie the chunk sealed first wins (the first write), the buffer last.
     */
    static SampleIterator merged(SeriesState.Snapshot s, long minT, long maxT) {
        List<SampleIterator> sources = new ArrayList<>(s.chunks().length + 1);
        for (SealedChunk c : s.chunks()) {
            if (c.maxT() < minT || c.minT() > maxT) continue;
            sources.add(new SeriesIterator(new SeriesState.Snapshot(new SealedChunk[] {c}, new long[0], new double[0], null, null), minT, maxT));
        }
        sources.add(new SeriesIterator(new SeriesState.Snapshot(SeriesState.NO_CHUNKS, s.bufTs(), s.bufVals(), s.bufSts(), s.bufHs()), minT, maxT));
        return MergedSampleIterator.of(sources);
    }

    @Override
    public boolean next() {
        while (nextIdx >= end) {
            if (!loadNextBlock()) return false;
        }
        cur = nextIdx++;
        return true;
    }

    @Override
    public int next(long[] timestamps, double[] values, long[] startTimestamps, int off) {
        int room = Math.min(timestamps.length, values.length) - off;
        if (startTimestamps != null) room = Math.min(room, startTimestamps.length - off);
        if (room <= 0) throw new IllegalArgumentException("no room for samples at offset " + off);
        while (nextIdx >= end) {
            if (off == 0) {
                // Nothing pending and the caller's arrays are empty: decode the next chunk into them.
                SealedChunk c = nextChunkInRange();
                if (c != null) {
                    if (c.count() <= room && !HistogramChunkFormat.isHistogramChunk(c.bytes(), 0, c.bytes().length)) {
                        int n = decodeInRange(c, timestamps, values, startTimestamps);
                        if (n > 0) {
                            cur = -1;
                            return n;
                        }
                        continue;
                    }
                    loadChunk(c);
                    continue;
                }
            }
            if (!loadNextBlock()) return 0;
        }
        int k = Math.min(end - nextIdx, room);
        System.arraycopy(ts, nextIdx, timestamps, off, k);
        System.arraycopy(vals, nextIdx, values, off, k);
        if (startTimestamps != null) {
            if (sts != null) System.arraycopy(sts, nextIdx, startTimestamps, off, k);
            else Arrays.fill(startTimestamps, off, off + k, 0);
        }
        nextIdx += k;
        cur = nextIdx - 1;
        return k;
    }

    /** The next sealed chunk overlapping [minT, maxT], or null when the chunks are done. */
    private SealedChunk nextChunkInRange() {
        while (nextChunk < chunks.length) {
            SealedChunk c = chunks[nextChunk++];
            if (c.maxT() < minT || c.minT() > maxT) continue;
            return c;
        }
        return null;
    }

    private boolean loadNextBlock() {
        SealedChunk c = nextChunkInRange();
        if (c != null) {
            loadChunk(c);
            return true;
        }
        if (bufferDone) return false;
        bufferDone = true;
        ts = bufTs;
        vals = bufVals;
        sts = bufSts;
        hists = bufHs;
        nextIdx = 0;
        end = bufTs.length;
        return true;
    }

    private void loadChunk(SealedChunk c) {
        byte[] hb = c.bytes();
        if (HistogramChunkFormat.isHistogramChunk(hb, 0, hb.length)) {
            HistogramChunkReader.Decoded d = HISTOGRAM_READERS.get().decode(hb, 0, hb.length);
            ts = d.timestamps();
            vals = new double[d.count()];
            Arrays.fill(vals, Double.NaN);
            sts = d.startTimestamps();
            hists = d.histograms();
            int from = 0;
            while (from < d.count() && ts[from] < minT) from++;
            int to = d.count();
            while (to > from && ts[to - 1] > maxT) to--;
            nextIdx = from;
            end = to;
            return;
        }
        hists = null;
        if (scratchTs == null || scratchTs.length < c.count()) {
            scratchTs = new long[c.count()];
            scratchVals = new double[c.count()];
            scratchSts = null;
        }
        ts = scratchTs;
        vals = scratchVals;
        ChunkReader reader = READERS.get();
        byte[] b = c.bytes();
        ChunkHeader h = header(reader, b);
        int n = reader.decode(b, 0, b.length, h, ts, vals);
        sts = null;
        if (h.hasStartTimestamps()) {
            if (scratchSts == null) scratchSts = new long[scratchTs.length];
            reader.decodeStartTimestamps(b, 0, b.length, h, scratchSts);
            sts = scratchSts;
        }
        int from = 0;
        while (from < n && ts[from] < minT) from++;
        int to = n;
        while (to > from && ts[to - 1] > maxT) to--;
        nextIdx = from;
        end = to;
    }

    /**
     * Decodes {@code c} into the arrays (start timestamps too when {@code st} is not null, 0 where the
     * chunk has none) and keeps only its samples in [minT, maxT], moved to the front.
     */
    private int decodeInRange(SealedChunk c, long[] t, double[] v, long[] st) {
        ChunkReader reader = READERS.get();
        byte[] b = c.bytes();
        ChunkHeader h = header(reader, b);
        int n = reader.decode(b, 0, b.length, h, t, v);
        if (st != null && !reader.decodeStartTimestamps(b, 0, b.length, h, st)) Arrays.fill(st, 0, n, 0);
        int from = 0;
        while (from < n && t[from] < minT) from++;
        int to = n;
        while (to > from && t[to - 1] > maxT) to--;
        if (from > 0) {
            System.arraycopy(t, from, t, 0, to - from);
            System.arraycopy(v, from, v, 0, to - from);
            if (st != null) System.arraycopy(st, from, st, 0, to - from);
        }
        return to - from;
    }

    private static ChunkHeader header(ChunkReader reader, byte[] b) {
        reader.verifyChecksum(b, 0, b.length);
        return ChunkHeader.read(b, 0, b.length);
    }

    @Override
    public long timestamp() {
        return ts[cur];
    }

    @Override
    public double value() {
        return vals[cur];
    }

    @Override
    public long startTimestamp() {
        return sts == null ? 0 : sts[cur];
    }

    /** No sealed chunk in range is a histogram chunk (its first byte tells) and the buffer copy holds no histogram. */
    @Override
    public boolean floatsOnly() {
        for (int i = nextChunk; i < chunks.length; i++) {
            SealedChunk c = chunks[i];
            if (c.maxT() < minT || c.minT() > maxT) continue;
            if (HistogramChunkFormat.isHistogramChunk(c.bytes(), 0, c.bytes().length)) return false;
        }
        if (hists != null) {
            for (int i = nextIdx; i < end; i++) if (hists[i] != null) return false;
        }
        if (!bufferDone && bufHs != null) {
            for (FloatHistogram h : bufHs) if (h != null) return false;
        }
        return true;
    }

    @Override
    public FloatHistogram histogram() {
        return hists == null || cur < 0 ? null : hists[cur];
    }
}

package dev.strata.store.memstore;

import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One series in a {@link MemShard}: its write buffer (raw samples sorted by timestamp, not yet
 * sealed) and its sealed chunks in the order they were sealed. Within one generation (see below)
 * the chunks are oldest first, non-overlapping and all older than the buffer.
 *
 * <p>Concurrency: the shard's writer thread mutates under this object's monitor; readers take the
 * monitor only to snapshot (see {@link #snapshot}). {@link #chunks} is copy-on-write.
 *
 * <p>Invariant that makes cuts deterministic: a buffered sample is <em>frozen</em> once
 * {@code t < maxT - outOfOrderWindow}, because no later sample can be accepted before it. Only
 * frozen samples are sealed (or samples the shard's late-seal sweep closes), and a window's chunks
 * are consecutive runs of {@code maxSamplesPerChunk} of its sorted samples, so the chunks are a
 * function of the append sequence, not of batching or timing.
 *
 * <p>Generations: an early cut ({@link #cutEarly}, the shard over its budget with nothing left to
 * flush) seals the whole buffer, frozen or not, and starts a new generation: the buffer then holds
 * only samples of log records after the cut's offset ({@link #bufferSince}), exactly what a shard
 * restarted from that offset would hold. The cut does not close anything: a later sample within
 * the out-of-order window is still accepted (the closing boundary {@link #lastSealedT} moves only by
 * the frozen rule and the late-seal sweep), so it may fall inside an earlier generation's chunk, and
 * chunks of different generations may overlap. Reads then merge them ({@link Snapshot#ordered()});
 * the flush writes each generation under its own writer epoch, so overlapping chunks are rows side
 * by side, never one row overwriting another (see ShardFlusher).
 */
final class SeriesState {
    /** Estimated heap bytes per series beyond its buffer and chunks: this object, its labels, its slot. */
    static final int OVERHEAD_BYTES = 64 + 40;
    static final SealedChunk[] NO_CHUNKS = new SealedChunk[0];
    private static final int MIN_HISTOGRAM_CAPACITY = 8;

    final int id;
    final Labels labels;
    /** The write buffer (compressed, see {@link HeadBuffer}), null while empty. */
    private HeadBuffer head;
    /**
     * Native histograms parallel to the head's samples (index i = the head's i-th sample in time
     * order; null = a float sample), or null: allocated at the series' first buffered histogram and
     * dropped once the buffer holds none, so float-only series pay nothing. A histogram sample's
     * value in the head is NaN (one bit per sample after the first: the same value bits), so the
     * head keeps timestamps, start timestamps, order, the out-of-order window and the window/count
     * cuts for both kinds in one place, and a histogram (dozens of floats and spans) lives here
     * uncompressed until it is sealed into a histogram chunk. This is simpler than a second
     * compressed stream and costs nothing for float series; see {@link HistogramBuffer}.
     */
    private FloatHistogram[] hs;
    long maxT = Long.MIN_VALUE;
    long lastSealedT = Long.MIN_VALUE;
    /** The buffer's generation: it holds samples of log records after this offset only (-1: since the run's start). */
    private long bufferSince = -1;
    /** End of the window holding the buffer's first sample (valid while it is not empty); cached to keep a division off the append path. */
    private long headWindowEnd;
    /** Newest maxT among chunks evicted from memory; older data must be read from persistent storage. */
    volatile long evictedUpToT = Long.MIN_VALUE;
    volatile SealedChunk[] chunks = NO_CHUNKS;
    /** The shard's newest timestamp when this series was created: a new series is not idle. */
    final long createdAtT;
    /**
     * True while memory holds every sample of the series that storage may hold: it was created new
     * (no earlier sample of it can be durable, see {@link MemShard#createSeries(int, Labels, boolean)})
     * and nothing of it was skipped as durable ({@link MemShard#markStoredElsewhere}); eviction ends
     * it through {@link #evictedUpToT}. False is always safe (the pager then asks storage).
     */
    volatile boolean whole;

    SeriesState(int id, Labels labels, long createdAtT, boolean whole) {
        this.id = id;
        this.labels = labels;
        this.createdAtT = createdAtT;
        this.whole = whole;
    }

    /** Memory holds every sample of this series storage may hold (nothing evicted, restored or skipped). */
    boolean holdsEverySample() {
        return whole && evictedUpToT == Long.MIN_VALUE;
    }

    /** Newest of the series' own data time and its creation time. */
    long lastActivityT() {
        return Math.max(maxT, createdAtT);
    }

    int bufferSize() {
        return head == null ? 0 : head.size();
    }

    static long labelsHeapBytes(Labels labels) {
        return 16 + 16 + 8L * labels.size();
    }

    private long headBytes() {
        return head == null ? 0 : head.heapBytes();
    }

    /** Appends with a start timestamp ({@code st} 0 = unknown). Caller holds the monitor. */
    AppendResult append(long t, long st, double v, MemShardOptions o, AtomicLong meter) {
        return append(t, st, v, null, o, meter);
    }

    /** Appends a float sample ({@code h} null) or a native histogram sample ({@code v} ignored). Caller holds the monitor. */
    AppendResult append(long t, long st, double v, FloatHistogram h, MemShardOptions o, AtomicLong meter) {
        if (h != null) v = Double.NaN;
        long outOfOrderWindowMs = o.outOfOrderWindowMs();
        // Evicted chunks of an early cut may end after lastSealedT: samples between are still open.
        if (t <= evictedUpToT && t <= lastSealedT) return AppendResult.ALREADY_PERSISTED;
        long before = headBytes();
        if (head == null || t > head.lastT()) {
            if (t <= lastSealedT || (maxT != Long.MIN_VALUE && t < maxT - outOfOrderWindowMs)) return AppendResult.OUT_OF_ORDER_TOO_OLD;
            if (head == null) {
                head = new HeadBuffer();
                headWindowEnd = o.windowStart(t) + o.chunkDurationMs();
            }
            if (h != null || hs != null) {
                histogramSlot(head.size(), meter);
                hs[head.size()] = HistogramBuffer.store(h, meter);
            }
            head.append(t, st, v);
            if (t > maxT) maxT = t;
            meter.addAndGet(head.heapBytes() - before);
            return AppendResult.APPENDED;
        }
        if (t == head.lastT()) {
            if (hs != null || h != null) return sameAs(head.size() - 1, Double.longBitsToDouble(head.lastValueBits()), h, v);
            return head.lastValueBits() == Double.doubleToRawLongBits(v) ? AppendResult.DUPLICATE : AppendResult.CONFLICT;
        }
        HeadBuffer.Samples s = head.decode();
        long[] ts = s.ts();
        int i = Arrays.binarySearch(ts, t);
        if (i >= 0) {
            if (hs != null || h != null) return sameAs(i, s.vals()[i], h, v);
            return Double.doubleToRawLongBits(s.vals()[i]) == Double.doubleToRawLongBits(v) ? AppendResult.DUPLICATE : AppendResult.CONFLICT;
        }
        if (t <= lastSealedT || t < maxT - outOfOrderWindowMs) return AppendResult.OUT_OF_ORDER_TOO_OLD;
        int at = -i - 1;
        int n = ts.length;
        long[] nts = new long[n + 1];
        double[] nvals = new double[n + 1];
        long[] nsts = s.sts() != null || st != 0 ? new long[n + 1] : null;
        System.arraycopy(ts, 0, nts, 0, at);
        System.arraycopy(ts, at, nts, at + 1, n - at);
        System.arraycopy(s.vals(), 0, nvals, 0, at);
        System.arraycopy(s.vals(), at, nvals, at + 1, n - at);
        nts[at] = t;
        nvals[at] = v;
        if (nsts != null) {
            if (s.sts() != null) {
                System.arraycopy(s.sts(), 0, nsts, 0, at);
                System.arraycopy(s.sts(), at, nsts, at + 1, n - at);
            }
            nsts[at] = st;
        }
        if (h != null || hs != null) {
            histogramSlot(n, meter);
            System.arraycopy(hs, at, hs, at + 1, n - at);
            hs[at] = HistogramBuffer.store(h, meter);
        }
        head.fill(nts, nsts, nvals, 0, n + 1);
        if (at == 0) headWindowEnd = o.windowStart(t) + o.chunkDurationMs();
        meter.addAndGet(head.heapBytes() - before);
        return AppendResult.APPENDED;
    }

    /** Duplicate or conflict against buffered sample {@code i} (value {@code oldV}). */
    private AppendResult sameAs(int i, double oldV, FloatHistogram h, double v) {
        return HistogramBuffer.sameSample(hs == null ? null : hs[i], h, oldV, v) ? AppendResult.DUPLICATE : AppendResult.CONFLICT;
    }

    /** Makes {@link #hs} hold index {@code n} (the head holds n samples), accounted. */
    private void histogramSlot(int n, AtomicLong meter) {
        if (hs == null) {
            hs = HistogramBuffer.allocate(Math.max(MIN_HISTOGRAM_CAPACITY, Integer.highestOneBit(n) * 2), meter);
        } else if (n >= hs.length) {
            meter.addAndGet(8L * hs.length);
            hs = Arrays.copyOf(hs, hs.length * 2);
        }
    }

    /**
     * Reads the buffer byte the next in-order append writes, returning a value that depends on it;
     * see {@link MemShard#prefetch}. Writer thread only, without the monitor (that thread is the
     * only mutator).
     */
    long touchAppendSlot() {
        HeadBuffer h = head;
        return h == null ? 0 : h.touch();
    }

    /** Seals what the frozen invariant allows (caller holds the monitor). */
    void sealReady(MemShardOptions o, ChunkWriter writer, ByteArrayBuilder scratch, AtomicLong meter) {
        if (head == null) return;
        int max = o.maxSamplesPerChunk();
        long frozenLimit = maxT - o.outOfOrderWindowMs();
        // the cheap test first (every append runs it): at least max frozen samples <=> the max-th
        // sample is frozen (the buffer is sorted); or the head window is wholly frozen
        if (headWindowEnd > frozenLimit && (head.size() < max || head.timestampAt(max - 1) >= frozenLimit)) return;
        Sealing z = new Sealing(head.decode(), meter);
        while (z.size() > 0) {
            if (headWindowEnd <= frozenLimit) {
                z.sealPrefix(Math.min(z.countBelow(headWindowEnd), max), o, writer, scratch);
                continue;
            }
            if (z.size() < max || z.ts[z.from + max - 1] >= frozenLimit) break;
            z.sealPrefix(max, o, writer, scratch);
        }
        z.finish();
    }

    /**
     * Early cut: seals the whole buffer (cut by window and count as always, so these chunks are the
     * buffer's last flush snapshot) and starts a new generation holding samples of records after
     * {@code offset} only. Does not move the closing boundary {@link #lastSealedT}: the out-of-order
     * window stays open. Returns true if anything was sealed (caller holds the monitor).
     */
    boolean cutEarly(long offset, MemShardOptions o, ChunkWriter writer, ByteArrayBuilder scratch, AtomicLong meter) {
        boolean cut = head != null;
        if (cut) {
            long closed = lastSealedT;
            sealBefore(Long.MAX_VALUE, o, writer, scratch, meter);
            lastSealedT = closed;
        }
        bufferSince = offset;
        return cut;
    }

    /** Seals every buffered sample older than {@code limit}, cut by window and count (caller holds the monitor). */
    void sealBefore(long limit, MemShardOptions o, ChunkWriter writer, ByteArrayBuilder scratch, AtomicLong meter) {
        if (head == null || head.firstT() >= limit) return;
        Sealing z = new Sealing(head.decode(), meter);
        while (z.size() > 0 && z.ts[z.from] < limit) {
            z.sealPrefix(Math.min(z.countBelow(Math.min(limit, headWindowEnd)), o.maxSamplesPerChunk()), o, writer, scratch);
        }
        z.finish();
    }

    /** The decoded buffer while sealing: samples [from, ts.length) remain; {@link #finish} stores them back. */
    private final class Sealing {
        final long[] ts;
        final double[] vals;
        final long[] sts;
        final AtomicLong meter;
        final long bytesBefore;
        int from;

        Sealing(HeadBuffer.Samples s, AtomicLong meter) {
            this.ts = s.ts();
            this.vals = s.vals();
            this.sts = s.sts();
            this.meter = meter;
            this.bytesBefore = headBytes();
        }

        int size() {
            return ts.length - from;
        }

        int countBelow(long limit) {
            int i = Arrays.binarySearch(ts, from, ts.length, limit);
            return (i >= 0 ? i : -i - 1) - from;
        }

        void sealPrefix(int k, MemShardOptions o, ChunkWriter writer, ByteArrayBuilder scratch) {
            SealedChunk[] old = chunks;
            SealedChunk[] next;
            long added;
            if (hs == null) {
                scratch.reset();
                long[] t = from == 0 ? ts : Arrays.copyOfRange(ts, from, from + k);
                double[] v = from == 0 ? vals : Arrays.copyOfRange(vals, from, from + k);
                if (sts == null) writer.write(t, v, k, scratch);
                else writer.write(t, from == 0 ? sts : Arrays.copyOfRange(sts, from, from + k), v, k, scratch);
                SealedChunk c = new SealedChunk(scratch.toByteArray(), ts[from], ts[from + k - 1], k);
                next = Arrays.copyOf(old, old.length + 1);
                next[old.length] = c;
                added = c.heapBytes() + 4;
            } else {
                // a change between float and histogram samples, or of the histogram layout, cuts the prefix further
                java.util.List<SealedChunk> cs = HistogramBuffer.cut(ts, sts, vals, hs, from, from + k, writer, scratch);
                next = Arrays.copyOf(old, old.length + cs.size());
                added = -HistogramBuffer.heapBytes(hs, from, from + k);
                for (int j = 0; j < cs.size(); j++) {
                    next[old.length + j] = cs.get(j);
                    added += cs.get(j).heapBytes() + 4;
                }
            }
            lastSealedT = ts[from + k - 1];
            from += k;
            if (from < ts.length) headWindowEnd = o.windowStart(ts[from]) + o.chunkDurationMs();
            for (int j = old.length; j < next.length; j++) next[j].sinceOffset(bufferSince);
            chunks = next;
            meter.addAndGet(added);
        }

        /** Stores the unsealed rest back as the compressed buffer (none: no buffer). */
        void finish() {
            if (from == 0) return;
            if (from == ts.length) head = null;
            else head.fill(ts, sts, vals, from, ts.length);
            meter.addAndGet(headBytes() - bytesBefore);
            if (hs != null) shiftHistograms(from, ts.length, meter);
        }
    }

    /** Drops the first {@code k} of {@code n} histogram slots (their histograms are unaccounted already); drops the array if no histogram remains. */
    private void shiftHistograms(int k, int n, AtomicLong meter) {
        boolean any = false;
        for (int i = k; i < n && !any; i++) any = hs[i] != null;
        if (!any) {
            meter.addAndGet(-8L * hs.length);
            hs = null;
            return;
        }
        int rest = n - k;
        int cap = Math.max(MIN_HISTOGRAM_CAPACITY, Integer.highestOneBit(rest) * 2);
        if (cap < hs.length / 2) {
            FloatHistogram[] next = Arrays.copyOfRange(hs, k, k + cap);
            Arrays.fill(next, rest, cap, null);
            meter.addAndGet(-8L * (hs.length - cap));
            hs = next;
        } else {
            System.arraycopy(hs, k, hs, 0, rest);
            Arrays.fill(hs, rest, n, null);
        }
    }

    /** Heap bytes this series accounts for (caller holds the monitor). */
    long heapBytes() {
        long b = OVERHEAD_BYTES + labelsHeapBytes(labels) + headBytes();
        if (hs != null) b += 8L * hs.length + HistogramBuffer.heapBytes(hs, 0, bufferSize());
        for (SealedChunk c : chunks) b += c.heapBytes() + 4;
        return b;
    }

    /** Copies buffered samples within [minT, maxT] (caller holds the monitor). */
    Snapshot snapshot(long minT, long maxTIncl) {
        if (head == null || head.lastT() < minT || head.firstT() > maxTIncl) return new Snapshot(chunks, new long[0], new double[0], null, null);
        HeadBuffer.Samples s = head.decode();
        long[] ts = s.ts();
        int from = countBelow(ts, minT);
        int to = maxTIncl == Long.MAX_VALUE ? ts.length : countBelow(ts, maxTIncl + 1);
        if (to < from) to = from;
        FloatHistogram[] bufHs = hs == null ? null : Arrays.copyOfRange(hs, from, to);
        if (from == 0 && to == ts.length) return new Snapshot(chunks, ts, s.vals(), s.sts(), bufHs);
        return new Snapshot(chunks, Arrays.copyOfRange(ts, from, to), Arrays.copyOfRange(s.vals(), from, to),
                s.sts() == null ? null : Arrays.copyOfRange(s.sts(), from, to), bufHs);
    }

    private static int countBelow(long[] ts, long limit) {
        int i = Arrays.binarySearch(ts, limit);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * {@code bufSts}: the buffered samples' start timestamps, null when the buffer has none;
     * {@code bufHs}: their histograms (null entries for float samples), null when the buffer has none.
     */
    record Snapshot(SealedChunk[] chunks, long[] bufTs, double[] bufVals, long[] bufSts, FloatHistogram[] bufHs) {
        /**
         * True if the chunks and then the buffer follow each other in time without overlap, so that
         * concatenation is the merge; false after an early cut let samples in behind a chunk.
         */
        boolean ordered() {
            long last = Long.MIN_VALUE;
            for (SealedChunk c : chunks) {
                if (c.minT() <= last) return false;
                last = c.maxT();
            }
            return bufTs.length == 0 || bufTs[0] > last;
        }
    }

    /**
     * The sealed chunks not yet persisted plus a copy of the whole write buffer, taken together so
     * that a concurrent seal cannot move samples from the buffer into a chunk between the two reads
     * (caller holds the monitor).
     */
    FlushCopy flushCopy() {
        SealedChunk[] cs = chunks;
        int unpersisted = 0;
        for (SealedChunk c : cs) if (!c.persisted()) unpersisted++;
        SealedChunk[] sealed = new SealedChunk[unpersisted];
        int k = 0;
        for (SealedChunk c : cs) if (!c.persisted()) sealed[k++] = c;
        if (head == null) return new FlushCopy(cs, sealed, null, null, null, null, bufferSince);
        HeadBuffer.Samples s = head.decode();
        return new FlushCopy(cs, sealed, s.ts(), s.vals(), s.sts(), hs == null ? null : Arrays.copyOf(hs, s.size()), bufferSince);
    }

    /** Oldest timestamp held (caller holds the monitor), Long.MAX_VALUE if none; generations may overlap, so the minimum of all. */
    long firstTimestamp() {
        long first = head != null ? head.firstT() : Long.MAX_VALUE;
        for (SealedChunk c : chunks) first = Math.min(first, c.minT());
        return first;
    }

    /**
     * {@code all}: every chunk in memory (for window versions); {@code sealed}: the unpersisted ones;
     * {@code bufSince}: the buffer's generation (see {@link SealedChunk#sinceOffset()}).
     */
    record FlushCopy(SealedChunk[] all, SealedChunk[] sealed, long[] bufTs, double[] bufVals, long[] bufSts, FloatHistogram[] bufHs,
                     long bufSince) {}

    /**
     * Drops the longest prefix of persisted chunks whose maxT <= cutoff; returns the bytes freed
     * (caller holds the monitor).
     */
    long evictPersistedPrefix(long cutoff) {
        SealedChunk[] cs = chunks;
        int k = 0;
        long freed = 0;
        long upTo = evictedUpToT;
        while (k < cs.length && cs[k].persisted() && cs[k].maxT() <= cutoff) {
            freed += cs[k].heapBytes() + 4;
            upTo = Math.max(upTo, cs[k].maxT());
            k++;
        }
        if (k == 0) return 0;
        evictedUpToT = upTo;
        chunks = k == cs.length ? NO_CHUNKS : Arrays.copyOfRange(cs, k, cs.length);
        return freed;
    }

    /** Marks data up to t as living in storage (recovery); caller holds the monitor. */
    void restorePersistedUpTo(long t) {
        if (head != null && head.firstT() <= t) throw new IllegalStateException("series " + id + " buffers samples at or before " + t + "; restore before replaying");
        if (t > lastSealedT) lastSealedT = t;
        if (t > evictedUpToT) evictedUpToT = t;
        if (t > maxT) maxT = t;
    }

    /** True if nothing here is unpersisted (caller holds the monitor). */
    boolean fullyPersisted() {
        if (head != null) return false;
        for (SealedChunk c : chunks) if (!c.persisted()) return false;
        return true;
    }
}

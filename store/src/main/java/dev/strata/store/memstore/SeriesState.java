package dev.strata.store.memstore;

import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One series in a {@link MemShard}: its write buffer (raw samples sorted by timestamp, not yet
 * sealed) and its sealed chunks (oldest first, non-overlapping, all older than the buffer).
 *
 * <p>Concurrency: the shard's writer thread mutates under this object's monitor; readers take the
 * monitor only to snapshot (see {@link #snapshot}). {@link #chunks} is copy-on-write.
 *
 * <p>Invariant that makes cuts deterministic: a buffered sample is <em>frozen</em> once
 * {@code t < maxT - outOfOrderWindow}, because no later sample can be accepted before it. Only
 * frozen samples are sealed (or samples the shard's late-seal sweep closes), and a window's chunks
 * are consecutive runs of {@code maxSamplesPerChunk} of its sorted samples, so the chunks are a
 * function of the append sequence, not of batching or timing.
 */
final class SeriesState {
    /** Estimated heap bytes per series beyond its buffer arrays and chunks: this object, its labels, its slot. */
    static final int OVERHEAD_BYTES = 64 + 40;
    static final SealedChunk[] NO_CHUNKS = new SealedChunk[0];
    private static final int MIN_CAPACITY = 8;

    final int id;
    final Labels labels;
    private long[] ts;
    private double[] vals;
    /**
     * Start timestamps parallel to ts (0 = unknown), or null: allocated at the series' first known
     * start timestamp and dropped when the buffer empties, so series without them pay nothing.
     */
    private long[] sts;
    /**
     * Native histograms parallel to ts (null = a float sample, whose value is in vals; a histogram
     * sample's vals slot holds NaN), or null: allocated at the series' first histogram and dropped
     * when the buffer empties, so float-only series pay nothing. See {@link HistogramBuffer}.
     */
    private FloatHistogram[] hs;
    private int size;
    long maxT = Long.MIN_VALUE;
    long lastSealedT = Long.MIN_VALUE;
    /** End of the window holding ts[0] (valid while size > 0); cached to keep a division off the append path. */
    private long headWindowEnd;
    /** Newest maxT among chunks evicted from memory; older data must be read from persistent storage. */
    volatile long evictedUpToT = Long.MIN_VALUE;
    volatile SealedChunk[] chunks = NO_CHUNKS;
    /** The shard's newest timestamp when this series was created: a new series is not idle. */
    final long createdAtT;

    SeriesState(int id, Labels labels, long createdAtT) {
        this.id = id;
        this.labels = labels;
        this.createdAtT = createdAtT;
    }

    /** Newest of the series' own data time and its creation time. */
    long lastActivityT() {
        return Math.max(maxT, createdAtT);
    }

    int bufferSize() {
        return size;
    }

    static long labelsHeapBytes(Labels labels) {
        return 16 + 16 + 8L * labels.size();
    }

    /** Appends with a start timestamp ({@code st} 0 = unknown). Caller holds the monitor. */
    AppendResult append(long t, long st, double v, MemShardOptions o, AtomicLong meter) {
        return append(t, st, v, null, o, meter);
    }

    /** Appends a float sample ({@code h} null) or a native histogram sample ({@code v} ignored). Caller holds the monitor. */
    AppendResult append(long t, long st, double v, FloatHistogram h, MemShardOptions o, AtomicLong meter) {
        if (h != null) v = Double.NaN;
        long outOfOrderWindowMs = o.outOfOrderWindowMs();
        if (t <= evictedUpToT) return AppendResult.ALREADY_PERSISTED;
        if (size == 0 || t > ts[size - 1]) {
            if (t <= lastSealedT || (maxT != Long.MIN_VALUE && t < maxT - outOfOrderWindowMs)) return AppendResult.OUT_OF_ORDER_TOO_OLD;
            if (ts == null || size == ts.length) grow(meter);
            if (st != 0 && sts == null) allocateStartTimestamps(meter);
            if (h != null && hs == null) hs = HistogramBuffer.allocate(ts.length, meter);
            ts[size] = t;
            vals[size] = v;
            if (sts != null) sts[size] = st;
            if (hs != null) hs[size] = HistogramBuffer.store(h, meter);
            if (size++ == 0) headWindowEnd = o.windowStart(t) + o.chunkDurationMs();
            if (t > maxT) maxT = t;
            return AppendResult.APPENDED;
        }
        int i = Arrays.binarySearch(ts, 0, size, t);
        if (i >= 0) {
            if (hs != null || h != null) return HistogramBuffer.sameSample(hs == null ? null : hs[i], h, vals[i], v) ? AppendResult.DUPLICATE : AppendResult.CONFLICT;
            return Double.doubleToRawLongBits(vals[i]) == Double.doubleToRawLongBits(v) ? AppendResult.DUPLICATE : AppendResult.CONFLICT;
        }
        if (t <= lastSealedT || t < maxT - outOfOrderWindowMs) return AppendResult.OUT_OF_ORDER_TOO_OLD;
        int at = -i - 1;
        if (size == ts.length) grow(meter);
        if (st != 0 && sts == null) allocateStartTimestamps(meter);
        if (h != null && hs == null) hs = HistogramBuffer.allocate(ts.length, meter);
        System.arraycopy(ts, at, ts, at + 1, size - at);
        System.arraycopy(vals, at, vals, at + 1, size - at);
        ts[at] = t;
        vals[at] = v;
        if (sts != null) {
            System.arraycopy(sts, at, sts, at + 1, size - at);
            sts[at] = st;
        }
        if (hs != null) {
            System.arraycopy(hs, at, hs, at + 1, size - at);
            hs[at] = HistogramBuffer.store(h, meter);
        }
        size++;
        if (at == 0) headWindowEnd = o.windowStart(t) + o.chunkDurationMs();
        return AppendResult.APPENDED;
    }

    /**
     * Reads the buffer slots the next in-order append writes (and the newest sample it compares
     * with), returning a value that depends on them; see {@link MemShard#prefetch}. Writer thread
     * only, without the monitor (that thread is the only mutator).
     */
    long touchAppendSlot() {
        long[] t = ts;
        double[] v = vals;
        int n = size;
        if (t == null || v == null) return n;
        int i = Math.min(n, Math.min(t.length, v.length) - 1);
        if (i < 0) return n;
        return t[i] ^ Double.doubleToRawLongBits(v[i]);
    }

    private void grow(AtomicLong meter) {
        int cap = ts == null ? MIN_CAPACITY : ts.length * 2;
        meter.addAndGet(16L * (cap - (ts == null ? 0 : ts.length)));
        ts = ts == null ? new long[cap] : Arrays.copyOf(ts, cap);
        vals = vals == null ? new double[cap] : Arrays.copyOf(vals, cap);
        if (sts != null) {
            meter.addAndGet(8L * (cap - sts.length));
            sts = Arrays.copyOf(sts, cap);
        }
        if (hs != null) {
            meter.addAndGet(8L * (cap - hs.length));
            hs = Arrays.copyOf(hs, cap);
        }
    }

    /** The buffer's first known start timestamp: earlier buffered samples get 0 (unknown). */
    private void allocateStartTimestamps(AtomicLong meter) {
        sts = new long[ts.length];
        meter.addAndGet(8L * ts.length);
    }

    /** Seals what the frozen invariant allows (caller holds the monitor). */
    void sealReady(MemShardOptions o, ChunkWriter writer, ByteArrayBuilder scratch, AtomicLong meter) {
        int max = o.maxSamplesPerChunk();
        while (size > 0) {
            long frozenLimit = maxT - o.outOfOrderWindowMs();
            long windowEnd = headWindowEnd;
            if (windowEnd <= frozenLimit) {
                sealPrefix(Math.min(countBelow(windowEnd), max), o, writer, scratch, meter);
                continue;
            }
            // at least max frozen samples <=> the max-th sample is frozen (the buffer is sorted)
            if (size < max || ts[max - 1] >= frozenLimit) return;
            sealPrefix(max, o, writer, scratch, meter);
        }
    }

    /** Seals every buffered sample older than {@code limit}, cut by window and count (caller holds the monitor). */
    void sealBefore(long limit, MemShardOptions o, ChunkWriter writer, ByteArrayBuilder scratch, AtomicLong meter) {
        while (size > 0 && ts[0] < limit) {
            long windowEnd = headWindowEnd;
            sealPrefix(Math.min(countBelow(Math.min(limit, windowEnd)), o.maxSamplesPerChunk()), o, writer, scratch, meter);
        }
        shrinkIfSparse(meter);
    }

    private int countBelow(long limit) {
        int i = Arrays.binarySearch(ts, 0, size, limit);
        return i >= 0 ? i : -i - 1;
    }

    private void sealPrefix(int k, MemShardOptions o, ChunkWriter writer, ByteArrayBuilder scratch, AtomicLong meter) {
        SealedChunk[] old = chunks;
        SealedChunk[] next;
        long added;
        if (hs == null) {
            scratch.reset();
            if (sts == null) writer.write(ts, vals, k, scratch);
            else writer.write(ts, sts, vals, k, scratch);
            SealedChunk c = new SealedChunk(scratch.toByteArray(), ts[0], ts[k - 1], k);
            next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = c;
            added = c.heapBytes() + 4;
        } else {
            // a change between float and histogram samples, or of the histogram layout, cuts the prefix further
            java.util.List<SealedChunk> cs = HistogramBuffer.cut(ts, sts, vals, hs, 0, k, writer, scratch);
            next = Arrays.copyOf(old, old.length + cs.size());
            added = 0;
            for (int j = 0; j < cs.size(); j++) {
                next[old.length + j] = cs.get(j);
                added += cs.get(j).heapBytes() + 4;
            }
            meter.addAndGet(-HistogramBuffer.heapBytes(hs, 0, k));
        }
        lastSealedT = ts[k - 1];
        System.arraycopy(ts, k, ts, 0, size - k);
        System.arraycopy(vals, k, vals, 0, size - k);
        if (sts != null) System.arraycopy(sts, k, sts, 0, size - k);
        if (hs != null) {
            System.arraycopy(hs, k, hs, 0, size - k);
            Arrays.fill(hs, size - k, size, null);
        }
        size -= k;
        if (size > 0) headWindowEnd = o.windowStart(ts[0]) + o.chunkDurationMs();
        chunks = next;
        meter.addAndGet(added);
        shrinkIfSparse(meter);
    }

    private void shrinkIfSparse(AtomicLong meter) {
        if (ts == null) return;
        if (size == 0) {
            meter.addAndGet(-16L * ts.length);
            ts = null;
            vals = null;
            if (sts != null) {
                meter.addAndGet(-8L * sts.length);
                sts = null;
            }
            if (hs != null) {
                meter.addAndGet(-8L * hs.length);
                hs = null;
            }
        } else if (ts.length > 64 && size < ts.length / 4) {
            int cap = Math.max(MIN_CAPACITY, Integer.highestOneBit(size) * 2);
            meter.addAndGet(-16L * (ts.length - cap));
            ts = Arrays.copyOf(ts, cap);
            vals = Arrays.copyOf(vals, cap);
            if (sts != null) {
                meter.addAndGet(-8L * (sts.length - cap));
                sts = Arrays.copyOf(sts, cap);
            }
            if (hs != null) {
                meter.addAndGet(-8L * (hs.length - cap));
                hs = Arrays.copyOf(hs, cap);
            }
        }
    }

    /** Heap bytes this series accounts for (caller holds the monitor). */
    long heapBytes() {
        long b = OVERHEAD_BYTES + labelsHeapBytes(labels) + (ts == null ? 0 : 16L * ts.length) + (sts == null ? 0 : 8L * sts.length);
        if (hs != null) b += 8L * hs.length + HistogramBuffer.heapBytes(hs, 0, size);
        for (SealedChunk c : chunks) b += c.heapBytes() + 4;
        return b;
    }

    /** Copies buffered samples within [minT, maxT] (caller holds the monitor). */
    Snapshot snapshot(long minT, long maxTIncl) {
        if (size == 0) return new Snapshot(chunks, new long[0], new double[0], null, null);
        int from = countBelow(minT);
        int to = maxTIncl == Long.MAX_VALUE ? size : countBelow(maxTIncl + 1);
        if (to < from) to = from;
        return new Snapshot(chunks, Arrays.copyOfRange(ts, from, to), Arrays.copyOfRange(vals, from, to),
                sts == null ? null : Arrays.copyOfRange(sts, from, to), hs == null ? null : Arrays.copyOfRange(hs, from, to));
    }

    /**
     * {@code bufSts}: the buffered samples' start timestamps, null when the buffer has none;
     * {@code bufHs}: their histograms (null entries for float samples), null when the buffer has none.
     */
    record Snapshot(SealedChunk[] chunks, long[] bufTs, double[] bufVals, long[] bufSts, FloatHistogram[] bufHs) {}

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
        if (size == 0) return new FlushCopy(cs, sealed, null, null, null, null);
        return new FlushCopy(cs, sealed, Arrays.copyOf(ts, size), Arrays.copyOf(vals, size), sts == null ? null : Arrays.copyOf(sts, size),
                hs == null ? null : Arrays.copyOf(hs, size));
    }

    /** Oldest timestamp held (caller holds the monitor), Long.MAX_VALUE if none. */
    long firstTimestamp() {
        SealedChunk[] cs = chunks;
        if (cs.length > 0) return cs[0].minT();
        return size > 0 ? ts[0] : Long.MAX_VALUE;
    }

    /** {@code all}: every chunk in memory (for window versions); {@code sealed}: the unpersisted ones. */
    record FlushCopy(SealedChunk[] all, SealedChunk[] sealed, long[] bufTs, double[] bufVals, long[] bufSts, FloatHistogram[] bufHs) {}

    /**
     * Drops the longest prefix of persisted chunks whose maxT <= cutoff; returns the bytes freed
     * (caller holds the monitor).
     */
    long evictPersistedPrefix(long cutoff) {
        SealedChunk[] cs = chunks;
        int k = 0;
        long freed = 0;
        while (k < cs.length && cs[k].persisted() && cs[k].maxT() <= cutoff) {
            freed += cs[k].heapBytes() + 4;
            k++;
        }
        if (k == 0) return 0;
        evictedUpToT = cs[k - 1].maxT();
        chunks = k == cs.length ? NO_CHUNKS : Arrays.copyOfRange(cs, k, cs.length);
        return freed;
    }

    /** Marks data up to t as living in storage (recovery); caller holds the monitor. */
    void restorePersistedUpTo(long t) {
        if (size > 0 && ts[0] <= t) throw new IllegalStateException("series " + id + " buffers samples at or before " + t + "; restore before replaying");
        if (t > lastSealedT) lastSealedT = t;
        if (t > evictedUpToT) evictedUpToT = t;
        if (t > maxT) maxT = t;
    }

    /** True if nothing here is unpersisted (caller holds the monitor). */
    boolean fullyPersisted() {
        if (size > 0) return false;
        for (SealedChunk c : chunks) if (!c.persisted()) return false;
        return true;
    }
}

package dev.strata.store.memstore;

import dev.strata.store.SampleIterator;
import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory part of one shard: series -> write buffer -> sealed compressed chunks.
 *
 * <p>Threads: exactly one writer thread (the shard's consumer) calls {@link #createSeries},
 * {@link #append}, {@link #needsBackpressure}, {@link #sealAll}; any thread may read
 * ({@link #iterator}, {@link #labels}, {@link #unpersistedChunks}) and the flush code may call
 * {@link #markPersisted} from its own thread.
 *
 * <p>Chunks are cut at epoch-aligned windows of {@code chunkDurationMs} and after
 * {@code maxSamplesPerChunk} samples, only once the out-of-order window can no longer change them,
 * so the same append sequence (a Kafka replay, a replica) yields byte-identical chunks whatever the
 * batching. Once the shard's newest timestamp passes a window's end by outOfOrderWindow +
 * lateSealGrace, every series' samples in that window are sealed (a deterministic point in the
 * sequence too), so quiet series get their last chunk cut and can be persisted.
 *
 * <p>Duplicates: same timestamp and bit-identical value is ignored ({@link AppendResult#DUPLICATE});
 * same timestamp, different value: the first write wins ({@link AppendResult#CONFLICT}, counted).
 *
 * <p>Memory: the shard accounts series overhead, write-buffer capacity and chunk bytes against
 * {@code memoryBudgetBytes}. When over budget it evicts idle fully-persisted series and persisted
 * chunks (see {@link Evictor}); unpersisted data is never dropped: {@link #needsBackpressure()}
 * turns true instead, and the consumer should pause until flushes mark chunks persisted. Write
 * buffers cannot be evicted (their windows are still open), so a shard whose budget they fill cuts
 * them early ({@link #needsBackpressure(long)}, {@link #cutEarly}) into chunks that a flush can
 * persist and eviction then free.
 *
 * <p>Roles (as Prometheus's head.go / head_append.go / head_read.go): this class is the series registry,
 * the append path and the reads; {@link FlushSnapshots} builds flush snapshots; {@link MemoryBudget} the
 * budget and eviction policy ({@link Evictor} what is evicted); {@link ShardCounters} the append
 * counters. The public API stays here and delegates.
 */
public final class MemShard {
    private final int shardId;
    private final MemShardOptions options;
    private volatile SeriesState[] series = new SeriesState[64];
    private int seriesCount;
    private final ChunkWriter writer = new ChunkWriter();
    private final ByteArrayBuilder scratch = new ByteArrayBuilder(4096);
    private final MemoryBudget budget;
    private final AtomicLong usedBytes;
    private final ShardCounters counters = new ShardCounters();
    private long maxDataT = Long.MIN_VALUE;
    private long nextSweepAt = Long.MAX_VALUE;
    private volatile LateWrites lateWrites;

    public MemShard(int shardId, MemShardOptions options) {
        this.shardId = shardId;
        this.options = options;
        this.budget = new MemoryBudget(options);
        this.usedBytes = budget.used;
    }

    public int shardId() {
        return shardId;
    }

    public MemShardOptions options() {
        return options;
    }

    /** Where every appended sample's timestamp is reported (the node's results cache); null = nowhere. */
    public void lateWrites(LateWrites lateWrites) {
        this.lateWrites = lateWrites;
    }

    /**
     * Registers a series under a dense id assigned by the index. Idempotent for the same labels;
     * a different label set under a known id is a caller bug and throws. Storage may hold older
     * samples of it (see {@link #createSeries(int, Labels, boolean)}).
     */
    public void createSeries(int seriesId, Labels labels) {
        createSeries(seriesId, labels, false);
    }

    /**
     * As {@link #createSeries(int, Labels)}; {@code isNew} true says that no sample of the series can
     * be in storage yet: the label index has just added it (the index holds every series of every
     * record a flush checkpoint covers, so a series it did not know has no durable chunk, and every
     * sample of it the shard accepts from now on goes through this memory). Memory then answers
     * reads of the series alone ({@link #holdsEverySample}) until it evicts a chunk of it or a replay
     * skips some of its samples ({@link #markStoredElsewhere}). Ignored for an id already registered.
     */
    public void createSeries(int seriesId, Labels labels, boolean isNew) {
        if (seriesId < 0) throw new IllegalArgumentException("negative series id " + seriesId);
        if (labels == null) throw new IllegalArgumentException("null labels for series " + seriesId);
        SeriesState[] arr = series;
        if (seriesId >= arr.length) {
            arr = Arrays.copyOf(arr, Math.max(seriesId + 1, arr.length * 2));
            series = arr;
        }
        SeriesState s = arr[seriesId];
        if (s != null) {
            if (!s.labels.equals(labels)) {
                throw new IllegalArgumentException("series id " + seriesId + " already holds " + s.labels + ", not " + labels);
            }
            return;
        }
        arr[seriesId] = new SeriesState(seriesId, labels, maxDataT, isNew);
        series = arr; // volatile write publishes the new slot to readers
        seriesCount++;
        usedBytes.addAndGet(SeriesState.OVERHEAD_BYTES + SeriesState.labelsHeapBytes(labels));
    }

    public boolean hasSeries(int seriesId) {
        return state(seriesId) != null;
    }

    /** The series' labels, or null if the id is unknown here. */
    public Labels labels(int seriesId) {
        SeriesState s = state(seriesId);
        return s == null ? null : s.labels;
    }

    private SeriesState state(int seriesId) {
        SeriesState[] arr = series;
        return seriesId >= 0 && seriesId < arr.length ? arr[seriesId] : null;
    }

    /** Appends one sample; see {@link AppendResult} for the outcomes. Writer thread only. */
    public AppendResult append(int seriesId, long timestampMs, double value) {
        return append(seriesId, timestampMs, 0, value);
    }

    /**
     * Appends one sample with its start timestamp (ms since the epoch when the counter it belongs
     * to started from zero; 0 = unknown, the same as {@link #append(int, long, double)}). The start
     * timestamp is kept per sample, in the chunk's optional start-timestamp column. A duplicate
     * (same timestamp and value) keeps the first write's start timestamp. Writer thread only.
     */
    public AppendResult append(int seriesId, long timestampMs, long startTimestampMs, double value) {
        return appendSample(seriesId, timestampMs, startTimestampMs, value, null);
    }

    /**
     * Appends one native histogram sample (start timestamp {@code startTimestampMs}, 0 = unknown).
     * Same rules as float samples: the out-of-order window, duplicates (an equal histogram at the
     * same timestamp) and conflicts (a different histogram, or a float sample, at that timestamp). A
     * series may hold float and histogram samples over time; a change of kind, or of the histogram's
     * bucket layout, cuts a chunk. Writer thread only.
     */
    public AppendResult append(int seriesId, long timestampMs, long startTimestampMs, dev.strata.store.model.FloatHistogram histogram) {
        if (histogram == null) throw new IllegalArgumentException("null histogram");
        return appendSample(seriesId, timestampMs, startTimestampMs, Double.NaN, histogram);
    }

    /**
     * The one append: a float sample ({@code histogram} null) or a histogram sample; seals what is
     * ready, and tells the results cache's {@link LateWrites} of every appended sample, of both kinds.
     */
    private AppendResult appendSample(int seriesId, long timestampMs, long startTimestampMs, double value, dev.strata.store.model.FloatHistogram histogram) {
        SeriesState s = state(seriesId);
        if (s == null) {
            counters.count(AppendResult.UNKNOWN_SERIES);
            return AppendResult.UNKNOWN_SERIES;
        }
        AppendResult r;
        synchronized (s) {
            r = s.append(timestampMs, startTimestampMs, value, histogram, options, usedBytes);
            if (r == AppendResult.APPENDED) s.sealReady(options, writer, scratch, usedBytes);
        }
        LateWrites late = lateWrites;
        if (late != null && r == AppendResult.APPENDED) late.appended(timestampMs);
        return count(r, timestampMs);
    }

    /**
     * Read-ahead hint for the writer thread: touches, for each of the first {@code n} ids (negative
     * or unknown ids are ignored), the series' state and the write-buffer slots its next append will
     * use, so that a batch of appends finds them in the CPU cache. The loads are independent across
     * series, so their misses overlap. Reads only; no effect on the shard's contents or results.
     * Writer thread only (it reads the buffers without their lock, which only that thread mutates).
     */
    public void prefetch(int[] ids, int n) {
        SeriesState[] arr = series;
        long sink = 0;
        for (int i = 0; i < n; i++) {
            int id = ids[i];
            if (id < 0 || id >= arr.length) continue;
            SeriesState s = arr[id];
            if (s != null) sink += s.touchAppendSlot();
        }
        prefetchSink = sink;
    }

    /** Keeps {@link #prefetch}'s loads from being optimized away; never read. */
    @SuppressWarnings("unused")
    private long prefetchSink;

    private AppendResult count(AppendResult r, long timestampMs) {
        counters.count(r);
        if (r == AppendResult.APPENDED) {
            if (timestampMs > maxDataT) advanceDataTime(timestampMs);
            if (budget.over()) budget.maybeEvict(this);
        }
        return r;
    }

    private void advanceDataTime(long t) {
        long slack = options.outOfOrderWindowMs() + options.lateSealGraceMs();
        if (maxDataT == Long.MIN_VALUE) {
            nextSweepAt = options.windowStart(t - slack) + options.chunkDurationMs() + slack;
        }
        maxDataT = t;
        if (t >= nextSweepAt) {
            long limit = options.windowStart(t - slack);
            sealBefore(limit);
            nextSweepAt = limit + options.chunkDurationMs() + slack;
        }
    }

    private void sealBefore(long limit) {
        for (SeriesState s : series) {
            if (s == null) continue;
            synchronized (s) {
                s.sealBefore(limit, options, writer, scratch, usedBytes);
            }
        }
    }

    /**
     * Seals every buffered sample of every series (end of input: tools, tests, clean shutdown).
     * Chunks cut here are partial windows, so only call it where determinism no longer matters.
     */
    public void sealAll() {
        sealBefore(Long.MAX_VALUE);
    }

    /** Ascending samples of the series within [minT, maxT] (inclusive) held in memory. Any thread. */
    public SampleIterator iterator(int seriesId, long minT, long maxT) {
        SeriesState s = state(seriesId);
        if (s == null || minT > maxT) return SampleIterator.EMPTY;
        SeriesState.Snapshot snap;
        synchronized (s) {
            snap = s.snapshot(minT, maxT);
        }
        return snap.ordered() ? new SeriesIterator(snap, minT, maxT) : SeriesIterator.merged(snap, minT, maxT);
    }

    /**
     * Recovery hook: the series' samples up to {@code timestampMs} (the newest timestamp of its
     * chunks already in storage) are persisted. Replayed samples at or before it return
     * {@link AppendResult#ALREADY_PERSISTED}, and chunk cutting resumes after it exactly as in the
     * original run (cuts restart after each sealed chunk), so replayed chunks match the ones the
     * original run wrote. Call after {@link #createSeries} and before replaying the series' samples.
     * Writer thread only.
     */
    public void restorePersistedUpTo(int seriesId, long timestampMs) {
        SeriesState s = state(seriesId);
        if (s == null) throw new IllegalArgumentException("unknown series id " + seriesId);
        synchronized (s) {
            s.restorePersistedUpTo(timestampMs);
        }
        if (timestampMs > maxDataT) advanceDataTime(timestampMs);
    }

    /**
     * Advances the shard's data time without a sample (a replay skipping records whose group is
     * already flushed calls this with their timestamps), so the late-seal sweep fires at the same
     * points of the log as in the original run. Writer thread only.
     */
    public void observeTimestamp(long timestampMs) {
        if (timestampMs > maxDataT) advanceDataTime(timestampMs);
    }

    /**
     * True if memory holds every sample of the series that storage may hold: created new
     * ({@link #createSeries(int, Labels, boolean)}), nothing evicted, restored as persisted or
     * skipped since. Readers then need not ask storage for it. False for an unknown id. Any thread.
     */
    public boolean holdsEverySample(int seriesId) {
        SeriesState s = state(seriesId);
        return s != null && s.holdsEverySample();
    }

    /**
     * Storage holds samples of the series that memory does not (a replay skipped them as already
     * durable): it no longer {@link #holdsEverySample}. Writer thread only.
     */
    public void markStoredElsewhere(int seriesId) {
        SeriesState s = state(seriesId);
        if (s != null) s.whole = false;
    }

    /** Newest maxT of chunks evicted from memory for this series (older data lives only in storage), or Long.MIN_VALUE. */
    public long evictedUpTo(int seriesId) {
        SeriesState s = state(seriesId);
        return s == null ? Long.MIN_VALUE : s.evictedUpToT;
    }

    /** The series' sealed chunks not yet marked persisted, oldest first. Any thread. */
    public List<SealedChunk> unpersistedChunks(int seriesId) {
        SeriesState s = state(seriesId);
        if (s == null) return List.of();
        List<SealedChunk> out = new ArrayList<>();
        for (SealedChunk c : s.chunks) if (!c.persisted()) out.add(c);
        return out;
    }

    /** All sealed chunks of the series currently in memory, oldest first. Any thread. */
    public List<SealedChunk> chunks(int seriesId) {
        SeriesState s = state(seriesId);
        return s == null ? List.of() : List.of(s.chunks);
    }

    /**
     * The series' unpersisted sealed chunks and its write buffer encoded as chunks (see
     * {@link FlushSnapshot}). The copy is taken under the series' lock, so no sample moving from the
     * buffer into a sealed chunk concurrently can be missed; the encoding happens outside the lock
     * with the caller's writer and scratch (one pair per calling thread). Never seals or mutates.
     * Any thread.
     */
    public FlushSnapshot snapshotForFlush(int seriesId, ChunkWriter encoder, ByteArrayBuilder buffer) {
        SeriesState s = state(seriesId);
        return s == null ? FlushSnapshot.EMPTY : FlushSnapshots.of(s, options, encoder, buffer);
    }

    /**
     * Memory retention: evicts, in every series, the prefix of persisted chunks whose samples are
     * all older than {@code cutoffT} (unpersisted data is never evicted). Returns the bytes freed.
     * Any thread (each series is changed under its own lock; the accounting is atomic).
     */
    public long evictPersistedOlderThan(long cutoffT) {
        long total = 0;
        for (SeriesState s : series) {
            if (s == null) continue;
            long freed;
            synchronized (s) {
                freed = s.evictPersistedPrefix(cutoffT - 1);
            }
            release(freed);
            total += freed;
        }
        if (total > 0) budget.persistEvent();
        return total;
    }

    /**
     * Oldest timestamp of the series held in memory (first sealed chunk, else first buffered sample),
     * or Long.MAX_VALUE when it holds nothing. Older samples, if any, live only in storage. Any thread.
     */
    public long firstInMemoryTimestamp(int seriesId) {
        SeriesState s = state(seriesId);
        if (s == null) return Long.MAX_VALUE;
        synchronized (s) {
            return s.firstTimestamp();
        }
    }

    /** The flush code's hook: the chunk is durable in storage and may be evicted. Any thread. */
    public void markPersisted(int seriesId, SealedChunk chunk) {
        SeriesState s = state(seriesId);
        if (s == null) return;
        for (SealedChunk c : s.chunks) {
            if (c == chunk) {
                if (!c.persisted()) {
                    c.setPersisted();
                    budget.persistEvent();
                }
                return;
            }
        }
    }

    public int seriesCount() {
        return seriesCount;
    }

    /** Highest series id slot + 1 (ids may be sparse after eviction). */
    public int seriesIdLimit() {
        return series.length;
    }

    /**
     * True if the shard is over its memory budget even after evicting everything evictable; the
     * consumer should stop appending until flushes persist chunks. Writer thread only (may evict).
     * Never cuts early: for tools and tests without a log; the consumer calls {@link #needsBackpressure(long)}.
     */
    public boolean needsBackpressure() {
        if (!budget.over()) return false;
        budget.maybeEvict(this);
        return budget.over();
    }

    /**
     * As {@link #needsBackpressure()}, and when the shard is still over its budget with no sealed chunk
     * left to persist (a flush could free nothing: write buffers fill the budget), cuts every write
     * buffer early ({@link #cutEarly}) at {@code appliedOffset}, the offset of the last log record
     * whose samples are all appended. The pause then lasts until a flush persists those chunks and
     * eviction frees them, i.e. until storage is reachable. Cuts at most once per appended sample
     * (a paused shard appends nothing, so it does not cut again while storage is down).
     * Writer thread only.
     */
    public boolean needsBackpressure(long appliedOffset) {
        if (!needsBackpressure()) return false;
        if (counters.appended != appendedAtLastCut && !hasUnpersistedChunks()) {
            appendedAtLastCut = counters.appended;
            cutEarly(appliedOffset);
            budget.maybeEvict(this);
        }
        return budget.over();
    }

    /** {@link ShardCounters#appended} at the last early cut: nothing new to cut until it changes. */
    private long appendedAtLastCut = -1;
    private volatile long earlyCuts;

    private boolean hasUnpersistedChunks() {
        for (SeriesState s : series) {
            if (s == null) continue;
            for (SealedChunk c : s.chunks) if (!c.persisted()) return true;
        }
        return false;
    }

    /**
     * Early cut: seals every series' whole write buffer into chunks (cut by window and count as a
     * flush snapshot cuts it) and starts a new generation of the shard's memory: from now on the
     * buffers hold samples of log records after {@code appliedOffset} only, exactly what a shard
     * restarted from that offset would hold. The out-of-order window stays open: a later sample
     * older than a cut chunk's newest one is still accepted (into the new generation), so chunks of
     * different generations may overlap. Reads merge them; when two hold the same timestamp, the
     * chunk sealed first wins (the first write), as {@link dev.strata.store.MergedSampleIterator}
     * merges every overlapping source. The flush writes each generation under its own writer epoch
     * (ShardFlusher), so two rows of one chunk key never hold different generations; replay after a
     * crash may cut elsewhere, and its rows (another epoch) are merged on read in the same way.
     * Writer thread only.
     */
    public void cutEarly(long appliedOffset) {
        boolean any = false;
        for (SeriesState s : series) {
            if (s == null) continue;
            synchronized (s) {
                any |= s.cutEarly(appliedOffset, options, writer, scratch, usedBytes);
            }
        }
        if (any) earlyCuts++;
    }

    /** Early cuts that sealed something, since start. */
    public long earlyCutCount() {
        return earlyCuts;
    }

    /**
     * Memory held for this shard outside its series (chunks paged in from storage) that the budget
     * also covers. It may only take what leaves the shard under 90% of its budget, so it never causes
     * eviction of series data or back-pressure; and it is given back first when the shard runs short.
     */
    public interface Reclaimable {
        /** Frees about {@code bytes} (calling {@link #unreserve}); returns what was freed. */
        long reclaim(long bytes);
    }

    /** Registers the one {@link Reclaimable} of this shard (replacing an earlier one). */
    public void setReclaimable(Reclaimable r) {
        budget.setReclaimable(r);
    }

    /**
     * Charges {@code bytes} of {@link Reclaimable} memory to the budget if that leaves usage at or
     * under 90% of it; false (and nothing charged) otherwise. Any thread.
     */
    public boolean reserve(long bytes) {
        return budget.reserve(bytes);
    }

    /** Gives back bytes charged by {@link #reserve}. Any thread. */
    public void unreserve(long bytes) {
        release(bytes);
    }

    /** Bytes accounted against the budget. */
    public long usedBytes() {
        return usedBytes.get();
    }

    public long maxDataTimestamp() {
        return maxDataT;
    }

    public long appendedCount() { return counters.appended; }
    public long duplicateCount() { return counters.duplicates; }
    public long conflictCount() { return counters.conflicts; }
    public long tooOldCount() { return counters.tooOld; }
    public long unknownSeriesCount() { return counters.unknownSeries; }
    public long evictedSeriesCount() { return counters.evictedSeries; }
    public long alreadyPersistedCount() { return counters.alreadyPersisted; }

    SeriesState[] seriesArray() {
        return series;
    }

    void release(long bytes) {
        budget.release(bytes);
    }

    void removeIdleSeries(SeriesState s) {
        long bytes;
        synchronized (s) {
            bytes = s.heapBytes();
        }
        SeriesState[] arr = series;
        if (arr[s.id] != s) return;
        arr[s.id] = null;
        series = arr;
        seriesCount--;
        counters.evictedSeries++;
        release(bytes);
    }
}

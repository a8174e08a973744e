package dev.strata.ingest.flush;

import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.MetadataBuffer;
import dev.strata.store.cassandra.MetricMetadataTable;
import dev.strata.store.cassandra.CheckpointTable;
import dev.strata.store.cassandra.ChunkRow;
import dev.strata.store.cassandra.ChunkTable;
import dev.strata.store.cassandra.SeriesKeyTable;
import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.memstore.FlushSnapshot;
import dev.strata.store.memstore.FlushSnapshot.VersionedChunk;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.SealedChunk;
import dev.strata.store.model.Labels;
import dev.strata.store.model.MetricMetadata;
import dev.strata.store.series.SeriesKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Flushes one flush group of one shard to Cassandra and then writes its checkpoint:
 * <ol>
 *   <li>read the consumer's applied offset O (every sample of records <= O is in memory from now on);</li>
 *   <li>for each series of the group, take its unpersisted sealed chunks and its write buffer as
 *       chunks ({@link MemShard#snapshotForFlush}); series whose buffer is unchanged since their last
 *       successful flush and that have no new sealed chunk are skipped (already durable);</li>
 *   <li>write new or changed series keys, then the chunk rows (versioned, last write wins), then
 *       commit the label index (so it is complete up to O, see the recovery), mark the sealed
 *       chunks persisted, write the metric metadata the consumer buffered (every metadata record
 *       <= O included: it is taken after O was read) and write checkpoint(g) = max(O, the group's
 *       checkpoint at start).</li>
 * </ol>
 * Any failure throws before the checkpoint is written: the checkpoint does not advance, nothing in
 * memory is released, and the next attempt writes everything again (idempotent).
 *
 * <p>Series keys are written with {@code lastSampleMs} rounded up to the end of the chunk window of
 * the newest flushed sample, so a series' key is rewritten about once per window rather than at every
 * flush; the rebuilt index may thus think a series lasts up to one window longer than it does
 * (harmless: a query then finds no samples in that range).
 *
 * <p>Threading: one flush thread per shard calls {@link #flush}; not thread safe.
 */
public final class ShardFlusher {
    private final int shard;
    private final FlushConfig config;
    private final MemShard memory;
    private final ShardIndex index;
    private final ChunkTable chunks;
    private final SeriesKeyTable seriesKeys;
    private final CheckpointTable checkpoints;
    private final MetadataBuffer metadata;
    private final MetricMetadataTable metadataTable;
    private final String topicId;
    private final long epochBase;
    private final LongSupplier appliedOffset;
    private final long[] startCheckpoints;
    private final FlushMetrics.Shard metrics;
    private final ChunkWriter encoder = new ChunkWriter();
    private final ByteArrayBuilder scratch = new ByteArrayBuilder(4096);
    private final long[] lastCheckpoint;
    // Wall-clock ms of each group's last checkpoint written by this process (0: none yet); read by the status page.
    private final java.util.concurrent.atomic.AtomicLongArray checkpointWrittenMs;
    private volatile long lastFlushMs;
    /** The lowest of {@link #lastCheckpoint}: every record at or below it is durable in every group. */
    private volatile long flushedThrough;
    // Per series id, what the last successful flush wrote (flush thread only).
    private long[] keyWrittenUntil = new long[0];
    private long[] bufferMaxT = new long[0];
    private int[] bufferCount = new int[0];
    private int committedSeriesLimit = -1;

    /**
     * @param topicId            the Kafka topic id of the log the checkpoints count in
     * @param appliedOffset      the shard consumer's {@code appliedOffset()}
     * @param startCheckpoints   the checkpoints read at start (group -> offset; absent groups have none)
     * @param metadata           the consumer's metadata buffer, written to {@code metadataTable} before each checkpoint
     */
    public ShardFlusher(int shard, FlushConfig config, MemShard memory, ShardIndex index, ChunkTable chunks,
                        SeriesKeyTable seriesKeys, CheckpointTable checkpoints, String topicId, LongSupplier appliedOffset,
                        Map<Integer, Long> startCheckpoints, FlushMetrics.Shard metrics, MetadataBuffer metadata,
                        MetricMetadataTable metadataTable) {
        this.metadata = metadata;
        this.metadataTable = metadataTable;
        this.shard = shard;
        this.config = config;
        this.memory = memory;
        this.index = index;
        this.chunks = chunks;
        this.seriesKeys = seriesKeys;
        this.checkpoints = checkpoints;
        this.topicId = topicId;
        this.epochBase = epochBase(topicId);
        this.appliedOffset = appliedOffset;
        this.metrics = metrics;
        this.startCheckpoints = new long[config.groups()];
        Arrays.fill(this.startCheckpoints, -1);
        startCheckpoints.forEach((g, off) -> {
            if (g >= 0 && g < config.groups()) this.startCheckpoints[g] = off;
        });
        this.lastCheckpoint = this.startCheckpoints.clone();
        this.flushedThrough = lowest(lastCheckpoint);
        this.checkpointWrittenMs = new java.util.concurrent.atomic.AtomicLongArray(config.groups());
    }

    /** What one successful flush of a group wrote. */
    public record Result(int group, long checkpoint, int rows, long bytes, long samples, int seriesKeys) {}

    /** Flushes group {@code g}; throws (checkpoint unchanged) if any write fails or times out. */
    public Result flush(int g) throws IOException, InterruptedException, ExecutionException, TimeoutException {
        long t0 = System.nanoTime();
        long offset = appliedOffset.getAsLong();
        int limit = memory.seriesIdLimit();
        ensureCapacity(limit);
        // rows by writer epoch: one per generation of the shard's memory (see epochOf)
        Map<Long, List<ChunkRow>> rows = new TreeMap<>();
        int rowCount = 0;
        List<SeriesKey> keys = new ArrayList<>();
        List<int[]> touched = new ArrayList<>(); // {id} of series written
        List<FlushSnapshot> snapshots = new ArrayList<>();
        long bytes = 0;
        long samples = 0;
        for (int id = 0; id < limit; id++) {
            Labels labels = memory.labels(id);
            if (labels == null || FlushGroups.groupOf(labels.hash(), config.groups()) != g) continue;
            FlushSnapshot snap = memory.snapshotForFlush(id, encoder, scratch);
            if (snap.isEmpty()) continue;
            if (snap.sealed().isEmpty() && bufferUnchanged(id, snap.buffered())) continue;
            long newest = Long.MIN_VALUE;
            long oldest = Long.MAX_VALUE;
            for (List<VersionedChunk> list : List.of(snap.sealed(), snap.buffered())) {
                for (VersionedChunk vc : list) {
                    SealedChunk c = vc.chunk();
                    rows.computeIfAbsent(epochOf(g, vc.sinceOffset()), e -> new ArrayList<>())
                            .add(new ChunkRow(labels.hash(), c.minT(), c.maxT(), c.count(), ByteBuffer.wrap(c.bytes()), vc.version()));
                    rowCount++;
                    bytes += c.bytes().length;
                    samples += c.count();
                    metrics.samplesPerRow.observe(c.count());
                    newest = Math.max(newest, c.maxT());
                    oldest = Math.min(oldest, c.minT());
                }
            }
            if (newest > keyWrittenUntil[id]) {
                long first = index.firstSampleTime(id);
                if (first == Long.MIN_VALUE || first > oldest) first = oldest;
                long until = memory.options().windowStart(newest) + memory.options().chunkDurationMs() - 1;
                keys.add(new SeriesKey(id, labels, first, Math.max(first, until)));
            }
            touched.add(new int[] {id});
            snapshots.add(snap);
        }
        long timeoutMs = config.writeTimeout().toMillis();
        if (!keys.isEmpty()) seriesKeys.write(shard, keys).get(timeoutMs, TimeUnit.MILLISECONDS);
        List<CompletableFuture<Void>> writes = new ArrayList<>(rows.size());
        rows.forEach((epoch, list) -> writes.add(chunks.write(shard, epoch, list)));
        if (!writes.isEmpty()) CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(timeoutMs, TimeUnit.MILLISECONDS);
        commitIndexIfNeeded(g, offset);
        for (int i = 0; i < touched.size(); i++) {
            int id = touched.get(i)[0];
            FlushSnapshot snap = snapshots.get(i);
            for (VersionedChunk vc : snap.sealed()) memory.markPersisted(id, vc.chunk());
            rememberBuffer(id, snap.buffered());
        }
        for (SeriesKey k : keys) keyWrittenUntil[k.seriesId()] = k.lastSampleMs();
        // Metadata records are in no flush group: every checkpoint waits until those <= offset are durable.
        Map<MetricMetadata, Long> meta = metadata.pending();
        if (!meta.isEmpty()) {
            metadataTable.write(meta).get(timeoutMs, TimeUnit.MILLISECONDS);
            metadata.written(meta);
        }
        long checkpoint = Math.max(offset, startCheckpoints[g]);
        checkpoints.write(shard, g, checkpoint, topicId, config.groups()).get(timeoutMs, TimeUnit.MILLISECONDS);
        lastCheckpoint[g] = checkpoint;
        flushedThrough = lowest(lastCheckpoint);
        long now = System.currentTimeMillis();
        checkpointWrittenMs.set(g, now);
        lastFlushMs = now;
        metrics.checkpoint(g, checkpoint);
        metrics.rows.inc(rowCount);
        metrics.bytes.inc(bytes);
        metrics.samples.inc(samples);
        metrics.duration.observeSince(t0);
        if (!config.memoryRetention().isZero() && memory.maxDataTimestamp() != Long.MIN_VALUE) {
            memory.evictPersistedOlderThan(memory.maxDataTimestamp() - config.memoryRetention().toMillis());
        }
        return new Result(g, checkpoint, rowCount, bytes, samples, keys.size());
    }

    /**
     * The writer epoch of group {@code g}'s rows of a memory generation that holds samples of records
     * after {@code sinceOffset} (-1: the run's first generation), see ChunkTable.write: a run that
     * started from checkpoint c holds group g's samples of records after c, and a generation begun by
     * an early cut at offset o (MemShard.cutEarly) those of records after max(o, c), exactly what a
     * run restarted from that checkpoint would hold. So rows under one epoch always come from the same
     * records and may overwrite each other (versioned); rows of different generations, which may
     * overlap in time, sit side by side and are merged on read.
     */
    private long epochOf(int g, long sinceOffset) {
        return epochBase + Math.max(sinceOffset, startCheckpoints[g]) + 1;
    }

    /**
     * The part of the writer epoch that names the log: offsets of a recreated topic start again at 0, so
     * a run of the new log must not share an epoch (and so chunk keys) with a run of the old one that
     * held other samples. 19 bits of the topic id's hash above bit 43 (offsets below 2^43 keep their own
     * bits); 0 for no topic id.
     */
    static long epochBase(String topicId) {
        return topicId == null ? 0 : ((long) (topicId.hashCode() & 0x7FFFF) + 1) << 43;
    }

    /**
     * The offset through which every flush group's samples are durable (the lowest group checkpoint;
     * -1 while a group has none): a crash replays the log from the next offset. Any thread.
     */
    public long flushedThrough() {
        return flushedThrough;
    }

    private static long lowest(long[] checkpoints) {
        long min = Long.MAX_VALUE;
        for (long c : checkpoints) min = Math.min(min, c);
        return checkpoints.length == 0 ? -1 : min;
    }

    /** The checkpoint last written (or read at start) per group; -1 for none. */
    public long[] checkpoints() {
        return lastCheckpoint.clone();
    }

    public int shard() {
        return shard;
    }

    /** Wall-clock ms of the last successful group flush by this process; 0 before the first. Any thread. */
    public long lastFlushMs() {
        return lastFlushMs;
    }

    /**
     * Wall-clock ms of the oldest among the groups' last checkpoints written by this process: what a
     * restart would replay is at most this old. 0 until every group has flushed once. Any thread.
     */
    public long oldestCheckpointMs() {
        long oldest = Long.MAX_VALUE;
        for (int g = 0; g < checkpointWrittenMs.length(); g++) oldest = Math.min(oldest, checkpointWrittenMs.get(g));
        return oldest == Long.MAX_VALUE ? 0 : oldest;
    }

    /**
     * Commits the label index before a checkpoint when series were added since the last commit, and
     * at least once per rotation (group 0), so the index's committed offset never lags the
     * checkpoints by more than one flush interval. The commit records {@code offset}, which is valid:
     * the index already holds every series of every record at or below it.
     */
    private void commitIndexIfNeeded(int g, long offset) throws IOException {
        int seriesLimit = index.nextSeriesId();
        if (seriesLimit != committedSeriesLimit || g == 0) {
            index.commit(offset);
            committedSeriesLimit = seriesLimit;
        }
    }

    private boolean bufferUnchanged(int id, List<VersionedChunk> buffered) {
        if (buffered.isEmpty()) return bufferCount[id] == 0;
        int count = 0;
        for (VersionedChunk c : buffered) count += c.chunk().count();
        return bufferCount[id] == count && bufferMaxT[id] == buffered.get(buffered.size() - 1).chunk().maxT();
    }

    private void rememberBuffer(int id, List<VersionedChunk> buffered) {
        int count = 0;
        for (VersionedChunk c : buffered) count += c.chunk().count();
        bufferCount[id] = count;
        bufferMaxT[id] = buffered.isEmpty() ? Long.MIN_VALUE : buffered.get(buffered.size() - 1).chunk().maxT();
    }

    private void ensureCapacity(int limit) {
        if (keyWrittenUntil.length >= limit) return;
        int old = keyWrittenUntil.length;
        keyWrittenUntil = Arrays.copyOf(keyWrittenUntil, limit);
        bufferMaxT = Arrays.copyOf(bufferMaxT, limit);
        bufferCount = Arrays.copyOf(bufferCount, limit);
        Arrays.fill(keyWrittenUntil, old, limit, Long.MIN_VALUE);
        Arrays.fill(bufferMaxT, old, limit, Long.MIN_VALUE);
    }
}

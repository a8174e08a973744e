package dev.strata.ingest.consumer;

import dev.strata.ingest.record.CorruptRecordException;
import dev.strata.ingest.record.MetadataRecord;
import dev.strata.ingest.record.ShardRecordReader;
import dev.strata.store.model.Labels;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingestion loop of one shard: reads its partition (explicit {@code assign} + {@code seek}, no
 * group membership, no offset commits: progress is tracked by Strata's checkpoints), decodes shard
 * records, resolves each series (in-memory cache by hash, then the index, else a new series in
 * index and store) and appends samples to the store.
 *
 * <p>Threading: {@link #run()} is the loop and must run on one dedicated thread (see
 * {@link ShardConsumers}); the Kafka consumer, store and index are touched only there.
 * {@link #stop()} may be called from any thread. Hot path: no allocation per sample; per series
 * entry only for series new to this consumer. Entries are applied in record order, but every
 * {@value #READ_AHEAD} entries the next ones are read ahead (their hashes looked up, their cached
 * labels and store buffers touched) so that their cache misses overlap instead of being taken one
 * entry at a time: with the one sample per entry that remote write produces, those misses are
 * most of a replay's cost. The read-ahead has no effect on results.
 *
 * <p>A record is applied whole or not at all: it is first read through once without touching store
 * or index ({@link #validate}: structure, every label set, every hash), and only a record that passes
 * is applied; one that does not is logged with its offset, counted and skipped.
 */
public final class ShardConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardConsumer.class);
    /** Rejection reason for samples of a series the index refused. */
    public static final String INVALID_SERIES = "invalid_series";

    private final ShardConsumerConfig config;
    private final Consumer<byte[], byte[]> consumer;
    private final ShardStore store;
    private final SeriesIndex index;
    private final LongSupplier nanoClock;
    private final TopicPartition tp;
    private final ShardRecordReader reader = new ShardRecordReader();
    private final SeriesIdCache cache = new SeriesIdCache();
    /** Metadata records' entries, until the flusher has them in Cassandra. */
    private final MetadataBuffer metadata = new MetadataBuffer();
    /** Entries warmed per read-ahead pass (see {@link #readAhead}): their data must stay in the CPU cache until used. */
    private static final int READ_AHEAD = 32;
    private final long[] aheadHashes = new long[READ_AHEAD];
    private final int[] aheadIds = new int[READ_AHEAD];
    /**
     * Per entry of the record being applied: the labels {@link #validate} built for an entry the
     * cache did not confirm (null for a confirmed one), so the apply pass does not build them twice.
     */
    private Labels[] validatedLabels = new Labels[64];
    /**
     * Per entry of the record being applied: the series id {@link #validate} found in the cache and
     * confirmed by label comparison, or -1. The apply pass uses it instead of looking the entry up and
     * comparing its labels a second time (the cache only grows, and only this thread changes it).
     */
    private int[] confirmedIds = new int[64];
    private final ShardConsumerStats stats;
    private final ReplayFilter replayFilter;
    private final long replayTarget;
    private long replayStartNanos;
    private long replayStartPosition = -1;
    private long replayStartSamples;
    private long lastProgressLogNanos;
    private volatile boolean stopping;
    /** Where durability stands (see {@link #flushedThrough(LongSupplier)}); nothing is durable without a flusher. */
    private volatile LongSupplier flushedThrough = () -> -1;
    private final RecordTimeline timeline = new RecordTimeline();
    /** Offset of the last record fully applied to store and index; read by the flush (see {@link #appliedOffset()}). */
    private volatile long appliedOffset;

    private long rateWindowStartNanos;
    private long rateWindowStartSamples;
    private long lastEndOffsetsNanos;

    public ShardConsumer(ShardConsumerConfig config, Consumer<byte[], byte[]> consumer, ShardStore store,
                         SeriesIndex index, LongSupplier nanoClock) {
        this(config, consumer, store, index, nanoClock, Replay.NONE);
    }

    /**
     * @param replay what to skip and where the shard becomes ready after a restart (see
     *               {@code dev.strata.ingest.recovery.RecoveryPlan}); {@link Replay#NONE} otherwise
     */
    public ShardConsumer(ShardConsumerConfig config, Consumer<byte[], byte[]> consumer, ShardStore store,
                         SeriesIndex index, LongSupplier nanoClock, Replay replay) {
        this.replayFilter = replay.filter();
        this.replayTarget = replay.targetEndOffset();
        this.appliedOffset = config.startOffset() >= 0 ? config.startOffset() - 1 : -1;
        this.config = config;
        this.consumer = consumer;
        this.store = store;
        this.index = index;
        this.nanoClock = nanoClock;
        this.tp = new TopicPartition(config.topic(), config.shard());
        this.stats = new ShardConsumerStats(config.shard(), config.topic());
    }

    public ShardConsumerStats stats() { return stats; }
    /** The metric metadata this shard's records carried that is not yet durable (drained by the flusher). */
    public MetadataBuffer metadata() { return metadata; }

    /**
     * Tells the consumer the offset through which its shard's samples are durable (the flusher's
     * lowest checkpoint): with it, {@link ShardConsumerStats#oldestUnflushedTimestampMs()} is kept,
     * the Kafka timestamp of the oldest record a crash would have to replay. Set before {@link #run()}.
     */
    public void flushedThrough(LongSupplier offset) {
        this.flushedThrough = offset;
    }

    /**
     * The offset of the last record whose samples are all applied to the store (and its series to
     * the index); {@code startOffset - 1} before the first record. Published with a volatile write
     * after the record is fully applied, so a thread reading it and then reading the store sees at
     * least every sample of every record at or below it. Any thread.
     */
    public long appliedOffset() { return appliedOffset; }
    public int shard() { return config.shard(); }

    /** Asks the loop to end; it returns after the record batch in progress. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        stats.running = true;
        try {
            consumer.assign(List.of(tp));
            if (config.startOffset() >= 0) consumer.seek(tp, config.startOffset());
            else consumer.seekToBeginning(List.of(tp));
            rateWindowStartNanos = nanoClock.getAsLong();
            startReplay();
            lastEndOffsetsNanos = rateWindowStartNanos - config.endOffsetsRefresh().toNanos();
            while (!stopping) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (!stopping) throw e;
        } catch (RuntimeException e) {
            stats.lastError = e.toString();
            LOG.error("shard {} consumer stopped by an unexpected error at offset {}", config.shard(), stats.position, e);
            throw e;
        } finally {
            stats.running = false;
        }
    }

    /** One iteration: back-pressure check, poll, process, refresh gauges. Visible for tests. */
    void pollOnce() {
        boolean pressure = store.needsBackpressure(appliedOffset);
        if (pressure && !stats.paused) {
            consumer.pause(List.of(tp));
            stats.paused = true;
        } else if (!pressure && stats.paused) {
            consumer.resume(List.of(tp));
            stats.paused = false;
            stats.stuck = false;
            stuckSinceNanos = -1;
        }
        if (stats.paused) checkStuck();
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(config.pollTimeout());
        } catch (OffsetOutOfRangeException e) {
            // The consumer runs with auto.offset.reset=none, so this is the only way past a hole.
            outOfRange(e.offsetOutOfRangePartitions().getOrDefault(tp, stats.position));
            return;
        }
        long lastTimestamp = -1;
        for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
            if (lastTimestamp < 0) timeline.add(r.offset(), r.timestamp());
            process(r);
            lastTimestamp = r.timestamp();
        }
        // one volatile write per batch: the lag in seconds is measured from the last record applied
        if (lastTimestamp >= 0) stats.lastRecordTimestampMs = lastTimestamp;
        refreshGauges();
    }

    /** When the shard was first seen paused with nothing left to flush; -1 when it is not. */
    private long stuckSinceNanos = -1;
    /** How long a paused shard may have nothing left to flush before it is reported stuck. */
    private static final long STUCK_AFTER_NANOS = 30_000_000_000L;

    /**
     * Paused for memory while everything applied is durable: no flush can free memory any more. Write
     * buffers are not the cause (a store over its budget with nothing to flush cuts them early into
     * chunks that the flush persists and eviction frees, see MemShard.needsBackpressure(long)), so what
     * fills the budget is what eviction may not drop: the series themselves (labels and per-series
     * state of series not idle long enough). The pause lasts until the node gets a larger budget. Said
     * loudly (log, lastError, {@code stuck} on the status page) instead of stalling in silence; the
     * records wait in Kafka and the retention guard counts their age.
     */
    private void checkStuck() {
        long now = nanoClock.getAsLong();
        if (appliedOffset > flushedThrough.getAsLong()) {
            stuckSinceNanos = -1;
            stats.stuck = false;
            return;
        }
        if (stuckSinceNanos < 0) stuckSinceNanos = now;
        if (stats.stuck || now - stuckSinceNanos < STUCK_AFTER_NANOS) return;
        stats.stuck = true;
        stats.lastError = "paused over the memory budget with everything applied already durable and the write buffers"
                + " cut: the series themselves fill the budget, no flush can free it; raise store.memory-budget-per-shard"
                + " (or the heap), or spread the series over more shards";
        LOG.error("shard {}: INGESTION STALLED at offset {}: {}", config.shard(), stats.position, stats.lastError);
    }

    /**
     * The log no longer holds {@code wanted}. Below the log's start: retention deleted records before
     * they were read; those samples are gone from the log: counted (offsets), logged with the range,
     * and reading goes on from the earliest offset. Beyond the log's end: the log was replaced (topic
     * recreated) while we ran; our checkpoints and skips belong to the old one, so the loop ends with
     * {@link LogReplacedException} and the shard is started again (which plans against the new log).
     */
    private void outOfRange(long wanted) {
        stats.offsetOutOfRange++;
        long earliest = consumer.beginningOffsets(Set.of(tp)).get(tp);
        long end = consumer.endOffsets(Set.of(tp)).get(tp);
        if (wanted > end) {
            stats.lastError = "log replaced: offset " + wanted + " is beyond the log end " + end;
            throw new LogReplacedException("shard " + config.shard() + ": offset " + wanted + " is beyond the end " + end
                    + " of partition " + tp + ": the log was replaced (topic deleted and recreated?)");
        }
        long lost = Math.max(0, earliest - wanted);
        stats.offsetsLost += lost;
        stats.lastError = "offsets " + wanted + " to " + (earliest - 1) + " deleted by Kafka before they were read";
        LOG.error("shard {}: DATA LOSS: Kafka deleted offsets {} to {} of {} before they were read (retention); {} offsets"
                + " of samples are lost; continuing from {}", config.shard(), wanted, earliest - 1, tp, lost, earliest);
        consumer.seek(tp, earliest);
    }

    private void process(ConsumerRecord<byte[], byte[]> r) {
        apply(r.offset(), r.value());
    }

    /**
     * Applies one record of this shard's partition at {@code offset}: the loop's per-record step,
     * public for replay tools and benchmarks. Call only from the thread that owns this consumer.
     */
    public void apply(long offset, byte[] v) {
        if (MetadataRecord.isMetadata(v)) {
            applyMetadata(offset, v);
            return;
        }
        try {
            if (v == null) throw new CorruptRecordException("shard record: null value");
            reader.reset(v, 0, v.length);
            if (reader.shard() != config.shard()) {
                throw new CorruptRecordException("shard record for shard " + reader.shard() + " found in partition " + config.shard());
            }
            int entries = validate();
            reader.rewind();
            long samples = 0;
            int untilReadAhead = 0;
            try {
                for (int entry = 0; ; entry++) {
                    if (untilReadAhead == 0) untilReadAhead = readAhead(offset, entry, entries);
                    if (!reader.nextSeries()) break;
                    untilReadAhead--;
                    int confirmed = confirmedIds[entry];
                    samples += applyEntry(offset, confirmed >= 0 ? confirmed : resolveSeries(validatedLabels[entry]));
                }
            } finally {
                stats.samplesTotal += samples;
                Arrays.fill(validatedLabels, 0, entries, null);
            }
        } catch (CorruptRecordException e) {
            stats.corruptRecords++;
            stats.lastError = "offset " + offset + ": " + e.getMessage();
            LOG.error("shard {}: skipping corrupt record at offset {}: {}", config.shard(), offset, e.getMessage());
        } catch (UncheckedIOException | IllegalStateException e) {
            // The shard's storage failed (index writer: disk full, closed after a tragic error), not the
            // record: end the loop; the supervisor restarts the shard, which replays this record.
            throw e;
        } catch (RuntimeException e) {
            // A failure the validation did not foresee, while applying an already validated record: it
            // must not kill the shard nor be retried forever. The only case in which samples of the
            // record's entries before the failing one stay applied.
            stats.corruptRecords++;
            stats.lastError = "offset " + offset + ": cannot apply: " + e;
            LOG.error("shard {}: skipping record at offset {} that cannot be applied", config.shard(), offset, e);
        }
        stats.recordsTotal++;
        stats.lastOffset = offset;
        stats.position = offset + 1;
        appliedOffset = offset;
    }

    /**
     * Applies a metadata record (version 4): its entries go to {@link #metadata} (replays apply them
     * again: the Cassandra upsert is idempotent). A corrupt one is counted and skipped like any record.
     */
    private void applyMetadata(long offset, byte[] v) {
        try {
            MetadataRecord r = MetadataRecord.decode(v);
            if (r.shard() != config.shard()) {
                throw new CorruptRecordException("metadata record for shard " + r.shard() + " found in partition " + config.shard());
            }
            for (var m : r.entries()) metadata.offer(m, r.receivedMs());
        } catch (CorruptRecordException e) {
            stats.corruptRecords++;
            stats.lastError = "offset " + offset + ": " + e.getMessage();
            LOG.error("shard {}: skipping corrupt record at offset {}: {}", config.shard(), offset, e.getMessage());
        }
        stats.recordsTotal++;
        stats.lastOffset = offset;
        stats.position = offset + 1;
        appliedOffset = offset;
    }

    /**
     * Warms the store buffers of the next {@link #READ_AHEAD} entries from {@code entry} (of {@code entries})
     * in one pass whose cache misses overlap, using the ids {@link #validate} confirmed (its own
     * read-ahead already warmed their cache slots and labels); returns how many entries it covered (at
     * least 1). With one sample per entry, replay is bound by these misses taken one at a time.
     */
    private int readAhead(long offset, int entry, int entries) {
        int n = Math.min(READ_AHEAD, entries - entry);
        if (n <= 0) return 1;
        System.arraycopy(confirmedIds, entry, aheadIds, 0, n);
        boolean unconfirmed = false;
        for (int i = 0; i < n; i++) unconfirmed |= aheadIds[i] < 0;
        if (unconfirmed || replayFilter != ReplayFilter.NONE) {
            int peeked = reader.peekHashes(aheadHashes, n);
            for (int i = 0; i < peeked; i++) {
                // a series this record created earlier on is in the cache by now
                if (aheadIds[i] < 0) aheadIds[i] = cache.get(aheadHashes[i]);
                // entries a replay skips as durable never reach the store's buffers
                if (replayFilter != ReplayFilter.NONE && replayFilter.skip(offset, aheadHashes[i])) aheadIds[i] = -1;
            }
        }
        store.prefetch(aheadIds, n);
        return n;
    }

    /** Appends the reader's current entry's samples to series {@code id} (or rejects/skips them); returns how many were stored. */
    private long applyEntry(long offset, int id) {
        if (id < 0) {
            for (int i = 0; i < reader.sampleCount(); i++) stats.reject(INVALID_SERIES);
            return 0;
        }
        if (replayFilter.skip(offset, reader.seriesHash())) {
            long skipped = 0;
            long maxSkippedTs = Long.MIN_VALUE;
            while (reader.nextSample()) {
                skipped++;
                if (reader.timestamp() > maxSkippedTs) maxSkippedTs = reader.timestamp();
            }
            stats.replaySkippedSamples += skipped;
            store.observeTimestamp(maxSkippedTs);
            store.storedElsewhere(id); // these samples are in storage only
            return 0;
        }
        long samples = 0;
        long maxTs = Long.MIN_VALUE;
        while (reader.nextSample()) {
            long ts = reader.timestamp();
            long st = reader.startTimestamp();
            String rejected = append(id, ts, st);
            if (rejected == ShardStore.UNKNOWN_SERIES) {
                // Evicted while idle (or never created in the store): bring it back, retry once.
                store.createSeries(id, cache.labels(id) != null ? cache.labels(id) : reader.labels());
                rejected = append(id, ts, st);
            }
            if (rejected == null) {
                samples++;
                if (ts > maxTs) maxTs = ts;
            } else {
                stats.reject(rejected);
            }
        }
        if (maxTs != Long.MIN_VALUE && cache.advanceLast(id, maxTs)) index.updateLastSampleTime(id, maxTs);
        return samples;
    }

    /** Appends the reader's current sample, float or native histogram. */
    private String append(int id, long ts, long st) {
        if (reader.histogram() != null) return store.appendHistogram(id, ts, st, reader.histogram());
        return st == 0 ? store.append(id, ts, reader.value()) : store.append(id, ts, st, reader.value());
    }

    /**
     * Reads the whole record (from the reader's first entry) without touching store or index: every
     * entry's structure and samples, and, for each entry the cache does not confirm, its label set
     * (built, checked, its hash compared), remembered in {@link #validatedLabels}; the ids the cache
     * confirmed are remembered in {@link #confirmedIds}. Throws
     * {@link CorruptRecordException} for the first problem; returns the number of entries.
     */
    private int validate() {
        int entries = 0;
        int ahead = 0; // entries of aheadHashes/aheadIds, looked up in one pass whose cache misses overlap
        int next = 0;
        while (true) {
            if (next == ahead) {
                ahead = reader.peekHashes(aheadHashes, READ_AHEAD);
                cache.prefetch(aheadHashes, ahead, aheadIds);
                next = 0;
            }
            if (!reader.nextSeries()) break;
            Labels labels = null;
            long hash = reader.seriesHash();
            // the read-ahead's id if it read this entry's hash (a truncated record may stop it early)
            int id = next < ahead && aheadHashes[next] == hash ? aheadIds[next] : cache.get(hash);
            if (next < ahead) next++;
            Labels cached = id >= 0 ? cache.labels(id) : null;
            int confirmed = id;
            if (cached == null || !reader.labelsEqual(cached)) {
                confirmed = -1;
                labels = reader.labels();
                if (labels.hash() != hash) {
                    throw new CorruptRecordException("shard record: series #" + entries + " hash " + Long.toHexString(hash)
                            + " does not match its labels " + labels);
                }
            }
            if (entries == validatedLabels.length) {
                validatedLabels = Arrays.copyOf(validatedLabels, entries * 2);
                confirmedIds = Arrays.copyOf(confirmedIds, entries * 2);
            }
            confirmedIds[entries] = confirmed;
            validatedLabels[entries++] = labels;
            while (reader.nextSample()) {
                // reads (and so checks) every sample
            }
        }
        return entries;
    }

    /**
     * The series id of the reader's current entry, creating the series in index and store if new;
     * {@code validated} is the entry's label set as {@link #validate} built it, or null if the cache
     * confirmed it then (the cache only grows, so it still does).
     */
    private int resolveSeries(Labels validated) {
        long hash = reader.seriesHash();
        int id = cache.get(hash);
        if (id >= 0) {
            Labels cached = cache.labels(id);
            if (cached != null && reader.labelsEqual(cached)) return id;
        }
        Labels labels = validated != null ? validated : reader.labels();
        id = index.seriesId(labels);
        boolean isNew = id < 0;
        if (isNew) {
            try {
                id = index.addSeries(labels, reader.peekFirstTimestamp());
            } catch (IllegalArgumentException e) {
                // The index refuses it (e.g. a label longer than Lucene can index): drop, count, go on.
                stats.lastError = "series " + labels + " rejected by the index: " + e.getMessage();
                LOG.warn("shard {}: {}", config.shard(), stats.lastError);
                return -1;
            }
            stats.seriesCreated++;
        }
        if (isNew) store.createNewSeries(id, labels); // nothing of it is durable yet
        else if (!store.hasSeries(id)) store.createSeries(id, labels);
        cache.put(hash, id, labels);
        return id;
    }

    private void startReplay() {
        replayStartNanos = rateWindowStartNanos;
        lastProgressLogNanos = replayStartNanos;
        replayStartPosition = config.startOffset() >= 0 ? config.startOffset() : 0;
        replayStartSamples = stats.samplesTotal + stats.replaySkippedSamples;
        stats.replayFrom = replayStartPosition;
        stats.replayTarget = replayTarget;
        if (replayTarget <= replayStartPosition) {
            markReady(0);
        } else {
            LOG.info("shard {}: replaying offsets {} to {} before serving queries", config.shard(), replayStartPosition, replayTarget);
        }
    }

    /** Recovery progress (percent, samples/s, ETA) in stats and, every 5 s, in the log; ready at the target. */
    private void updateReplay(long now) {
        if (stats.ready) return;
        long pos = stats.position;
        long total = replayTarget - replayStartPosition;
        long done = Math.max(0, pos - replayStartPosition);
        double seconds = (now - replayStartNanos) / 1e9;
        long samples = stats.samplesTotal + stats.replaySkippedSamples - replayStartSamples;
        stats.replayPercent = Math.min(100.0, 100.0 * done / total);
        stats.replaySamplesPerSecond = seconds > 0 ? samples / seconds : 0;
        stats.replayEtaSeconds = done > 0 ? (total - done) * seconds / done : -1;
        if (pos >= replayTarget) {
            markReady(seconds);
        } else if (now - lastProgressLogNanos >= 5_000_000_000L) {
            lastProgressLogNanos = now;
            LOG.info("shard {}: replay {}% (offset {} of {}), {} samples/s, ETA {} s", config.shard(),
                    String.format("%.1f", stats.replayPercent), pos, replayTarget,
                    Math.round(stats.replaySamplesPerSecond), Math.round(stats.replayEtaSeconds));
        }
    }

    private void markReady(double seconds) {
        stats.replayPercent = 100.0;
        stats.replayEtaSeconds = 0;
        stats.ready = true;
        if (replayTarget > replayStartPosition) {
            LOG.info("shard {}: replay done, offsets {} to {} in {} s ({} samples applied, {} skipped as durable); ready",
                    config.shard(), replayStartPosition, replayTarget, String.format("%.1f", seconds),
                    stats.samplesTotal, stats.replaySkippedSamples);
        }
    }

    private void refreshGauges() {
        long durable = flushedThrough.getAsLong();
        if (appliedOffset <= durable) {
            stats.oldestUnflushedTimestampMs = -1;
        } else {
            timeline.forgetBefore(durable + 1);
            stats.oldestUnflushedTimestampMs = timeline.timestampAtOrBefore(durable + 1);
        }
        long now = nanoClock.getAsLong();
        if (!stats.ready) updateReplay(now);
        long elapsed = now - rateWindowStartNanos;
        if (elapsed >= 1_000_000_000L) {
            long total = stats.samplesTotal;
            stats.samplesPerSecond = (total - rateWindowStartSamples) * 1e9 / elapsed;
            rateWindowStartSamples = total;
            rateWindowStartNanos = now;
            stats.seriesCount = store.seriesCount();
            stats.memoryUsedBytes = store.memoryUsedBytes();
            stats.memoryBudgetBytes = store.memoryBudgetBytes();
            stats.earlyCuts = store.earlyCuts();
        }
        try {
            stats.position = consumer.position(tp);
        } catch (RuntimeException ignored) {
            // position unknown until the first fetch: keep the last value
        }
        // A paused partition is not fetched, so the client's lag (from its last fetch) stops growing while
        // records pile up: ask the broker for the end offset instead.
        OptionalLong lag = stats.paused ? OptionalLong.empty() : consumer.currentLag(tp);
        if (lag.isPresent()) {
            stats.lag = lag.getAsLong();
            stats.endOffset = stats.position + stats.lag;
        } else if (now - lastEndOffsetsNanos >= config.endOffsetsRefresh().toNanos()) {
            lastEndOffsetsNanos = now;
            Long end = consumer.endOffsets(Set.of(tp)).get(tp);
            if (end != null) {
                stats.endOffset = end;
                stats.lag = Math.max(0, end - stats.position);
            }
        }
    }
}

package dev.strata.index;

import dev.strata.store.model.Labels;
import dev.strata.store.series.SeriesKey;
import dev.strata.store.series.SeriesKeyListing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.roaringbitmap.RoaringBitmap;

/**
 * The label index of one shard: one Lucene index (one document per series) plus in-memory columns
 * (first/last sample time, hash table for exact lookups). Series ids are dense per shard (0, 1, 2, ...)
 * and never reused.
 *
 * <p><b>Threading.</b> Writes ({@link #addSeries}, {@link #seriesId}, {@link #commit}) serialise on an
 * internal lock; {@link #updateLastSampleTime} is lock-free and expects one writer thread per shard
 * (the shard's ingest loop). Reads ({@link #select}, {@link #labels}, label names/values) are thread
 * safe and run concurrently with writes. Lucene documents are written by one background thread per
 * index ({@link BackgroundIndexer}, "strata-index-writer-&lt;shard&gt;"), in id order; commits and
 * reader refreshes run on that thread too, after every series added before them. A failure there
 * is not swallowed: the next {@link #addSeries}, {@link #commit} or {@link #refresh} throws it.
 *
 * <p><b>Selection.</b> {@link #select} runs on in-memory postings (per label: value -> RoaringBitmap
 * of series ids; {@link LabelPostings}), built from Lucene the first time a selection names the label
 * and caught up from the in-memory labels of newer series by later selections. Label names/values
 * under matchers run Lucene queries.
 *
 * <p><b>Visibility.</b> A series is visible to every read that starts after {@link #addSeries}
 * returns (read-your-writes): selections catch their labels' postings up to the newest series; the
 * Lucene reads use the latest Lucene reader and additionally scan, in memory, the labels of series
 * added since that reader was opened. When more than {@link ShardIndexOptions#maxPendingScan()}
 * series are pending, the read refreshes the reader first.
 * Last-sample times are visible to reads immediately (they live in memory).
 *
 * <p><b>Durability.</b> {@link #commit(long)} waits for the background thread to write every series
 * added before it, then makes them durable and records the
 * Kafka offset up to which the index is complete; {@link #open} reports it as {@link #committedOffset()}.
 * Series added after the last commit are lost on a crash and come back when ingest replays the log.
 * A missing or corrupt directory is rebuilt from the store's {@link SeriesKeyListing}.
 */
public final class ShardIndex implements AutoCloseable {
    private final int shard;
    private final Directory dir;
    private final IndexWriter writer;
    private final ShardIndexOptions options;
    private final SeriesTable table;
    private final SeriesHashTable hashes;
    private final LeafSeriesIds leafIds;
    private final InMemoryPostings postings;
    private final BackgroundIndexer indexer;
    /** Used on the indexer thread only. */
    private final SeriesDocuments indexerDocs = new SeriesDocuments();
    private final Object writeLock = new Object();
    private final boolean rebuilt;
    /** Replaced only on the indexer thread (refresh task); read anywhere. */
    private volatile ReaderSnapshot snapshot;
    private volatile boolean closed;
    /** Next id to allocate; guarded by writeLock. */
    private int nextId;
    private volatile long committedOffset;
    /** Written only on the indexer thread (commit task). */
    private long timesGeneration;

    ShardIndex(int shard, Directory dir, IndexWriter writer, ShardIndexOptions options, SeriesTable table,
               SeriesHashTable hashes, LeafSeriesIds leafIds, DirectoryReader reader, int nextId,
               long committedOffset, long timesGeneration, boolean rebuilt) {
        this.shard = shard;
        this.dir = dir;
        this.writer = writer;
        this.options = options;
        this.table = table;
        this.hashes = hashes;
        this.leafIds = leafIds;
        this.postings = new InMemoryPostings(table, leafIds, this::acquire);
        this.snapshot = new ReaderSnapshot(reader, nextId);
        this.nextId = nextId;
        this.committedOffset = committedOffset;
        this.timesGeneration = timesGeneration;
        this.rebuilt = rebuilt;
        this.indexer = new BackgroundIndexer(shard, options.indexBatchSize(), options.maxQueuedBatches(), this::indexBatch);
        table.publish(nextId);
    }

    /** Opens the index of {@code shard} in {@code dir}, or builds it from {@code rebuildSource}. */
    public static ShardIndex open(Path dir, int shard, SeriesKeyListing rebuildSource) throws IOException {
        return open(dir, shard, rebuildSource, ShardIndexOptions.defaults());
    }

    public static ShardIndex open(Path path, int shard, SeriesKeyListing rebuildSource, ShardIndexOptions options)
            throws IOException {
        Files.createDirectories(path);
        Directory dir = FSDirectory.open(path);
        try {
            return ShardIndexLoader.openOrRebuild(dir, shard, rebuildSource, options);
        } catch (IOException | RuntimeException | Error e) {
            dir.close();
            throw e;
        }
    }

    /** An empty index held in memory (tests, the PromQL test runner). {@link #commit} works in memory. */
    public static ShardIndex inMemory(int shard) {
        return inMemory(shard, ShardIndexOptions.defaults());
    }

    public static ShardIndex inMemory(int shard, ShardIndexOptions options) {
        try {
            return ShardIndexLoader.create(new ByteBuffersDirectory(), shard, options);
        } catch (IOException e) {
            throw new UncheckedIOException("creating an in-memory index", e);
        }
    }

    public int shard() {
        return shard;
    }

    /** The Kafka offset recorded by the last commit, -1 if none (new or rebuilt index). */
    public long committedOffset() {
        return committedOffset;
    }

    /** True if {@link #open} had to rebuild the index from the series-key listing. */
    public boolean rebuiltFromListing() {
        return rebuilt;
    }

    /** Number of series in the index. */
    public int seriesCount() {
        synchronized (writeLock) {
            return table.count();
        }
    }

    /** The id the next new series will get (max id + 1). */
    public int nextSeriesId() {
        synchronized (writeLock) {
            return nextId;
        }
    }

    /** The id of the series with exactly these labels, or -1. */
    public int seriesId(Labels labels) {
        synchronized (writeLock) {
            ensureOpen();
            return lookup(labels, labels.hash(), null);
        }
    }

    /**
     * Returns the id of the series with these labels, adding it (with the next dense id) if new.
     *
     * <p>A new series is recorded in memory (id, hash table, labels, times) and is visible to every
     * read that starts after this returns; its Lucene document is written later by the shard's
     * background indexer thread, in id order ({@link #commit} waits for it). Blocks while the indexer
     * is {@link ShardIndexOptions#maxQueuedBatches()} batches behind.
     *
     * @throws IllegalArgumentException if a label name or value is longer than Lucene can index (32766 UTF-8 bytes)
     * @throws UncheckedIOException     if background indexing failed with an I/O error (the index must be reopened)
     * @throws IllegalStateException    if background indexing failed otherwise
     */
    public int addSeries(Labels labels, long firstSampleMs) {
        if (firstSampleMs == SeriesTable.ABSENT) {
            throw new IllegalArgumentException("firstSampleMs " + firstSampleMs + " is not a valid timestamp for " + labels);
        }
        byte[] encoded = LabelsCodec.encode(labels);
        long hash = labels.hash();
        long check = LabelsCodec.checkHash(encoded);
        synchronized (writeLock) {
            ensureOpen();
            int existing = lookup(labels, hash, encoded);
            if (existing >= 0) return existing;
            int id = nextId;
            insert(id, labels, encoded, hash, check, firstSampleMs, firstSampleMs);
            return id;
        }
    }

    /**
     * Rebuild path, step 1: records a series under its recorded id in the in-memory columns and
     * returns its Lucene document, which the caller must pass to {@link #indexRestored} (from any
     * thread) before committing. Null (and nothing recorded) if the id or the labels already exist.
     * Only for an index no reader has seen yet: the ids are published before their documents exist.
     */
    Document prepareRestore(SeriesKey key) {
        byte[] encoded = LabelsCodec.encode(key.labels());
        long hash = key.labels().hash();
        long check = LabelsCodec.checkHash(encoded);
        synchronized (writeLock) {
            if (table.stored(key.seriesId())) return null;
            if (lookup(key.labels(), hash, encoded) >= 0) return null;
            table.set(key.seriesId(), key.labels(), key.firstSampleMs(), key.lastSampleMs(), check);
            hashes.add(hash, key.seriesId());
            nextId = Math.max(nextId, key.seriesId() + 1);
            table.publish(nextId);
        }
        return SeriesDocuments.standalone(key.seriesId(), key.labels(), encoded, hash, check, key.firstSampleMs());
    }

    /** Rebuild path, step 2: indexes a document from {@link #prepareRestore}; thread safe (Lucene is). */
    void indexRestored(Document doc) throws IOException {
        writer.addDocument(doc);
    }

    /** Caller holds writeLock: records a new series in memory, publishes it, then queues its document. */
    private void insert(int id, Labels labels, byte[] encoded, long hash, long check, long firstMs, long lastMs) {
        indexer.checkHealthy();
        table.set(id, labels, firstMs, lastMs, check);
        hashes.add(hash, id);
        nextId = Math.max(nextId, id + 1);
        table.publish(nextId);
        indexer.add(id, encoded, hash, check, firstMs);
    }

    /**
     * Indexer thread: adds a batch's documents in id order (labels are cached for every new series),
     * in one addDocuments call (one hand-over into Lucene's per-thread buffer per batch). Lucene
     * consumes each document before asking for the next, so one reused document serves them all.
     */
    private void indexBatch(SeriesBatch batch) throws IOException {
        writer.addDocuments(indexerDocs.of(batch, table::cachedLabels));
    }


    /** Caller holds writeLock. {@code encoded} may be null (computed only if a candidate needs it). */
    private int lookup(Labels labels, long hash, byte[] encoded) {
        int id = hashes.first(hash);
        if (id < 0) return -1;
        if (same(id, labels, encoded)) return id;
        for (int other : hashes.others(hash)) {
            if (same(other, labels, encoded)) return other;
        }
        return -1;
    }

    /**
     * Whether series {@code id} has exactly {@code labels}: by label equality when its labels are in
     * memory, else by the 64-bit check hash (with the equal 64-bit series hash: 128 bits), so that the
     * first lookups after a reopen don't read stored labels from disk.
     */
    private boolean same(int id, Labels labels, byte[] encoded) {
        Labels cached = table.cachedLabels(id);
        if (cached != null) return cached.equals(labels);
        byte[] enc = encoded;
        if (enc == null) {
            try {
                enc = LabelsCodec.encode(labels);
            } catch (IllegalArgumentException tooLong) {
                return false;
            }
        }
        return table.check(id) == LabelsCodec.checkHash(enc);
    }

    /** Raises the last sample time of a series (never lowers it). Lock-free; made durable by {@link #commit}. */
    public void updateLastSampleTime(int seriesId, long lastSampleMs) {
        if (!table.present(seriesId)) {
            throw new IllegalArgumentException("unknown series id " + seriesId + " in shard " + shard);
        }
        table.raiseLast(seriesId, lastSampleMs);
    }

    public long firstSampleTime(int seriesId) {
        return table.present(seriesId) ? table.first(seriesId) : SeriesTable.ABSENT;
    }

    public long lastSampleTime(int seriesId) {
        return table.present(seriesId) ? table.last(seriesId) : SeriesTable.ABSENT;
    }

    /** The labels of a series, or null if unknown. Series loaded from disk read their labels once, lazily. */
    public Labels labels(int seriesId) {
        if (!table.present(seriesId)) return null;
        Labels l = table.cachedLabels(seriesId);
        if (l != null) return l;
        ReaderSnapshot s = acquire();
        try {
            return labelsIn(s, seriesId);
        } finally {
            s.release();
        }
    }

    private Labels labelsIn(ReaderSnapshot s, int seriesId) {
        Labels l = table.cachedLabels(seriesId);
        if (l != null) return l;
        try {
            Document d = null;
            for (org.apache.lucene.index.LeafReaderContext ctx : s.reader.leaves()) {
                int doc = leafIds.segment(ctx.reader()).docOf(seriesId);
                if (doc >= 0) {
                    d = ctx.reader().storedFields().document(doc, Set.of(IndexFields.LABELS));
                    break;
                }
            }
            if (d == null) {
                throw new IllegalStateException("series " + seriesId + " of shard " + shard + " is in memory but not in the index");
            }
            BytesRef b = d.getBinaryValue(IndexFields.LABELS);
            l = LabelsCodec.decode(b.bytes, b.offset, b.length, seriesId);
        } catch (IOException e) {
            throw new UncheckedIOException("reading labels of series " + seriesId + " of shard " + shard, e);
        }
        table.cacheLabels(seriesId, l);
        return l;
    }

    /**
     * Ids of the series matching all {@code matchers} (Prometheus semantics; an empty list matches
     * every series) that are active in [startMs, endMs]: first sample <= endMs and last sample >= startMs.
     * Pass Long.MIN_VALUE/Long.MAX_VALUE for no time filter.
     */
    public RoaringBitmap select(List<Matcher> matchers, long startMs, long endMs) {
        ensureOpen();
        int limit = table.limit();
        try {
            RoaringBitmap ids = PostingsSelect.select(postings, matchers, limit, table.count() != limit, table::present);
            return active(ids, startMs, endMs);
        } catch (IOException e) {
            throw new UncheckedIOException("selecting " + matchers + " in shard " + shard, e);
        }
    }

    /**
     * Estimated heap bytes of the in-memory postings built so far (labels that selections named).
     * For capacity planning and benchmarks.
     */
    public long inMemoryPostingsBytes() {
        return postings.estimatedBytes();
    }

    /** Labels whose in-memory postings are kept (only labels that series have). */
    int inMemoryPostingsLabels() {
        return postings.labelCount();
    }

    private RoaringBitmap active(RoaringBitmap ids, long startMs, long endMs) {
        if (startMs == Long.MIN_VALUE && endMs == Long.MAX_VALUE) return ids;
        RoaringBitmap out = new RoaringBitmap();
        if (startMs > endMs) return out;
        ids.forEach((org.roaringbitmap.IntConsumer) id -> {
            if (table.first(id) <= endMs && table.last(id) >= startMs) out.add(id);
        });
        return out;
    }

    /** Label names of the matching, active series (empty matchers: all series), sorted; unmodifiable. */
    public List<String> labelNames(List<Matcher> matchers, long startMs, long endMs) {
        List<String> all = allLabelNames();
        if (matchers.isEmpty() && startMs == Long.MIN_VALUE && endMs == Long.MAX_VALUE) return all;
        RoaringBitmap ids = select(matchers, startMs, endMs);
        if (ids.isEmpty()) return List.of();
        int limit = table.limit();
        List<String> out = new ArrayList<>();
        try {
            for (String name : all) {
                LabelPostings lp = postings.covering(name, limit);
                lp.readLock().lock();
                try {
                    if (RoaringBitmap.intersects(lp.exists(), ids)) out.add(name);
                } finally {
                    lp.readLock().unlock();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading label names of shard " + shard, e);
        }
        return List.copyOf(out);
    }

    /** Every label name of the shard: the reader's plus those of series added since it opened. */
    private List<String> allLabelNames() {
        ReaderSnapshot s = acquire();
        try {
            int limit = table.limit();
            if (s.covered == limit) return s.labelNames();
            TreeSet<String> out = new TreeSet<>(s.labelNames());
            for (int id = s.covered; id < limit; id++) {
                if (table.present(id)) table.cachedLabels(id).forEach((n, v) -> out.add(n));
            }
            return List.copyOf(out);
        } finally {
            s.release();
        }
    }

    /** Values of label {@code name} among the matching, active series (empty matchers: all series), sorted; unmodifiable. */
    public List<String> labelValues(String name, List<Matcher> matchers, long startMs, long endMs) {
        boolean everything = matchers.isEmpty() && startMs == Long.MIN_VALUE && endMs == Long.MAX_VALUE;
        RoaringBitmap ids = everything ? null : select(matchers, startMs, endMs);
        if (ids != null && ids.isEmpty()) return List.of();
        try {
            if (everything) {
                ReaderSnapshot s = acquire();
                try {
                    // Cached per reader: no postings needed for the common "all values" case.
                    if (s.covered == table.limit()) return s.allTerms(IndexFields.labelField(name));
                } finally {
                    s.release();
                }
            }
            LabelPostings lp = postings.covering(name, table.limit());
            List<String> out = new ArrayList<>();
            lp.readLock().lock();
            try {
                for (Map.Entry<String, RoaringBitmap> e : lp.all().entrySet()) {
                    if (ids == null || RoaringBitmap.intersects(e.getValue(), ids)) out.add(e.getKey());
                }
            } finally {
                lp.readLock().unlock();
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("reading values of " + name + " in shard " + shard, e);
        }
    }

    /** The {@code n} values of label {@code name} carried by the most series, most first (ties by value). */
    public List<ValueCount> topValues(String name, int n) {
        if (n <= 0) return List.of();
        ReaderSnapshot s = acquire();
        try {
            Map<String, Long> pending = new HashMap<>();
            int limit = table.limit();
            for (int id = s.covered; id < limit; id++) {
                if (!table.present(id)) continue;
                String v = table.cachedLabels(id).get(name);
                if (!v.isEmpty()) pending.merge(v, 1L, Long::sum);
            }
            return LabelTerms.top(s.reader, IndexFields.labelField(name), n, pending);
        } catch (IOException e) {
            throw new UncheckedIOException("counting values of " + name + " in shard " + shard, e);
        } finally {
            s.release();
        }
    }

    /**
     * Every label name of the shard with each of its values and the number of series carrying it
     * (name -> values in value order), for cardinality statistics ({@code /api/v1/status/tsdb}).
     * Reads the terms dictionary (document frequencies) plus the series added since the reader opened.
     */
    public Map<String, List<ValueCount>> valueCounts() {
        ReaderSnapshot s = acquire();
        try {
            int limit = table.limit();
            Map<String, Map<String, Long>> pending = new HashMap<>();
            for (int id = s.covered; id < limit; id++) {
                if (!table.present(id)) continue;
                table.cachedLabels(id).forEach((n, v) -> pending.computeIfAbsent(n, k -> new HashMap<>()).merge(v, 1L, Long::sum));
            }
            TreeSet<String> names = new TreeSet<>(s.labelNames());
            names.addAll(pending.keySet());
            Map<String, List<ValueCount>> out = new java.util.LinkedHashMap<>();
            for (String name : names) {
                List<ValueCount> values = LabelTerms.all(s.reader, IndexFields.labelField(name),
                        pending.getOrDefault(name, new HashMap<>()));
                if (!values.isEmpty()) out.put(name, values);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("counting label values of shard " + shard, e);
        } finally {
            s.release();
        }
    }

    /**
     * Makes every series added before this call and every last-sample time durable, recording
     * {@code kafkaOffset} (the offset up to which the index is complete) as commit user data. Returns
     * once the commit is on disk: it runs on the indexer thread after the documents of every series
     * added before the call. Writers are not blocked meanwhile; series they add go into a later commit.
     *
     * @throws IOException if the commit or an earlier background indexing step failed
     */
    public void commit(long kafkaOffset) throws IOException {
        CompletableFuture<Void> done;
        synchronized (writeLock) {
            ensureOpen();
            int limit = nextId;
            done = afterQueued(() -> {
                commitIndexed(kafkaOffset, limit);
                return null;
            });
        }
        await(done, "committing the label index of shard " + shard + " at offset " + kafkaOffset);
    }

    /** Indexer thread: every series with id below {@code limit} is in the writer, none above. */
    private void commitIndexed(long kafkaOffset, int limit) throws IOException {
        long generation = timesGeneration + 1;
        String timesFile = LastSampleTimesFile.name(generation);
        LastSampleTimesFile.write(dir, timesFile, shard, limit,
                id -> table.present(id) ? table.last(id) : SeriesTable.ABSENT);
        writer.setLiveCommitData(CommitData.of(shard, kafkaOffset, limit, timesFile).entrySet());
        writer.commit();
        timesGeneration = generation;
        committedOffset = kafkaOffset;
        ShardIndexLoader.deleteStaleTimesFiles(dir, timesFile);
    }

    /**
     * Opens a new Lucene reader covering every series added before this call (reads do this on
     * their own when needed); returns once it is in place, after the indexer wrote those series.
     */
    public void refresh() throws IOException {
        CompletableFuture<Void> done;
        synchronized (writeLock) {
            ensureOpen();
            int limit = nextId;
            if (snapshot.covered == limit) return;
            done = afterQueued(() -> {
                ReaderSnapshot current = snapshot;
                if (current.covered >= limit) return null;
                DirectoryReader next = DirectoryReader.openIfChanged(current.reader, writer);
                if (next != null) {
                    snapshot = new ReaderSnapshot(next, limit);
                    current.release();
                }
                return null;
            });
        }
        await(done, "refreshing the reader of shard " + shard);
    }

    /** Caller holds writeLock. A background I/O failure surfaces as IOException. */
    private <T> CompletableFuture<T> afterQueued(BackgroundIndexer.Task<T> task) throws IOException {
        try {
            return indexer.afterQueued(task);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Waits for an indexer task; rethrows its failure (I/O errors as IOException). Call without writeLock. */
    private static void await(CompletableFuture<?> done, String what) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the task runs regardless; its outcome is what the caller needs
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) throw new IOException(what + " failed", io);
                    if (c instanceof UncheckedIOException u) throw new IOException(what + " failed", u.getCause());
                    if (c instanceof RuntimeException r) throw r;
                    if (c instanceof Error err) throw err;
                    throw new IllegalStateException(what + " failed", c);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private ReaderSnapshot acquire() {
        if (table.limit() - snapshot.covered > options.maxPendingScan()) {
            try {
                refresh();
            } catch (IOException e) {
                throw new UncheckedIOException("refreshing the reader of shard " + shard, e);
            }
        }
        while (true) {
            ensureOpen();
            ReaderSnapshot s = snapshot;
            if (s.tryAcquire()) return s;
        }
    }

    private void ensureOpen() {
        if (closed) throw new AlreadyClosedException("label index of shard " + shard + " is closed");
    }

    /**
     * Closes without committing: series added since the last commit are dropped (replay restores
     * them). First stops the indexer thread (it finishes the batch in hand and skips queued ones,
     * which the rollback would discard), so nothing touches the writer afterwards.
     */
    @Override
    public void close() throws IOException {
        synchronized (writeLock) {
            if (closed) return;
            closed = true;
        }
        indexer.close();
        try {
            snapshot.release();
            writer.rollback();
        } finally {
            dir.close();
        }
    }

    @Override
    public String toString() {
        return "ShardIndex{shard=" + shard + ", dir=" + dir + ", series=" + table.count() + "}";
    }
}

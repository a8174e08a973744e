package dev.strata.index;

import dev.strata.store.concurrent.NamedThreads;
import dev.strata.store.series.SeriesKeyListing;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a shard's label index: load a committed index (Lucene segments + last-sample times), or,
 * when the directory holds no index or a corrupt one, rebuild it from the series-key listing.
 */
final class ShardIndexLoader {
    private static final Logger log = LoggerFactory.getLogger(ShardIndexLoader.class);
    private static final String WRITE_LOCK = IndexWriter.WRITE_LOCK_NAME;
    private static final int PROGRESS_EVERY = 100_000;
    private static final int REBUILD_BATCH = 2048;

    private ShardIndexLoader() {}

    static ShardIndex openOrRebuild(Directory dir, int shard, SeriesKeyListing listing, ShardIndexOptions options)
            throws IOException {
        try {
            return load(dir, shard, options);
        } catch (IndexNotFoundException e) {
            log.info("shard {}: no label index in {}, building it from the series-key listing", shard, dir);
        } catch (CorruptIndexException | IndexFormatTooNewException | IndexFormatTooOldException
                 | NoSuchFileException | FileNotFoundException | EOFException e) {
            log.warn("shard {}: label index in {} is unusable ({}), rebuilding it from the series-key listing",
                    shard, dir, e.toString());
        }
        return rebuild(dir, shard, listing, options);
    }

    /** An empty index in {@code dir} (which must not hold one). */
    static ShardIndex create(Directory dir, int shard, ShardIndexOptions options) throws IOException {
        IndexWriter writer = new IndexWriter(dir, config(options, IndexWriterConfig.OpenMode.CREATE));
        return new ShardIndex(shard, dir, writer, options, new SeriesTable(), new SeriesHashTable(1024),
                new LeafSeriesIds(), DirectoryReader.open(writer), 0, -1, 0, false);
    }

    static IndexWriterConfig config(ShardIndexOptions options, IndexWriterConfig.OpenMode mode) {
        // All fields are untokenized keywords, so the default analyzer is never used.
        IndexWriterConfig c = new IndexWriterConfig();
        c.setOpenMode(mode);
        c.setRAMBufferSizeMB(options.ramBufferMb());
        c.setCommitOnClose(false);
        // Bulk indexing: no compound files (flushes and merges skip the extra copy into .cfs; a
        // shard's index has few segments, so the file count stays small).
        c.setUseCompoundFile(false);
        c.getMergePolicy().setNoCFSRatio(0);
        return c;
    }

    private static ShardIndex load(Directory dir, int shard, ShardIndexOptions options) throws IOException {
        long t0 = System.nanoTime();
        SegmentInfos infos = SegmentInfos.readLatestCommit(dir);
        CommitData commit = CommitData.parse(infos.getUserData(), infos.getSegmentsFileName());
        if (commit.shard() != shard) {
            throw new IllegalStateException("label index in " + dir + " belongs to shard " + commit.shard()
                    + ", not " + shard + ": refusing to open or overwrite it");
        }
        IndexWriter writer = new IndexWriter(dir, config(options, IndexWriterConfig.OpenMode.APPEND));
        DirectoryReader reader = null;
        try {
            reader = DirectoryReader.open(writer);
            SeriesTable table = new SeriesTable();
            SeriesHashTable hashes = new SeriesHashTable(reader.numDocs());
            LeafSeriesIds leafIds = new LeafSeriesIds();
            int nextId = commit.nextSeriesId();
            for (LeafReaderContext ctx : reader.leaves()) {
                if (options.verifyChecksumsOnOpen()) ctx.reader().checkIntegrity();
                nextId = Math.max(nextId, loadLeaf(ctx.reader(), table, hashes, leafIds));
            }
            table.publish(nextId);
            loadLastSampleTimes(dir, shard, commit, table, nextId);
            deleteStaleTimesFiles(dir, commit.lastSampleTimesFile());
            ShardIndex index = new ShardIndex(shard, dir, writer, options, table, hashes, leafIds, reader, nextId,
                    commit.kafkaOffset(), generationOf(commit.lastSampleTimesFile()), false);
            log.info("shard {}: opened label index with {} series, committed Kafka offset {}, in {} ms",
                    shard, table.count(), commit.kafkaOffset(), (System.nanoTime() - t0) / 1_000_000);
            return index;
        } catch (IOException | RuntimeException | Error e) {
            if (reader != null) reader.close();
            writer.rollback();
            throw e;
        }
    }

    /** Loads one segment's columns; returns max series id + 1 seen. */
    private static int loadLeaf(LeafReader leaf, SeriesTable table, SeriesHashTable hashes, LeafSeriesIds leafIds)
            throws IOException {
        NumericDocValues ids = DocValues.getNumeric(leaf, IndexFields.ID);
        NumericDocValues hash = DocValues.getNumeric(leaf, IndexFields.HASH);
        NumericDocValues check = DocValues.getNumeric(leaf, IndexFields.CHECK);
        NumericDocValues first = DocValues.getNumeric(leaf, IndexFields.FIRST);
        Bits live = leaf.getLiveDocs();
        int[] docToId = new int[leaf.maxDoc()];
        int maxNext = 0;
        for (int d = 0; d < leaf.maxDoc(); d++) {
            if (live != null && !live.get(d)) continue;
            if (!ids.advanceExact(d) || !hash.advanceExact(d) || !check.advanceExact(d) || !first.advanceExact(d)) {
                throw new CorruptIndexException("document " + d + " lacks series columns", leaf.toString());
            }
            long id = ids.longValue();
            if (id < 0 || id > Integer.MAX_VALUE - 1) {
                throw new CorruptIndexException("document " + d + " has series id " + id, leaf.toString());
            }
            int sid = (int) id;
            if (table.stored(sid)) {
                throw new CorruptIndexException("series id " + sid + " appears twice", leaf.toString());
            }
            docToId[d] = sid;
            table.set(sid, null, first.longValue(), first.longValue(), check.longValue());
            hashes.add(hash.longValue(), sid);
            maxNext = Math.max(maxNext, sid + 1);
        }
        leafIds.put(leaf, docToId);
        return maxNext;
    }

    private static void loadLastSampleTimes(Directory dir, int shard, CommitData commit, SeriesTable table, int limit)
            throws IOException {
        long[] last;
        try {
            last = LastSampleTimesFile.read(dir, commit.lastSampleTimesFile(), shard);
        } catch (CorruptIndexException | NoSuchFileException | FileNotFoundException | EOFException e) {
            // The times only narrow time-range selections; without them every series counts as active
            // (correct, less selective) until ingest raises them again.
            log.warn("shard {}: last-sample times unusable ({}); treating every series as active until updated",
                    shard, e.toString());
            last = new long[0];
        }
        for (int id = 0; id < limit; id++) {
            if (!table.present(id)) continue;
            long t = id < last.length && last[id] != SeriesTable.ABSENT ? last[id] : Long.MAX_VALUE;
            table.setLast(id, Math.max(t, table.first(id)));
        }
    }

    /** Deletes last-sample-time files other than {@code keep} (older commits, failed commits). */
    static void deleteStaleTimesFiles(Directory dir, String keep) throws IOException {
        for (String f : dir.listAll()) {
            if (f.startsWith(LastSampleTimesFile.PREFIX) && !f.equals(keep)) dir.deleteFile(f);
        }
    }

    private static long generationOf(String timesFile) throws CorruptIndexException {
        try {
            return Long.parseLong(timesFile.substring(LastSampleTimesFile.PREFIX.length()));
        } catch (RuntimeException e) {
            throw new CorruptIndexException("commit names last-sample times file \"" + timesFile + "\"", timesFile, e);
        }
    }

    /**
     * Wipes {@code dir} and indexes every series of the listing under its recorded id, then commits.
     * The listing is read on the calling thread in batches; Lucene documents are added by
     * {@link ShardIndexOptions#rebuildThreads()} named threads (IndexWriter indexes concurrently).
     */
    static ShardIndex rebuild(Directory dir, int shard, SeriesKeyListing listing, ShardIndexOptions options)
            throws IOException {
        for (String f : dir.listAll()) {
            if (!f.equals(WRITE_LOCK)) dir.deleteFile(f);
        }
        IndexWriter writer = new IndexWriter(dir, config(options, IndexWriterConfig.OpenMode.CREATE));
        ShardIndex index = new ShardIndex(shard, dir, writer, options, new SeriesTable(), new SeriesHashTable(1024),
                new LeafSeriesIds(), DirectoryReader.open(writer), 0, -1, 0, true);
        ExecutorService pool = NamedThreads.fixedPool(options.rebuildThreads(), "strata-index-rebuild-" + shard);
        // Bounds the documents held in memory: at most 2 batches per thread in flight.
        Semaphore inFlight = new Semaphore(2 * options.rebuildThreads());
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            long[] counts = new long[2]; // added, skipped
            List<Document> batch = new ArrayList<>(REBUILD_BATCH);
            try {
                listing.forEach(shard, key -> {
                    Document doc = index.prepareRestore(key);
                    if (doc == null) {
                        counts[1]++;
                    } else {
                        counts[0]++;
                        batch.add(doc);
                        if (batch.size() == REBUILD_BATCH) {
                            batches.add(submit(pool, inFlight, index, new ArrayList<>(batch)));
                            batch.clear();
                        }
                    }
                    if ((counts[0] + counts[1]) % PROGRESS_EVERY == 0) logProgress(shard, counts, t0, false);
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (!batch.isEmpty()) batches.add(submit(pool, inFlight, index, batch));
            CompletableFuture.allOf(batches.toArray(new CompletableFuture<?>[0])).join();
            index.commit(-1);
            index.refresh();
            logProgress(shard, counts, t0, true);
            return index;
        } catch (CompletionException e) {
            index.close();
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            if (cause instanceof IOException io) throw io;
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            index.close();
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    private static CompletableFuture<Void> submit(ExecutorService pool, Semaphore inFlight, ShardIndex index,
                                                  List<Document> docs) {
        inFlight.acquireUninterruptibly();
        return CompletableFuture.runAsync(() -> {
            try {
                for (Document d : docs) index.indexRestored(d);
            } catch (IOException e) {
                throw new UncheckedIOException("indexing rebuilt series", e);
            } finally {
                inFlight.release();
            }
        }, pool);
    }

    private static void logProgress(int shard, long[] counts, long t0, boolean done) {
        double secs = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        log.info("shard {}: {} label index from listing: {} series indexed, {} duplicates skipped, {} s, {} series/s",
                shard, done ? "rebuilt" : "rebuilding", counts[0], counts[1], String.format("%.1f", secs),
                Math.round(counts[0] / secs));
    }
}

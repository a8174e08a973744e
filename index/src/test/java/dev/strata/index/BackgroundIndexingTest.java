package dev.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.Labels;
import dev.strata.store.series.SeriesKeyListing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * The contracts of writing Lucene documents on the background indexer thread: a series is readable
 * as soon as addSeries returns, commit writes every series added before it, a background failure
 * surfaces on the caller's next write, reads stay correct while the indexer lags, and a crash
 * between commits loses nothing that replay does not restore. Rerun a failure with -Dseed=N.
 */
class BackgroundIndexingTest {
    private static final long ALL_START = Long.MIN_VALUE, ALL_END = Long.MAX_VALUE;
    private final long seed = Long.getLong("seed", System.nanoTime());

    @TempDir
    Path tmp;

    private static Labels series(int i) {
        return Labels.of("__name__", "m" + (i % 7), "instance", "host-" + i, "job", i % 2 == 0 ? "even" : "odd");
    }

    @Test
    void seriesIsReadableAsSoonAsAddSeriesReturns() throws IOException {
        // Batches of 1000: the 300 series below never reach the indexer thread before the reads.
        ShardIndexOptions opts = ShardIndexOptions.defaults().withIndexQueue(1000, 2);
        try (ShardIndex index = ShardIndex.inMemory(0, opts)) {
            for (int i = 0; i < 300; i++) {
                int id = index.addSeries(series(i), 1000 + i);
                assertEquals(i, id);
                assertEquals(RoaringBitmap.bitmapOf(id), index.select(List.of(Matcher.eq("instance", "host-" + i)), ALL_START, ALL_END));
                assertEquals(series(i), index.labels(id));
                assertEquals(id, index.seriesId(series(i)));
                assertTrue(index.labelValues("instance", List.of(), ALL_START, ALL_END).contains("host-" + i));
                assertEquals(List.of("__name__", "instance", "job"),
                        index.labelNames(List.of(Matcher.eq("instance", "host-" + i)), ALL_START, ALL_END));
            }
            assertEquals(150, index.select(List.of(Matcher.eq("job", "even")), ALL_START, ALL_END).getCardinality());
            assertEquals(List.of("__name__", "instance", "job"), index.labelNames(List.of(), ALL_START, ALL_END));
        }
    }

    @Test
    void commitWritesEverySeriesAddedBeforeIt() throws IOException {
        Path dir = tmp.resolve("shard-0");
        ShardIndexOptions opts = ShardIndexOptions.defaults().withIndexQueue(64, 2);
        int n = 10_000;
        try (ShardIndex index = ShardIndex.open(dir, 0, SeriesKeyListing.empty(), opts)) {
            for (int i = 0; i < n; i++) index.addSeries(series(i), 1000 + i);
            index.commit(7);
            // close() rolls back whatever the commit did not cover.
        }
        try (ShardIndex index = ShardIndex.open(dir, 0, SeriesKeyListing.empty(), opts)) {
            assertFalse(index.rebuiltFromListing());
            assertEquals(7, index.committedOffset());
            assertEquals(n, index.seriesCount());
            for (int i = 0; i < n; i += 97) {
                assertEquals(series(i), index.labels(i), "labels of series " + i);
                assertEquals(i, index.seriesId(series(i)));
                assertEquals(1000 + i, index.firstSampleTime(i));
            }
            assertEquals(n / 2, index.select(List.of(Matcher.eq("job", "odd")), ALL_START, ALL_END).getCardinality());
        }
    }

    @Test
    void closeWithAFullQueueStopsTheIndexerAndKeepsTheLastCommit() throws IOException {
        Path dir = tmp.resolve("shard-0");
        ShardIndexOptions opts = ShardIndexOptions.defaults().withIndexQueue(16, 64);
        try (ShardIndex index = ShardIndex.open(dir, 0, SeriesKeyListing.empty(), opts)) {
            for (int i = 0; i < 500; i++) index.addSeries(series(i), i);
            index.commit(5);
            for (int i = 500; i < 8_000; i++) index.addSeries(series(i), i);
        } // close with up to 64 batches queued: returns, nothing after the commit survives
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals("strata-index-writer-0") && t.isAlive() && t.getState() == Thread.State.RUNNABLE),
                "the indexer thread still runs after close");
        try (ShardIndex index = ShardIndex.open(dir, 0, SeriesKeyListing.empty(), opts)) {
            assertEquals(5, index.committedOffset());
            assertEquals(500, index.seriesCount());
            assertThrows(org.apache.lucene.store.AlreadyClosedException.class, () -> {
                index.close();
                index.addSeries(series(1), 0);
            });
        }
    }

    @Test
    void backgroundFailureSurfacesOnTheNextAddAndCommit() throws IOException {
        FailingDirectory dir = new FailingDirectory();
        // A 1 MB buffer makes the indexer thread flush segments (create files) while adding documents.
        ShardIndexOptions opts = new ShardIndexOptions(1, 2048, true, 1, 32, 2);
        ShardIndex index = ShardIndexLoader.create(dir, 0, opts);
        try {
            for (int i = 0; i < 100; i++) index.addSeries(series(i), 0);
            index.commit(1);
            dir.fail.set(true);
            RuntimeException thrown = null;
            for (int i = 100; i < 1_000_000 && thrown == null; i++) {
                try {
                    index.addSeries(series(i), 0);
                } catch (RuntimeException e) {
                    thrown = e;
                }
            }
            assertNotNull(thrown, "addSeries kept succeeding after the indexer's writes failed");
            assertInstanceOf(UncheckedIOException.class, thrown, thrown.toString());
            assertTrue(causes(thrown).contains(FailingDirectory.MESSAGE), "cause chain of " + thrown);
            IOException commit = assertThrows(IOException.class, () -> index.commit(2));
            assertTrue(causes(commit).contains(FailingDirectory.MESSAGE), "cause chain of " + commit);
            assertThrows(IOException.class, index::refresh);
            assertThrows(UncheckedIOException.class, () -> index.addSeries(series(5_000_000), 0), "the failure stays");
            assertEquals(1, index.committedOffset(), "no commit after the failure");
        } finally {
            index.close();
        }
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) b.append(c).append(" <- ");
        return b.toString();
    }

    /** Reads racing the writer while the indexer lags: each sees every completed add, and nothing else. */
    @Test
    void concurrentReadsWhileTheIndexerLags() throws Exception {
        Random rnd = new Random(seed);
        int total = 4000 + rnd.nextInt(4000);
        int pending = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(3000);
        ShardIndexOptions opts = new ShardIndexOptions(1 + rnd.nextInt(16), pending, true, 1, 1 + rnd.nextInt(100), 1 + rnd.nextInt(4));
        String[] jobs = {"api", "db", "web", "cache"};
        Labels[] all = new Labels[total];
        for (int i = 0; i < total; i++) {
            all[i] = Labels.of("__name__", "m" + rnd.nextInt(20), "instance", "host-" + rnd.nextInt(500) + "-" + i,
                    "job", jobs[rnd.nextInt(jobs.length)]);
        }
        String where = "seed " + seed + " (rerun with -Dseed=" + seed + "), " + total + " series, " + opts;
        AtomicInteger added = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "background-indexing-test-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try (ShardIndex index = ShardIndex.open(tmp.resolve("shard-0"), 0, SeriesKeyListing.empty(), opts)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        assertEquals(i, index.addSeries(all[i], i), where);
                        added.set(i + 1);
                        if (i % 1500 == 1499) index.commit(i);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    done.set(true);
                }
            }, pool);
            List<CompletableFuture<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                long readerSeed = rnd.nextLong();
                readers.add(CompletableFuture.supplyAsync(() -> {
                    Random rr = new Random(readerSeed);
                    int reads = 0;
                    while (!done.get() || reads < 5) {
                        List<Matcher> ms = switch (rr.nextInt(4)) {
                            case 0 -> List.of(Matcher.eq("job", jobs[rr.nextInt(jobs.length)]));
                            case 1 -> List.of(Matcher.eq("__name__", "m" + rr.nextInt(20)), Matcher.neq("job", "db"));
                            case 2 -> List.of(Matcher.re("instance", "host-" + rr.nextInt(50) + ".*"));
                            default -> List.of(Matcher.nre("job", "api|web"), Matcher.re("__name__", "m1.*"));
                        };
                        int before = added.get();
                        RoaringBitmap ids = index.select(ms, ALL_START, ALL_END);
                        if (rr.nextInt(5) == 0) {
                            // Runs on the Lucene reader (refreshed first when too far behind) plus a scan of newer series.
                            java.util.Set<String> values = new java.util.HashSet<>(index.labelValues("job", List.of(), ALL_START, ALL_END));
                            for (int i = 0; i < before; i++) {
                                assertTrue(values.contains(all[i].get("job")), "job of series " + i + " missing from " + values + "; " + where);
                            }
                            List<String> top = index.topValues("job", jobs.length).stream().map(ValueCount::value).toList();
                            assertTrue(values.containsAll(top), top + " vs " + values + "; " + where);
                        }
                        int after = added.get();
                        for (int i = 0; i < after; i++) {
                            Labels l = all[i];
                            boolean matches = ms.stream().allMatch(m -> m.matches(l.get(m.name())));
                            if (i < before) {
                                assertEquals(matches, ids.contains(i), "series " + i + " " + all[i] + " under " + ms + "; " + where);
                            } else if (!matches) {
                                assertFalse(ids.contains(i), "series " + i + " " + all[i] + " under " + ms + "; " + where);
                            }
                        }
                        // The add in progress (id == after) may already be published.
                        assertTrue(ids.isEmpty() || ids.last() <= after, () -> "ids beyond the added series: " + ids.last() + " > " + after + "; " + where);
                        reads++;
                    }
                    return reads;
                }, pool));
            }
            writer.get(120, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> r : readers) assertTrue(r.get(120, TimeUnit.SECONDS) > 0, where);
            index.refresh();
            assertEquals(total, index.seriesCount(), where);
            assertEquals(new java.util.TreeSet<>(List.of(jobs)).stream().filter(j -> {
                for (Labels l : all) if (l.get("job").equals(j)) return true;
                return false;
            }).toList(), index.labelValues("job", List.of(), ALL_START, ALL_END), where);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A crash between commits (the directory as it is on disk while the indexer is still writing,
     * never closed) reopens at the last commit; re-adding the later series in the order the log
     * replays them gives every series its old id and the same selections as before the crash.
     */
    @Test
    void crashBetweenCommitsThenReplayGivesTheSameIndex() throws IOException {
        Random rnd = new Random(seed);
        String where = "seed " + seed + " (rerun with -Dseed=" + seed + ")";
        Path live = tmp.resolve("live"), crashed = tmp.resolve("crashed");
        ShardIndexOptions opts = new ShardIndexOptions(1, 512, true, 1, 1 + rnd.nextInt(200), 1 + rnd.nextInt(4));
        int committed = 2000 + rnd.nextInt(3000), total = committed + 1000 + rnd.nextInt(5000);
        List<List<Matcher>> queries = List.of(List.of(Matcher.eq("job", "even")), List.of(Matcher.re("__name__", "m[0-3]")),
                List.of(Matcher.re("instance", "host-1.*"), Matcher.neq("job", "odd")), List.of());
        List<RoaringBitmap> expected = new ArrayList<>();
        try (ShardIndex index = ShardIndex.open(live, 0, SeriesKeyListing.empty(), opts)) {
            for (int i = 0; i < committed; i++) index.addSeries(series(i), i);
            index.commit(100);
            for (int i = committed; i < total; i++) index.addSeries(series(i), i);
            for (List<Matcher> q : queries) expected.add(index.select(q, ALL_START, ALL_END));
            copyWhileOpen(live, crashed); // the crash: what is on disk now, with the index still writing
        }
        try (ShardIndex index = ShardIndex.open(crashed, 0, SeriesKeyListing.empty(), opts)) {
            assertFalse(index.rebuiltFromListing(), where);
            assertEquals(100, index.committedOffset(), where);
            assertEquals(committed, index.seriesCount(), where);
            for (int i = 0; i < total; i++) {
                assertEquals(i, index.addSeries(series(i), i), "replayed series " + i + "; " + where);
            }
            for (int q = 0; q < queries.size(); q++) {
                assertEquals(expected.get(q), index.select(queries.get(q), ALL_START, ALL_END), queries.get(q) + "; " + where);
            }
            index.commit(200);
        }
        try (ShardIndex index = ShardIndex.open(crashed, 0, SeriesKeyListing.empty(), opts)) {
            assertEquals(total, index.seriesCount(), where);
            for (int q = 0; q < queries.size(); q++) {
                assertEquals(expected.get(q), index.select(queries.get(q), ALL_START, ALL_END), queries.get(q) + "; " + where);
            }
        }
    }

    /** Copies the files of a directory a live index writes to, skipping files deleted meanwhile. */
    private static void copyWhileOpen(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                try {
                    Files.copy(f, to.resolve(f.getFileName()));
                } catch (NoSuchFileException deleted) {
                    // a merge or commit removed it: it is not part of the last commit either
                }
            }
        }
    }

    /** Fails every file creation once {@link #fail} is set, like a full or broken disk. */
    private static final class FailingDirectory extends FilterDirectory {
        static final String MESSAGE = "injected: no space left on device";
        final AtomicBoolean fail = new AtomicBoolean();

        FailingDirectory() {
            super(new ByteBuffersDirectory());
        }

        @Override
        public IndexOutput createOutput(String name, IOContext context) throws IOException {
            if (fail.get()) throw new IOException(MESSAGE + " (" + name + ")");
            return super.createOutput(name, context);
        }

        @Override
        public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
            if (fail.get()) throw new IOException(MESSAGE + " (" + prefix + ")");
            return super.createTempOutput(prefix, suffix, context);
        }
    }
}

package dev.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.Labels;
import dev.strata.store.series.InMemorySeriesKeyListing;
import dev.strata.store.series.SeriesKey;
import dev.strata.store.series.SeriesKeyListing;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class ShardIndexDurabilityTest {
    private static final long ALL_START = Long.MIN_VALUE, ALL_END = Long.MAX_VALUE;

    @TempDir
    Path tmp;

    private static Labels series(int i) {
        return Labels.of("__name__", "m" + (i % 7), "instance", "host-" + i, "job", i % 2 == 0 ? "even" : "odd");
    }

    @Test
    void commitAndReopenKeepOffsetIdsLabelsAndTimes() throws IOException {
        Path dir = tmp.resolve("shard-3");
        try (ShardIndex index = ShardIndex.open(dir, 3, SeriesKeyListing.empty())) {
            assertTrue(index.rebuiltFromListing(), "a missing directory is built from the listing");
            assertEquals(-1, index.committedOffset());
            for (int i = 0; i < 100; i++) {
                assertEquals(i, index.addSeries(series(i), 1000 + i));
                index.updateLastSampleTime(i, 5000 + i);
            }
            index.commit(42);
            assertEquals(42, index.committedOffset());
            for (int i = 100; i < 105; i++) index.addSeries(series(i), 1000); // not committed: lost on close
        }
        try (ShardIndex index = ShardIndex.open(dir, 3, failingListing())) {
            assertFalse(index.rebuiltFromListing());
            assertEquals(42, index.committedOffset());
            assertEquals(100, index.seriesCount());
            for (int i = 0; i < 100; i++) {
                assertEquals(i, index.seriesId(series(i)), "id of " + series(i));
                assertEquals(series(i), index.labels(i));
            }
            assertEquals(-1, index.seriesId(series(100)));
            assertNull(index.labels(100));
            // Last-sample times survive: only series 0..9 had samples at or after 5090.
            assertEquals(RoaringBitmap.bitmapOfRange(90, 100), index.select(List.of(), 5090, 6000));
            assertEquals(RoaringBitmap.bitmapOfRange(0, 100), index.select(List.of(Matcher.re("job", "even|odd")), 0, 2000));
            assertEquals(100, index.addSeries(series(100), 7000), "ids continue after the committed max");
            assertEquals(3, index.addSeries(series(3), 7000), "existing series keep their id");
            index.commit(43);
        }
        try (ShardIndex index = ShardIndex.open(dir, 3, failingListing())) {
            assertEquals(43, index.committedOffset());
            assertEquals(101, index.seriesCount());
            assertEquals(101, index.nextSeriesId());
        }
    }

    @Test
    void deletedDirectoryIsRebuiltFromListingWithRecordedIds() throws IOException {
        Path dir = tmp.resolve("shard-1");
        InMemorySeriesKeyListing listing = new InMemorySeriesKeyListing();
        for (int i = 0; i < 80; i++) {
            if (i >= 50 && i < 60) continue; // ids never flushed: a gap
            listing.put(1, new SeriesKey(i, series(i), 100, 200 + i));
        }
        listing.put(2, new SeriesKey(0, series(999), 0, 0)); // another shard's key
        try (ShardIndex index = ShardIndex.open(dir, 1, listing)) {
            assertTrue(index.rebuiltFromListing());
            assertEquals(70, index.seriesCount());
            assertEquals(80, index.nextSeriesId());
            assertEquals(-1, index.seriesId(series(999)));
            assertEquals(-1, index.seriesId(series(55)));
            assertEquals(61, index.seriesId(series(61)));
            assertEquals(series(61), index.labels(61));
            assertNull(index.labels(55));
            assertEquals(80, index.addSeries(series(1000), 300));
            RoaringBitmap expected = RoaringBitmap.bitmapOfRange(0, 81);
            expected.remove(50L, 60L);
            assertEquals(expected, index.select(List.of(), ALL_START, ALL_END));
            assertEquals(RoaringBitmap.bitmapOf(70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80), index.select(List.of(), 270, ALL_END));
        }
        deleteRecursively(dir);
        try (ShardIndex index = ShardIndex.open(dir, 1, listing)) {
            assertTrue(index.rebuiltFromListing());
            assertEquals(70, index.seriesCount());
        }
    }

    @Test
    void largeRebuildIndexesEveryBatchOnSeveralThreads() throws IOException {
        InMemorySeriesKeyListing listing = new InMemorySeriesKeyListing();
        for (int i = 0; i < 5000; i++) listing.put(2, new SeriesKey(i, series(i), i, i + 10));
        ShardIndexOptions opts = new ShardIndexOptions(16, 100, true, 3);
        try (ShardIndex index = ShardIndex.open(tmp.resolve("shard-2"), 2, listing, opts)) {
            assertTrue(index.rebuiltFromListing());
            assertEquals(5000, index.seriesCount());
            for (int i = 0; i < 5000; i += 7) {
                assertEquals(i, index.seriesId(series(i)));
                assertEquals(series(i), index.labels(i));
            }
            RoaringBitmap evens = new RoaringBitmap();
            for (int i = 0; i < 5000; i += 2) evens.add(i);
            assertEquals(evens, index.select(List.of(Matcher.eq("job", "even")), ALL_START, ALL_END));
            assertEquals(RoaringBitmap.bitmapOfRange(3995, 5000), index.select(List.of(), 4005, ALL_END)); // last = id + 10
        }
    }

    @Test
    void corruptSegmentFileTriggersRebuild() throws IOException {
        Path dir = tmp.resolve("shard-0");
        InMemorySeriesKeyListing listing = commitSome(dir, 0, 300);
        Path biggest;
        try (Stream<Path> files = Files.list(dir)) {
            biggest = files.filter(p -> !p.getFileName().toString().startsWith("strata-")
                            && !p.getFileName().toString().equals("write.lock"))
                    .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(biggest.toFile(), "rw")) {
            long pos = f.length() / 2;
            f.seek(pos);
            int b = f.read();
            f.seek(pos);
            f.write(b ^ 0x5A);
        }
        try (ShardIndex index = ShardIndex.open(dir, 0, listing)) {
            assertTrue(index.rebuiltFromListing(), "flipped byte in " + biggest.getFileName() + " must be detected");
            assertEquals(300, index.seriesCount());
            assertEquals(7, index.seriesId(series(7)));
            assertEquals(-1, index.committedOffset());
        }
    }

    @Test
    void truncatedCommitFileTriggersRebuild() throws IOException {
        Path dir = tmp.resolve("shard-0");
        InMemorySeriesKeyListing listing = commitSome(dir, 0, 50);
        Path segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(p -> p.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(segments.toFile(), "rw")) {
            f.setLength(f.length() - 9);
        }
        try (ShardIndex index = ShardIndex.open(dir, 0, listing)) {
            assertTrue(index.rebuiltFromListing());
            assertEquals(50, index.seriesCount());
        }
    }

    @Test
    void corruptLastSampleTimesKeepTheIndexAndTreatSeriesAsActive() throws IOException {
        Path dir = tmp.resolve("shard-0");
        commitSome(dir, 0, 20);
        Path times;
        try (Stream<Path> files = Files.list(dir)) {
            times = files.filter(p -> p.getFileName().toString().startsWith(LastSampleTimesFile.PREFIX)).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(times.toFile(), "rw")) {
            f.seek(f.length() - 20);
            f.write(0x77);
        }
        try (ShardIndex index = ShardIndex.open(dir, 0, failingListing())) {
            assertFalse(index.rebuiltFromListing());
            assertEquals(17, index.committedOffset());
            assertEquals(RoaringBitmap.bitmapOfRange(0, 20), index.select(List.of(), Long.MAX_VALUE - 1, Long.MAX_VALUE));
        }
    }

    @Test
    void anotherShardsIndexIsRefused() throws IOException {
        Path dir = tmp.resolve("shard-0");
        commitSome(dir, 0, 5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ShardIndex.open(dir, 4, failingListing()));
        assertTrue(e.getMessage().contains("belongs to shard 0"), e.getMessage());
    }

    @Test
    void indexOfAnOlderFormatVersionIsRebuilt() throws IOException {
        Path dir = tmp.resolve("shard-5");
        InMemorySeriesKeyListing listing = commitSome(dir, 5, 30);
        // Rewrite the commit as format version 1 wrote it: the same keys without strata.formatVersion.
        try (org.apache.lucene.store.Directory d = org.apache.lucene.store.FSDirectory.open(dir);
             org.apache.lucene.index.IndexWriter w = new org.apache.lucene.index.IndexWriter(d,
                     new org.apache.lucene.index.IndexWriterConfig().setOpenMode(org.apache.lucene.index.IndexWriterConfig.OpenMode.APPEND))) {
            java.util.Map<String, String> data = new java.util.HashMap<>(
                    org.apache.lucene.index.SegmentInfos.readLatestCommit(d).getUserData());
            assertEquals(Integer.toString(CommitData.FORMAT_VERSION), data.remove(CommitData.FORMAT));
            w.setLiveCommitData(data.entrySet());
            w.commit();
        }
        try (ShardIndex index = ShardIndex.open(dir, 5, listing)) {
            assertTrue(index.rebuiltFromListing());
            assertEquals(-1, index.committedOffset());
            assertEquals(30, index.seriesCount());
            assertEquals(series(7), index.labels(7));
            assertEquals(RoaringBitmap.bitmapOf(7), index.select(List.of(Matcher.eq("instance", "host-7")), ALL_START, ALL_END));
            index.commit(18);
        }
        try (ShardIndex index = ShardIndex.open(dir, 5, failingListing())) {
            assertFalse(index.rebuiltFromListing());
            assertEquals(18, index.committedOffset());
        }
    }

    /** Indexes n series, commits at offset 17, records them in a listing, closes. */
    private static InMemorySeriesKeyListing commitSome(Path dir, int shard, int n) throws IOException {
        InMemorySeriesKeyListing listing = new InMemorySeriesKeyListing();
        try (ShardIndex index = ShardIndex.open(dir, shard, SeriesKeyListing.empty())) {
            for (int i = 0; i < n; i++) {
                int id = index.addSeries(series(i), 10);
                listing.put(shard, new SeriesKey(id, series(i), 10, 20));
            }
            index.commit(17);
        }
        return listing;
    }

    private static SeriesKeyListing failingListing() {
        return (shard, action) -> {
            throw new AssertionError("the committed index must open without a rebuild");
        };
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}

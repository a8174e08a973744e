package dev.strata.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;

/**
 * Lucene doc id <-> series id per segment, read once from the {@code #id} doc values and cached for
 * the segment's lifetime (segments are immutable; the entry is dropped when the segment's core
 * closes). 4 bytes per document, plus the segment's <em>runs</em>: maximal doc ranges whose series
 * ids ascend by one with the doc id (series are added in id order, so a flushed segment is one run
 * and a merged one a few), which map a series id back to its doc by a scan of the runs; segments
 * too fragmented for runs (a multi-threaded rebuild) keep a sorted (id, doc) table instead, 8 more
 * bytes per document.
 */
final class LeafSeriesIds {
    /** Segments with more runs than maxDoc / this are mapped through a sorted table. */
    private static final int MIN_DOCS_PER_RUN = 256;

    /**
     * One segment's mapping. {@code runStart[r]} is the first doc of run r (run r ends where run r+1
     * starts, the last at ids.length); its docs have ids {@code ids[runStart[r]] + (doc - runStart[r])}.
     * {@code runStart} is null when the segment is too fragmented for runs to pay off; then
     * {@code idDoc} holds {@code (id << 32) | doc} for every doc, sorted.
     */
    record Segment(int[] ids, int[] runStart, long[] idDoc) {
        /** The doc holding series {@code id} in this segment, or -1. */
        int docOf(int id) {
            if (runStart != null) {
                for (int r = 0; r < runStart.length; r++) {
                    int start = runStart[r];
                    int end = r + 1 < runStart.length ? runStart[r + 1] : ids.length;
                    long offset = (long) id - ids[start];
                    if (offset >= 0 && offset < end - start) return start + (int) offset;
                }
                return -1;
            }
            int i = Arrays.binarySearch(idDoc, (long) id << 32);
            if (i < 0) i = -i - 1;
            return i < idDoc.length && (int) (idDoc[i] >>> 32) == id ? (int) idDoc[i] : -1;
        }
    }

    private final Map<IndexReader.CacheKey, Segment> cache = new ConcurrentHashMap<>();

    int[] of(LeafReader leaf) {
        return segment(leaf).ids();
    }

    Segment segment(LeafReader leaf) {
        IndexReader.CacheHelper helper = leaf.getCoreCacheHelper();
        if (helper == null) return segmentOf(load(leaf));
        IndexReader.CacheKey key = helper.getKey();
        Segment s = cache.get(key);
        if (s != null) return s;
        s = segmentOf(load(leaf));
        if (cache.putIfAbsent(key, s) == null) helper.addClosedListener(cache::remove);
        return s;
    }

    /** Seeds the cache with a mapping computed elsewhere (e.g. while loading the index). */
    void put(LeafReader leaf, int[] ids) {
        IndexReader.CacheHelper helper = leaf.getCoreCacheHelper();
        if (helper != null && cache.putIfAbsent(helper.getKey(), segmentOf(ids)) == null) {
            helper.addClosedListener(cache::remove);
        }
    }

    static Segment segmentOf(int[] ids) {
        int maxRuns = Math.max(1, ids.length / MIN_DOCS_PER_RUN);
        int[] starts = new int[Math.min(16, maxRuns)];
        int runs = 0;
        for (int d = 0; d < ids.length; d++) {
            if (d == 0 || ids[d] != ids[d - 1] + 1) {
                if (runs == maxRuns) return new Segment(ids, null, sortedIdDoc(ids));
                if (runs == starts.length) starts = Arrays.copyOf(starts, Math.min(maxRuns, runs * 2));
                starts[runs++] = d;
            }
        }
        return new Segment(ids, Arrays.copyOf(starts, runs), null);
    }

    private static long[] sortedIdDoc(int[] ids) {
        long[] idDoc = new long[ids.length];
        for (int d = 0; d < ids.length; d++) idDoc[d] = ((long) ids[d] << 32) | d;
        Arrays.sort(idDoc);
        return idDoc;
    }

    private static int[] load(LeafReader leaf) {
        try {
            int[] ids = new int[leaf.maxDoc()];
            NumericDocValues dv = DocValues.getNumeric(leaf, IndexFields.ID);
            for (int d = dv.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = dv.nextDoc()) {
                ids[d] = (int) dv.longValue();
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("reading series ids of segment " + leaf, e);
        }
    }
}

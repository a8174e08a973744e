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
 * Lucene doc id -> series id per segment, read once from the {@code #id} doc values and cached for
 * the segment's lifetime (segments are immutable; the entry is dropped when the segment's core
 * closes). 4 bytes per document, plus the segment's <em>runs</em>: maximal doc ranges whose series
 * ids ascend by one with the doc id (series are added in id order, so a flushed segment is one run
 * and a merged one a few), which let {@link SegmentSeriesIds} map a whole bitset of docs to series
 * ids by word operations and one shift per run.
 */
final class LeafSeriesIds {
    /** Segments with more runs than maxDoc / this are mapped doc by doc. */
    private static final int MIN_DOCS_PER_RUN = 256;

    /**
     * One segment's mapping. {@code runStart[r]} is the first doc of run r (run r ends where run r+1
     * starts, the last at ids.length); its docs have ids {@code ids[runStart[r]] + (doc - runStart[r])}.
     * {@code runStart} is null when the segment is too fragmented for runs to pay off.
     */
    record Segment(int[] ids, int[] runStart) {}

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
                if (runs == maxRuns) return new Segment(ids, null);
                if (runs == starts.length) starts = Arrays.copyOf(starts, Math.min(maxRuns, runs * 2));
                starts[runs++] = d;
            }
        }
        return new Segment(ids, Arrays.copyOf(starts, runs));
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

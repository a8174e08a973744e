package dev.strata.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;

/**
 * Lucene doc id -> series id per segment, as an int array read once from the {@code #id} doc values
 * and cached for the segment's lifetime (segments are immutable; the entry is dropped when the
 * segment's core closes). 4 bytes per document.
 */
final class LeafSeriesIds {
    private final Map<IndexReader.CacheKey, int[]> cache = new ConcurrentHashMap<>();

    int[] of(LeafReader leaf) {
        IndexReader.CacheHelper helper = leaf.getCoreCacheHelper();
        if (helper == null) return load(leaf);
        IndexReader.CacheKey key = helper.getKey();
        int[] ids = cache.get(key);
        if (ids != null) return ids;
        ids = load(leaf);
        if (cache.putIfAbsent(key, ids) == null) helper.addClosedListener(cache::remove);
        return ids;
    }

    /** Seeds the cache with a mapping computed elsewhere (e.g. while loading the index). */
    void put(LeafReader leaf, int[] ids) {
        IndexReader.CacheHelper helper = leaf.getCoreCacheHelper();
        if (helper != null && cache.putIfAbsent(helper.getKey(), ids) == null) helper.addClosedListener(cache::remove);
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

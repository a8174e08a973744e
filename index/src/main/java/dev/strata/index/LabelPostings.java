package dev.strata.index;

import dev.strata.store.model.Labels;
import java.io.IOException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.roaringbitmap.RoaringBitmap;

/**
 * In-memory postings of one label: value -> RoaringBitmap of the series ids carrying it, values in
 * String order, plus the union of all of them (the series that have the label). Covers exactly the
 * present series with id below {@link #covered()}.
 *
 * <p>Built once from a Lucene reader snapshot (the label's terms and postings, doc ids mapped to
 * series ids), then caught up from the in-memory labels of series added later (every series added
 * after the index was opened has its labels cached in the {@link SeriesTable}). Bitmaps are
 * run-optimized after the build: series of one host or pod have consecutive ids.
 *
 * <p>Threading: {@link #catchUp} and {@link #buildFrom} mutate under the write lock; evaluation
 * reads the bitmaps under the read lock ({@link #readLock()}) and never hands them out (callers get
 * fresh bitmaps).
 */
final class LabelPostings {
    /** Catch-ups of at least this many series run-optimize the bitmaps they touched. */
    private static final int RUN_OPTIMIZE_AFTER = 4096;
    final String name;
    private final String field;
    private final TreeMap<String, RoaringBitmap> values = new TreeMap<>();
    private final RoaringBitmap exists = new RoaringBitmap();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Series ids below this are included; -1 until built. Written under the write lock. */
    private volatile int covered = -1;

    LabelPostings(String name) {
        this.name = name;
        this.field = IndexFields.labelField(name);
    }

    int covered() {
        return covered;
    }

    boolean built() {
        return covered >= 0;
    }

    /** True if no covered series has the label. Caller holds a lock. */
    boolean isEmpty() {
        return exists.isEmpty();
    }

    ReentrantReadWriteLock.ReadLock readLock() {
        return lock.readLock();
    }

    ReentrantReadWriteLock.WriteLock writeLock() {
        return lock.writeLock();
    }

    /** Caller holds the write lock and the postings are not built: loads them from {@code s}. */
    void buildFrom(ReaderSnapshot s, LeafSeriesIds leafIds) throws IOException {
        PostingsEnum pe = null;
        for (LeafReaderContext ctx : s.reader.leaves()) {
            Terms terms = ctx.reader().terms(field);
            if (terms == null) continue;
            int[] docToId = leafIds.of(ctx.reader());
            Bits live = ctx.reader().getLiveDocs();
            TermsEnum te = terms.iterator();
            for (BytesRef t = te.next(); t != null; t = te.next()) {
                RoaringBitmap bm = values.computeIfAbsent(t.utf8ToString(), v -> new RoaringBitmap());
                pe = te.postings(pe, PostingsEnum.NONE);
                for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
                    if (live == null || live.get(d)) bm.add(docToId[d]);
                }
            }
        }
        for (RoaringBitmap bm : values.values()) {
            bm.runOptimize();
            exists.or(bm);
        }
        exists.runOptimize();
        covered = s.covered;
    }

    /**
     * Caller holds the write lock: adds the present series with ids in [covered, limit) from their
     * cached labels.
     */
    void catchUp(SeriesTable table, int limit) {
        // A large catch-up (e.g. the first selection after a bulk load) run-optimizes what it touched;
        // small ones leave containers as they are (Roaring keeps appending to run containers).
        java.util.Set<RoaringBitmap> touched = limit - covered >= RUN_OPTIMIZE_AFTER
                ? java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()) : null;
        for (int id = covered; id < limit; id++) {
            if (!table.present(id)) continue;
            Labels l = table.cachedLabels(id);
            if (l == null) {
                throw new IllegalStateException("series " + id + " was added after the postings of " + name
                        + " were built but its labels are not in memory");
            }
            String v = l.get(name);
            if (v.isEmpty()) continue;
            RoaringBitmap bm = values.computeIfAbsent(v, x -> new RoaringBitmap());
            bm.add(id);
            exists.add(id);
            if (touched != null) touched.add(bm);
        }
        if (touched != null) {
            for (RoaringBitmap bm : touched) bm.runOptimize();
            exists.runOptimize();
        }
        if (limit > covered) covered = limit;
    }

    /** Caller holds the read lock. The bitmap of one value, or null. Never modify it. */
    RoaringBitmap get(String value) {
        return values.get(value);
    }

    /** Caller holds the read lock. Series having the label. Never modify it. */
    RoaringBitmap exists() {
        return exists;
    }

    /** Caller holds the read lock. Values from {@code from} (inclusive) on, in String order. */
    NavigableMap<String, RoaringBitmap> tail(String from) {
        return values.tailMap(from, true);
    }

    /** Caller holds the read lock. Every value in String order. */
    NavigableMap<String, RoaringBitmap> all() {
        return values;
    }

    /** Caller holds the read lock. Estimated heap bytes: bitmaps (serialized size) + map and string overhead. */
    long estimatedBytes() {
        long bytes = exists.getSizeInBytes() + 64;
        for (Map.Entry<String, RoaringBitmap> e : values.entrySet()) {
            // TreeMap entry ~40 B, String ~40 B + chars, RoaringBitmap object + container arrays ~48 B.
            bytes += 40 + 40 + e.getKey().length() + 48 + e.getValue().getSizeInBytes();
        }
        return bytes;
    }
}

package dev.strata.index;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.roaringbitmap.BitSetUtil;
import org.roaringbitmap.RoaringBitmap;

/**
 * Series ids of the documents matching a query, as a bitmap, without a per-document collector call.
 * Per segment: a selective scorer (estimated cost below maxDoc / {@value #DENSE_DIVISOR}) is walked
 * and its docs mapped through the segment's doc -> id array; a dense one is OR-ed into a doc bitset
 * (word-wise when the scorer is itself a bitset) and converted to series ids run by run: a run's
 * bitset words become a RoaringBitmap directly and are shifted by the run's id offset.
 */
final class SeriesIdGatherer {
    private static final int DENSE_DIVISOR = 32;

    private SeriesIdGatherer() {}

    static void gather(IndexSearcher searcher, Query query, LeafSeriesIds leafIds, RoaringBitmap out) throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        int[] buffer = null;
        for (LeafReaderContext ctx : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(ctx);
            if (scorer == null) continue;
            LeafSeriesIds.Segment seg = leafIds.segment(ctx.reader());
            Bits live = ctx.reader().getLiveDocs();
            TwoPhaseIterator twoPhase = scorer.twoPhaseIterator();
            DocIdSetIterator it = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
            int maxDoc = ctx.reader().maxDoc();
            if (seg.runStart() == null || it.cost() < maxDoc / DENSE_DIVISOR) {
                if (buffer == null) buffer = new int[1024];
                sparse(it, twoPhase, live, seg.ids(), buffer, out);
            } else {
                FixedBitSet docs = new FixedBitSet(maxDoc);
                if (twoPhase == null && live == null) {
                    docs.or(it);
                } else {
                    for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
                        if ((live == null || live.get(d)) && (twoPhase == null || twoPhase.matches())) docs.set(d);
                    }
                }
                addRuns(docs, seg, out);
            }
        }
    }

    private static void sparse(DocIdSetIterator it, TwoPhaseIterator twoPhase, Bits live, int[] ids, int[] buffer,
                               RoaringBitmap out) throws IOException {
        int n = 0;
        for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
            if ((live != null && !live.get(d)) || (twoPhase != null && !twoPhase.matches())) continue;
            if (n == buffer.length) {
                out.addN(buffer, 0, n);
                n = 0;
            }
            buffer[n++] = ids[d];
        }
        if (n > 0) out.addN(buffer, 0, n);
    }

    /** Adds the series ids of the docs set in {@code docs}, one run at a time. */
    static void addRuns(FixedBitSet docs, LeafSeriesIds.Segment seg, RoaringBitmap out) {
        long[] words = docs.getBits();
        int[] starts = seg.runStart();
        int[] ids = seg.ids();
        int maxDoc = docs.length();
        for (int r = 0; r < starts.length; r++) {
            int from = starts[r];
            int to = r + 1 < starts.length ? starts[r + 1] : maxDoc;
            int firstWord = from >>> 6, endWord = ((to - 1) >>> 6) + 1;
            long[] sub;
            if (from == 0 && to == maxDoc) {
                sub = words; // whole segment; bits past maxDoc are clear in a FixedBitSet
            } else {
                sub = java.util.Arrays.copyOfRange(words, firstWord, endWord);
                sub[0] &= -1L << (from & 63);
                if ((to & 63) != 0) sub[sub.length - 1] &= (1L << (to & 63)) - 1;
            }
            RoaringBitmap run = BitSetUtil.bitmapOf(sub);
            if (run.isEmpty()) continue;
            // Bit b of sub is doc (firstWord * 64 + b), whose id is ids[from] + (doc - from).
            long offset = (long) ids[from] - from + ((long) firstWord << 6);
            out.or(offset == 0 ? run : RoaringBitmap.addOffset(run, offset));
        }
    }
}

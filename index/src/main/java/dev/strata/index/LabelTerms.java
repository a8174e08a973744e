package dev.strata.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BytesRef;
import org.roaringbitmap.RoaringBitmap;

/** Reads label names/values straight from the terms dictionary of a reader. */
final class LabelTerms {
    private static final Comparator<ValueCount> MOST_FIRST =
            Comparator.comparingLong(ValueCount::count).reversed().thenComparing(ValueCount::value);

    private LabelTerms() {}

    /** Adds every term of {@code field}. */
    static void allTerms(IndexReader reader, String field, Set<String> out) throws IOException {
        Terms terms = MultiTerms.getTerms(reader, field);
        if (terms == null) return;
        TermsEnum te = terms.iterator();
        for (BytesRef t = te.next(); t != null; t = te.next()) out.add(t.utf8ToString());
    }

    /**
     * Adds every term of {@code field} carried by at least one series in {@code ids}, walking each
     * term's postings until a hit. Cost: at most the field's total postings.
     */
    static void termsOfSeries(IndexReader reader, String field, RoaringBitmap ids, LeafSeriesIds leafIds,
                              Set<String> out) throws IOException {
        PostingsEnum pe = null;
        for (LeafReaderContext ctx : reader.leaves()) {
            Terms terms = ctx.reader().terms(field);
            if (terms == null) continue;
            int[] docToId = leafIds.of(ctx.reader());
            TermsEnum te = terms.iterator();
            for (BytesRef t = te.next(); t != null; t = te.next()) {
                String value = t.utf8ToString();
                if (out.contains(value)) continue;
                pe = te.postings(pe, PostingsEnum.NONE);
                for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
                    if (ids.contains(docToId[d])) {
                        out.add(value);
                        break;
                    }
                }
            }
        }
    }

    /** The n values with most series: Lucene document frequencies plus {@code pending} (consumed). */
    static List<ValueCount> top(IndexReader reader, String field, int n, Map<String, Long> pending) throws IOException {
        PriorityQueue<ValueCount> heap = new PriorityQueue<>(n + 1, MOST_FIRST.reversed());
        Terms terms = MultiTerms.getTerms(reader, field);
        if (terms != null) {
            TermsEnum te = terms.iterator();
            for (BytesRef t = te.next(); t != null; t = te.next()) {
                long count = te.docFreq();
                if (heap.size() == n && count < heap.peek().count() && pending.isEmpty()) continue;
                String value = t.utf8ToString();
                Long extra = pending.remove(value);
                offer(heap, n, new ValueCount(value, count + (extra == null ? 0 : extra)));
            }
        }
        pending.forEach((value, count) -> offer(heap, n, new ValueCount(value, count)));
        List<ValueCount> out = new ArrayList<>(heap);
        out.sort(MOST_FIRST);
        return out;
    }

    private static void offer(PriorityQueue<ValueCount> heap, int n, ValueCount vc) {
        heap.add(vc);
        if (heap.size() > n) heap.poll();
    }
}

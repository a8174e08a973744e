package dev.strata.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

/** Reads label names/values straight from the terms dictionary of a reader. */
final class LabelTerms {
    private static final Comparator<ValueCount> MOST_FIRST =
            Comparator.comparingLong(ValueCount::count).reversed().thenComparing(ValueCount::value);

    private LabelTerms() {}

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

    /** Every value with its series count, in value order: Lucene document frequencies plus {@code pending} (consumed). */
    static List<ValueCount> all(IndexReader reader, String field, Map<String, Long> pending) throws IOException {
        java.util.TreeMap<String, Long> out = new java.util.TreeMap<>();
        Terms terms = MultiTerms.getTerms(reader, field);
        if (terms != null) {
            TermsEnum te = terms.iterator();
            for (BytesRef t = te.next(); t != null; t = te.next()) out.put(t.utf8ToString(), (long) te.docFreq());
        }
        pending.forEach((value, count) -> out.merge(value, count, Long::sum));
        List<ValueCount> list = new ArrayList<>(out.size());
        out.forEach((v, c) -> list.add(new ValueCount(v, c)));
        return list;
    }

    private static void offer(PriorityQueue<ValueCount> heap, int n, ValueCount vc) {
        heap.add(vc);
        if (heap.size() > n) heap.poll();
    }
}

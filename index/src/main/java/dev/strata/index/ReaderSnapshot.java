package dev.strata.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;

/**
 * A point-in-time Lucene reader and the number of series ids it covers exactly: every series with
 * id below {@link #covered} is in the reader and none above it is. Series added later are matched by
 * scanning their labels in memory until the next refresh. Reference counted: holders call
 * {@link #release()} once per successful {@code tryAcquire}.
 */
final class ReaderSnapshot {
    final DirectoryReader reader;
    final IndexSearcher searcher;
    final int covered;
    private final Map<String, List<String>> allTerms = new ConcurrentHashMap<>();
    private volatile List<String> labelNames;

    ReaderSnapshot(DirectoryReader reader, int covered) {
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        // Label selections are one-off boolean queries over few fields; Lucene's query cache would
        // spend memory caching large filters (e.g. job="x") that are cheap to recompute.
        this.searcher.setQueryCache(null);
        this.covered = covered;
    }

    /** Every term of {@code field} in this reader, sorted; computed once per field per snapshot. */
    List<String> allTerms(String field) throws IOException {
        List<String> terms = allTerms.get(field);
        if (terms != null) return terms;
        List<String> computed = new ArrayList<>();
        Terms t = MultiTerms.getTerms(reader, field);
        if (t != null) {
            TermsEnum te = t.iterator();
            for (BytesRef b = te.next(); b != null; b = te.next()) computed.add(b.utf8ToString());
        }
        computed = List.copyOf(computed);
        if (allTerms.size() < 64) allTerms.putIfAbsent(field, computed);
        return computed;
    }

    /** Every label name in this reader (from the segments' field infos), sorted. */
    List<String> labelNames() {
        List<String> names = labelNames;
        if (names == null) {
            java.util.TreeSet<String> set = new java.util.TreeSet<>();
            for (org.apache.lucene.index.FieldInfo fi : org.apache.lucene.index.FieldInfos.getMergedFieldInfos(reader)) {
                String name = IndexFields.labelNameOf(fi.name);
                if (name != null) set.add(name);
            }
            labelNames = names = List.copyOf(set);
        }
        return names;
    }

    boolean tryAcquire() {
        return reader.tryIncRef();
    }

    void release() {
        try {
            reader.decRef();
        } catch (IOException e) {
            throw new UncheckedIOException("closing index reader", e);
        }
    }
}

package dev.strata.index;

import java.io.IOException;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * Collects the distinct values of one label field over the
 * matching documents, through the field's sorted doc values: per segment it marks value ordinals
 * and resolves each marked ordinal to its string once. Optionally keeps only documents whose series
 * id passes {@code seriesFilter} (time-range activity). Call {@link #finish()} after the search.
 */
final class DistinctValuesCollector implements Collector {
    private final String field;
    private final LeafSeriesIds leafIds;
    private final IntPredicate seriesFilter;
    private final Set<String> out;
    private SortedDocValues pendingDv;
    private FixedBitSet pendingOrds;

    DistinctValuesCollector(String field, LeafSeriesIds leafIds, IntPredicate seriesFilter, Set<String> out) {
        this.field = field;
        this.leafIds = leafIds;
        this.seriesFilter = seriesFilter;
        this.out = out;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
        finish();
        SortedDocValues dv = DocValues.getSorted(context.reader(), field);
        if (dv.getValueCount() == 0) {
            return new NoOp();
        }
        FixedBitSet ords = new FixedBitSet(dv.getValueCount());
        pendingDv = dv;
        pendingOrds = ords;
        int[] docToId = seriesFilter == null ? null : leafIds.of(context.reader());
        return new LeafCollector() {
            @Override
            public void setScorer(Scorable scorer) {}

            @Override
            public void collect(int doc) throws IOException {
                if (docToId != null && !seriesFilter.test(docToId[doc])) return;
                if (!dv.advanceExact(doc)) return;
                ords.set(dv.ordValue());
            }
        };
    }

    /** Resolves the ordinals marked in the last segment. */
    void finish() throws IOException {
        if (pendingDv == null) return;
        SortedDocValues dv = pendingDv;
        FixedBitSet ords = pendingOrds;
        pendingDv = null;
        pendingOrds = null;
        int n = ords.length();
        for (int ord = ords.nextSetBit(0); ord != DocIdSetIterator.NO_MORE_DOCS; ord = ord + 1 < n ? ords.nextSetBit(ord + 1) : DocIdSetIterator.NO_MORE_DOCS) {
            out.add(dv.lookupOrd(ord).utf8ToString());
        }
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }

    private static final class NoOp implements LeafCollector {
        @Override
        public void setScorer(Scorable scorer) {}

        @Override
        public void collect(int doc) {}
    }
}

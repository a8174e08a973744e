package dev.strata.index;

import java.io.IOException;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.LongBitSet;

/**
 * Collects the distinct values of one keyword field (a label's values, or {@code #names}) over the
 * matching documents, through the field's sorted-set doc values: per segment it marks value ordinals
 * and resolves each marked ordinal to its string once. Optionally keeps only documents whose series
 * id passes {@code seriesFilter} (time-range activity). Call {@link #finish()} after the search.
 */
final class DistinctValuesCollector implements Collector {
    private final String field;
    private final LeafSeriesIds leafIds;
    private final IntPredicate seriesFilter;
    private final Set<String> out;
    private SortedSetDocValues pendingDv;
    private LongBitSet pendingOrds;

    DistinctValuesCollector(String field, LeafSeriesIds leafIds, IntPredicate seriesFilter, Set<String> out) {
        this.field = field;
        this.leafIds = leafIds;
        this.seriesFilter = seriesFilter;
        this.out = out;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
        finish();
        SortedSetDocValues dv = DocValues.getSortedSet(context.reader(), field);
        if (dv.getValueCount() == 0) {
            return new NoOp();
        }
        LongBitSet ords = new LongBitSet(dv.getValueCount());
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
                for (int i = 0, n = dv.docValueCount(); i < n; i++) ords.set(dv.nextOrd());
            }
        };
    }

    /** Resolves the ordinals marked in the last segment. */
    void finish() throws IOException {
        if (pendingDv == null) return;
        SortedSetDocValues dv = pendingDv;
        LongBitSet ords = pendingOrds;
        pendingDv = null;
        pendingOrds = null;
        long n = ords.length();
        for (long ord = ords.nextSetBit(0); ord >= 0; ord = ord + 1 < n ? ords.nextSetBit(ord + 1) : -1) {
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

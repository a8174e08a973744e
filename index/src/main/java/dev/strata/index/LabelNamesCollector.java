package dev.strata.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;

/**
 * Collects the label names carried by the matching documents: per segment, every label field not
 * yet found is checked against each matching document's doc values until it is found, so the cost
 * is at most (matching documents x label names) and usually far less. Optionally keeps only
 * documents whose series id passes {@code seriesFilter}.
 */
final class LabelNamesCollector implements Collector {
    private final LeafSeriesIds leafIds;
    private final IntPredicate seriesFilter;
    private final Set<String> out;

    LabelNamesCollector(LeafSeriesIds leafIds, IntPredicate seriesFilter, Set<String> out) {
        this.leafIds = leafIds;
        this.seriesFilter = seriesFilter;
        this.out = out;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
        List<String> names = new ArrayList<>();
        List<SortedDocValues> values = new ArrayList<>();
        for (FieldInfo fi : context.reader().getFieldInfos()) {
            String name = IndexFields.labelNameOf(fi.name);
            if (name == null || out.contains(name)) continue;
            names.add(name);
            values.add(DocValues.getSorted(context.reader(), fi.name));
        }
        int[] docToId = seriesFilter == null ? null : leafIds.of(context.reader());
        return new LeafCollector() {
            @Override
            public void setScorer(Scorable scorer) {}

            @Override
            public void collect(int doc) throws IOException {
                if (names.isEmpty()) return;
                if (docToId != null && !seriesFilter.test(docToId[doc])) return;
                for (int i = names.size() - 1; i >= 0; i--) {
                    // Doc values iterators only move forward; docs arrive in increasing order.
                    if (values.get(i).advanceExact(doc)) {
                        out.add(names.get(i));
                        names.remove(i);
                        values.remove(i);
                    }
                }
            }
        };
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }
}

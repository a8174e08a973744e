package dev.strata.index;

import java.io.IOException;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * The doc-values side of a general regex matcher: per segment, walks the label field's sorted
 * doc-values dictionary from the regex's literal prefix, marks the ordinals whose value the
 * (anchored) pattern matches, then checks each candidate document's ordinal. Used under
 * IndexOrDocValuesQuery, so it only runs when another clause leads with few documents; it avoids
 * looking up every matched term in every segment.
 */
final class RegexOrdinalsQuery extends Query {
    private final String field;
    private final Pattern pattern;
    private final String prefix;

    RegexOrdinalsQuery(String field, Pattern pattern, String prefix) {
        this.field = field;
        this.pattern = pattern;
        this.prefix = prefix;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        return new ConstantScoreWeight(this, boost) {
            @Override
            public Scorer scorer(LeafReaderContext context) throws IOException {
                SortedDocValues dv = DocValues.getSorted(context.reader(), field);
                FixedBitSet ords = matchingOrdinals(dv);
                if (ords == null) return null;
                TwoPhaseIterator tpi = new TwoPhaseIterator(dv) {
                    @Override
                    public boolean matches() throws IOException {
                        return ords.get(dv.ordValue());
                    }

                    @Override
                    public float matchCost() {
                        return 3;
                    }
                };
                return new ConstantScoreScorer(this, score(), scoreMode, tpi);
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return DocValues.isCacheable(ctx, field);
            }
        };
    }

    /** The ordinals whose value matches, or null if none. */
    private FixedBitSet matchingOrdinals(SortedDocValues dv) throws IOException {
        if (dv.getValueCount() == 0) return null;
        TermsEnum te = dv.termsEnum();
        BytesRef prefixBytes = new BytesRef(prefix);
        if (te.seekCeil(prefixBytes) == TermsEnum.SeekStatus.END) return null;
        FixedBitSet ords = null;
        java.util.regex.Matcher m = pattern.matcher("");
        for (BytesRef t = te.term(); t != null; t = te.next()) {
            if (!MatcherQueries.startsWith(t, prefixBytes)) break;
            if (m.reset(t.utf8ToString()).matches()) {
                if (ords == null) ords = new FixedBitSet((int) dv.getValueCount());
                ords.set((int) te.ord());
            }
        }
        return ords;
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(field)) visitor.visitLeaf(this);
    }

    @Override
    public String toString(String defaultField) {
        return field + ":/" + pattern.pattern() + "/ (doc values)";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && field.equals(((RegexOrdinalsQuery) o).field)
                && pattern.pattern().equals(((RegexOrdinalsQuery) o).pattern.pattern());
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), field, pattern.pattern());
    }
}

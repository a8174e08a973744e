package dev.strata.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Translates a list of Prometheus matchers into one Lucene query over series documents.
 *
 * <p>For each matcher let V be the set of non-empty values it accepts (indexed values are never
 * empty: an empty label is an absent label). A series without the label passes iff the matcher
 * accepts "". So a matcher that rejects "" becomes a required clause "value in V", and one that
 * accepts "" becomes an excluded clause "has the label with a value not in V". Examples:
 * {@code a="x"} -> FILTER a:x; {@code a=""} -> MUST_NOT exists(a); {@code a!="x"} -> MUST_NOT a:x;
 * {@code a!=""} -> FILTER exists(a); {@code a=~".*"} -> nothing; {@code a!~".*"} -> no series.
 */
final class MatcherQueries {
    private MatcherQueries() {}

    /** A set of non-empty label values: none, all, the values {@code query} matches, or its complement. */
    private record Values(boolean all, boolean none, Query query, boolean negated) {
        static final Values ALL = new Values(true, false, null, false);
        static final Values NONE = new Values(false, true, null, false);

        static Values of(Query q) {
            return new Values(false, false, q, false);
        }

        Values complement() {
            if (all) return NONE;
            if (none) return ALL;
            return new Values(false, false, query, !negated);
        }

        Query toQuery(String labelName) {
            if (all) return exists(labelName);
            if (none) return new MatchNoDocsQuery();
            if (!negated) return query;
            return new BooleanQuery.Builder()
                    .add(exists(labelName), Occur.FILTER)
                    .add(query, Occur.MUST_NOT)
                    .build();
        }
    }

    /** The query selecting every series matching all {@code matchers} (empty list: all series). */
    static Query build(IndexReader reader, List<Matcher> matchers) throws IOException {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        boolean required = false;
        for (Matcher m : matchers) {
            Values v = accepted(reader, m);
            if (m.matchesEmpty()) {
                Values rejected = v.complement();
                if (!rejected.none) b.add(rejected.toQuery(m.name()), Occur.MUST_NOT);
            } else {
                if (v.none) return new MatchNoDocsQuery();
                b.add(v.toQuery(m.name()), Occur.FILTER);
                required = true;
            }
        }
        if (!required) b.add(new MatchAllDocsQuery(), Occur.FILTER);
        return new ConstantScoreQuery(b.build());
    }

    static Query exists(String labelName) {
        return new FieldExistsQuery(IndexFields.labelField(labelName));
    }

    /** The non-empty values {@code m} accepts. */
    private static Values accepted(IndexReader reader, Matcher m) throws IOException {
        String field = IndexFields.labelField(m.name());
        return switch (m.type()) {
            case EQ -> m.value().isEmpty() ? Values.NONE : Values.of(new TermQuery(new Term(field, m.value())));
            case NEQ -> m.value().isEmpty() ? Values.ALL : Values.of(new TermQuery(new Term(field, m.value()))).complement();
            case RE -> regexValues(reader, field, m);
            case NRE -> regexValues(reader, field, m).complement();
        };
    }

    /**
     * The documents having a non-empty value of {@code m.name()} that {@code m}'s regex matches, by the
     * fast path for its shape or, if {@code general}, always by the general terms walk. For tests
     * comparing the two.
     */
    static Query regexMatchQuery(IndexReader reader, Matcher m, boolean general) throws IOException {
        String field = IndexFields.labelField(m.name());
        Values v = general ? generalRegex(reader, field, m, "") : regexValues(reader, field, m);
        return v.toQuery(m.name());
    }

    /** The non-empty values the regex of {@code m} matches, by the cheapest exact means. */
    private static Values regexValues(IndexReader reader, String field, Matcher m) throws IOException {
        RegexShape shape = RegexShape.of(m.value());
        switch (shape.kind()) {
            case LITERALS -> {
                TreeSet<String> set = new TreeSet<>(shape.literals());
                set.remove("");
                if (set.isEmpty()) return Values.NONE;
                if (set.size() == 1) return Values.of(new TermQuery(new Term(field, set.first())));
                List<BytesRef> terms = new ArrayList<>(set.size());
                for (String s : set) terms.add(new BytesRef(s));
                return Values.of(setQuery(field, terms));
            }
            case PREFIX -> {
                if (shape.prefix().isEmpty()) return Values.ALL;
                return Values.of(prefix(field, shape.prefix(), true));
            }
            case PREFIX_NONEMPTY -> {
                if (shape.prefix().isEmpty()) return Values.ALL;
                return Values.of(prefix(field, shape.prefix(), false));
            }
            default -> {
                return generalRegex(reader, field, m, shape.prefix());
            }
        }
    }

    /** The given values: postings of each term, or per-candidate ordinal checks when another clause leads. */
    private static Query setQuery(String field, List<BytesRef> terms) {
        return new IndexOrDocValuesQuery(new TermInSetQuery(field, terms), SortedDocValuesField.newSlowSetQuery(field, terms));
    }

    /**
     * Values starting with {@code prefix} (and, unless {@code includePrefix}, not equal to it). Lucene
     * picks per segment between walking the prefix's postings and, when another clause leads with
     * few documents, checking each candidate's value ordinal against the prefix's ordinal range
     * (sorted doc values: [prefix, prefix + 0xFF) in UTF-8 byte order, 0xFF never occurring in UTF-8).
     */
    private static Query prefix(String field, String prefix, boolean includePrefix) {
        BytesRef lower = new BytesRef(prefix);
        BytesRef upper = new BytesRef(java.util.Arrays.copyOf(lower.bytes, lower.length + 1));
        upper.bytes[lower.length] = (byte) 0xFF;
        Query index = new PrefixQuery(new Term(field, prefix), MultiTermQuery.CONSTANT_SCORE_REWRITE);
        if (!includePrefix) {
            index = new BooleanQuery.Builder()
                    .add(index, Occur.FILTER)
                    .add(new TermQuery(new Term(field, prefix)), Occur.MUST_NOT)
                    .build();
        }
        return new IndexOrDocValuesQuery(index, SortedDocValuesField.newSlowRangeQuery(field, lower, upper, includePrefix, false));
    }

    /**
     * The general path: walks the label's terms dictionary (from the literal prefix on) and keeps the
     * values the matcher's own anchored java.util.regex pattern accepts. Exact by construction (same
     * code as {@link Matcher#matches}); cost is proportional to the number of distinct values walked.
     */
    private static Values generalRegex(IndexReader reader, String field, Matcher m, String prefix) throws IOException {
        Terms terms = MultiTerms.getTerms(reader, field);
        if (terms == null) return Values.NONE;
        TermsEnum te = terms.iterator();
        BytesRef prefixBytes = new BytesRef(prefix);
        if (te.seekCeil(prefixBytes) == TermsEnum.SeekStatus.END) return Values.NONE;
        java.util.regex.Matcher rm = m.pattern().matcher("");
        List<BytesRef> matched = new ArrayList<>();
        for (BytesRef t = te.term(); t != null; t = te.next()) {
            if (!startsWith(t, prefixBytes)) break;
            String value = t.utf8ToString();
            if (rm.reset(value).matches()) matched.add(BytesRef.deepCopyOf(t));
        }
        if (matched.isEmpty()) return Values.NONE;
        if (matched.size() == 1) return Values.of(new TermQuery(new Term(field, matched.get(0))));
        return Values.of(new IndexOrDocValuesQuery(new TermInSetQuery(MultiTermQuery.CONSTANT_SCORE_REWRITE, field, matched),
                new RegexOrdinalsQuery(field, m.pattern(), prefix)));
    }

    static boolean startsWith(BytesRef t, BytesRef prefix) {
        if (t.length < prefix.length) return false;
        return java.util.Arrays.equals(t.bytes, t.offset, t.offset + prefix.length,
                prefix.bytes, prefix.offset, prefix.offset + prefix.length);
    }

}

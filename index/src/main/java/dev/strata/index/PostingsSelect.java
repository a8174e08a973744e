package dev.strata.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * Evaluates Prometheus matchers over {@link InMemoryPostings}: every matcher becomes a set of label
 * values (by the regex's cheapest exact shape, see {@link RegexShape}), and the selection is the
 * intersection of unions of those values' bitmaps.
 *
 * <p>Semantics: for a matcher let P be the non-empty values it
 * accepts (indexed values are never empty: an empty label is an absent label). A series without the
 * label passes iff the matcher accepts "". So a matcher that rejects "" keeps the series carrying a
 * value in P, and one that accepts "" removes the series carrying a value outside P.
 *
 * <p>Locking: each matcher is evaluated under its own label's read lock only, into a bitmap owned
 * by the caller, so no thread holds two label locks at once.
 */
final class PostingsSelect {
    /** Matchers with at most this many values intersect the running result value by value. */
    private static final int PER_VALUE_AND_MAX = 4;

    private PostingsSelect() {}

    /**
     * The present series with id below {@code limit} matching all {@code matchers}; {@code present}
     * tells present ids (ids may have gaps). A label's postings may cover more than {@code limit}
     * (a concurrent selection caught them up further); ids from there on are cut off, since the
     * postings of the other matchers' labels need not cover them (a series added meanwhile could
     * otherwise pass a matcher that would have removed it).
     */
    static RoaringBitmap select(InMemoryPostings postings, List<Matcher> matchers, int limit, boolean gaps,
                                IntPredicate present) throws IOException {
        List<Matcher> keeping = new ArrayList<>();
        List<Matcher> removing = new ArrayList<>();
        for (Matcher m : matchers) (m.matchesEmpty() ? removing : keeping).add(m);
        // Cheap, selective matchers first: equality, then literal sets, then the rest.
        keeping.sort(Comparator.comparingInt(PostingsSelect::costRank));
        RoaringBitmap result = null;
        for (Matcher m : keeping) {
            LabelPostings lp = postings.covering(m.name(), limit);
            lp.readLock().lock();
            try {
                result = keep(result, accepted(lp, m), lp);
            } finally {
                lp.readLock().unlock();
            }
            if (result.isEmpty()) return result;
        }
        if (result != null) result.remove((long) limit, 1L << 32);
        if (result == null) {
            result = RoaringBitmap.bitmapOfRange(0, limit);
            if (gaps) {
                for (int id = 0; id < limit; id++) if (!present.test(id)) result.remove(id);
            }
        }
        for (Matcher m : removing) {
            LabelPostings lp = postings.covering(m.name(), limit);
            lp.readLock().lock();
            try {
                remove(result, accepted(lp, m), lp);
            } finally {
                lp.readLock().unlock();
            }
            if (result.isEmpty()) return result;
        }
        return result;
    }

    private static int costRank(Matcher m) {
        if (m.type() == Matcher.Type.EQ) return 0;
        if (m.type() == Matcher.Type.RE && RegexShape.of(m.value()).kind() == RegexShape.Kind.LITERALS) return 1;
        return 2;
    }

    /**
     * A set of non-empty values of one label: {@code all}, or the listed values' bitmaps, or (when
     * {@code negated}) every value except the listed ones. Bitmaps belong to the postings: valid only
     * under its read lock, never modified.
     */
    private record Values(boolean all, List<RoaringBitmap> listed, boolean negated) {
        static Values everything() {
            return new Values(true, List.of(), false);
        }

        static Values of(List<RoaringBitmap> listed) {
            return new Values(false, listed, false);
        }

        Values complement() {
            if (all) return of(List.of());
            if (negated) return of(listed);
            if (listed.isEmpty()) return everything();
            return new Values(false, listed, true);
        }
    }

    /** result ∩ (series carrying a value in v); result null = every series. Returns a bitmap the caller owns. */
    private static RoaringBitmap keep(RoaringBitmap result, Values v, LabelPostings lp) {
        if (v.all) return result == null ? lp.exists().clone() : RoaringBitmap.and(result, lp.exists());
        if (v.negated) {
            RoaringBitmap r = result == null ? lp.exists().clone() : RoaringBitmap.and(result, lp.exists());
            for (RoaringBitmap bm : v.listed) r.andNot(bm);
            return r;
        }
        if (v.listed.isEmpty()) return new RoaringBitmap();
        if (result == null) {
            return v.listed.size() == 1 ? v.listed.get(0).clone() : FastAggregation.or(v.listed.iterator());
        }
        if (v.listed.size() <= PER_VALUE_AND_MAX) {
            RoaringBitmap r = RoaringBitmap.and(result, v.listed.get(0));
            for (int i = 1; i < v.listed.size(); i++) r.or(RoaringBitmap.and(result, v.listed.get(i)));
            return r;
        }
        RoaringBitmap union = FastAggregation.or(v.listed.iterator());
        union.and(result);
        return union;
    }

    /** result -= series carrying a value outside v (in place). */
    private static void remove(RoaringBitmap result, Values v, LabelPostings lp) {
        if (v.all) return;
        if (v.negated) {
            for (RoaringBitmap bm : v.listed) result.andNot(bm);
            return;
        }
        RoaringBitmap rejected = RoaringBitmap.and(result, lp.exists());
        for (RoaringBitmap bm : v.listed) rejected.andNot(bm);
        result.andNot(rejected);
    }

    /** The non-empty values of {@code lp} that {@code m} accepts. Caller holds the read lock. */
    private static Values accepted(LabelPostings lp, Matcher m) {
        return switch (m.type()) {
            case EQ -> m.value().isEmpty() ? Values.of(List.of()) : Values.of(single(lp, m.value()));
            case NEQ -> m.value().isEmpty() ? Values.everything() : Values.of(single(lp, m.value())).complement();
            case RE -> regexValues(lp, m);
            case NRE -> regexValues(lp, m).complement();
        };
    }

    private static List<RoaringBitmap> single(LabelPostings lp, String value) {
        RoaringBitmap bm = lp.get(value);
        return bm == null ? List.of() : List.of(bm);
    }

    /** The non-empty values the regex of {@code m} matches, by the cheapest exact means. */
    private static Values regexValues(LabelPostings lp, Matcher m) {
        RegexShape shape = RegexShape.of(m.value());
        List<RoaringBitmap> out = new ArrayList<>();
        switch (shape.kind()) {
            case LITERALS -> {
                TreeSet<String> set = new TreeSet<>(shape.literals());
                set.remove("");
                for (String s : set) {
                    RoaringBitmap bm = lp.get(s);
                    if (bm != null) out.add(bm);
                }
            }
            case PREFIX, PREFIX_NONEMPTY -> {
                String p = shape.prefix();
                boolean includePrefix = shape.kind() == RegexShape.Kind.PREFIX;
                if (p.isEmpty()) return Values.everything();
                for (Map.Entry<String, RoaringBitmap> e : lp.tail(p).entrySet()) {
                    if (!e.getKey().startsWith(p)) break;
                    if (includePrefix || e.getKey().length() > p.length()) out.add(e.getValue());
                }
            }
            default -> {
                // Walk the values from the literal prefix with the matcher's own anchored pattern:
                // exact by construction (same code as Matcher#matches).
                String p = shape.prefix();
                com.google.re2j.Matcher rm = m.pattern().matcher("");
                for (Map.Entry<String, RoaringBitmap> e : lp.tail(p).entrySet()) {
                    if (!e.getKey().startsWith(p)) break;
                    if (rm.reset(e.getKey()).matches()) out.add(e.getValue());
                }
            }
        }
        return Values.of(out);
    }
}

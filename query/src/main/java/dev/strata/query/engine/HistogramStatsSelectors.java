package dev.strata.query.engine;

import dev.strata.query.ast.BinaryExpr;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.ExprWalker;
import dev.strata.query.ast.SubqueryExpr;
import dev.strata.query.ast.VectorSelector;
import dev.strata.store.model.FloatHistogram;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;

/**
 * The selectors whose native histograms are read for their count and sum only, as Prometheus's engine
 * marks them ({@code detectHistogramStatsDecoding}): below {@code histogram_count}/{@code histogram_sum}/
 * {@code histogram_avg}, with no {@code histogram_quantile(s)}/{@code histogram_fraction}, trim operator or
 * subquery between. Prometheus reads those through its HistogramStatsIterator, which derives each
 * histogram's counter-reset hint from the previous histogram read where the stored hint is "unknown"
 * (the first sample of each TSDB chunk reads as "unknown"); other reads keep the stored hint. The
 * counter-reset collision warnings of sum/avg depend on that, so Strata derives the hints the same way
 * for those selectors ({@link #deriveResetHints}).
 */
final class HistogramStatsSelectors {
    private HistogramStatsSelectors() {}

    /** The marked selectors of {@code root}, by identity (equal selectors elsewhere in the query are not marked). */
    static Set<VectorSelector> of(Expr root) {
        Set<VectorSelector> out = Collections.newSetFromMap(new IdentityHashMap<>());
        walk(root, new ArrayDeque<>(), out);
        return out;
    }

    private static void walk(Expr e, Deque<Expr> path, Set<VectorSelector> out) {
        if (e instanceof VectorSelector vs) {
            if (statsOnly(path)) out.add(vs);
            return;
        }
        path.push(e);
        for (Expr child : ExprWalker.children(e)) walk(child, path, out);
        path.pop();
    }

    /** Walks up from the selector's parent: the nearest deciding node wins, a count/sum call keeps walking. */
    private static boolean statsOnly(Deque<Expr> path) {
        boolean skip = false;
        for (Iterator<Expr> it = path.iterator(); it.hasNext(); ) { // nearest ancestor first
            Expr p = it.next();
            if (p instanceof SubqueryExpr) return false;
            if (p instanceof BinaryExpr b && (b.op().equals("</") || b.op().equals(">/"))) return false;
            if (p instanceof Call c) {
                switch (c.function().name()) {
                    case "histogram_count", "histogram_sum", "histogram_avg" -> skip = true;
                    case "histogram_quantile", "histogram_quantiles", "histogram_fraction" -> {
                        return false;
                    }
                    default -> { }
                }
            }
        }
        return skip;
    }

    /**
     * {@code h[0..n)} with each histogram that has an "unknown" hint and follows a histogram replaced by a
     * copy hinted "reset" or "not a reset" ({@link HistogramMath#detectReset}); null entries are float
     * samples and break the chain. Returns {@code h} itself when nothing changes, else a new array (the
     * caller's array and the stored histograms are never written).
     */
    static FloatHistogram[] deriveResetHints(FloatHistogram[] h, int n) {
        if (h == null) return null;
        FloatHistogram[] out = h;
        FloatHistogram prev = null;
        for (int i = 0; i < n; i++) {
            FloatHistogram cur = h[i];
            if (cur != null && prev != null && cur.resetHint() == FloatHistogram.ResetHint.UNKNOWN) {
                if (out == h) out = java.util.Arrays.copyOf(h, h.length);
                out[i] = cur.withResetHint(HistogramMath.detectReset(cur, prev) ? FloatHistogram.ResetHint.YES : FloatHistogram.ResetHint.NO);
            }
            prev = cur;
        }
        return out;
    }
}

package dev.strata.query.promqltest;

import dev.strata.index.Matcher;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.ExprWalker;
import dev.strata.query.ast.VectorSelector;
import dev.strata.query.parser.ParseException;
import dev.strata.query.parser.Parser;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;

/** Which evals involve native histograms: the runner counts their failures apart from the float ones. */
final class HistogramEvals {
    private HistogramEvals() {}

    /** Whether {@code e} involves native histograms: in its expectation or in the series it selects. */
    static boolean readsHistograms(Script.Eval e, List<Labels> histogramSeries) {
        return e.hasHistograms() || e.expr().contains("</") || e.expr().contains(">/")
                || touchesHistograms(e.expr(), histogramSeries);
    }

    static boolean touchesHistograms(String expr, List<Labels> hist) {
        if (hist.isEmpty()) return false;
        Expr e;
        try {
            e = Parser.parse(expr);
        } catch (ParseException ex) {
            return false;
        }
        List<VectorSelector> sels = new ArrayList<>();
        collectSelectors(e, sels);
        for (VectorSelector vs : sels) {
            for (Labels l : hist) {
                boolean all = true;
                for (Matcher m : vs.matchers()) {
                    if (!m.matches(l.get(m.name()))) {
                        all = false;
                        break;
                    }
                }
                if (all) return true;
            }
        }
        return false;
    }

    private static void collectSelectors(Expr e, List<VectorSelector> out) {
        ExprWalker.inspect(e, x -> {
            if (x instanceof VectorSelector vs) out.add(vs);
            return true;
        });
    }
}

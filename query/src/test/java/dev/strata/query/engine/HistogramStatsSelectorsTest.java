package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.strata.query.ast.Expr;
import dev.strata.query.ast.ExprWalker;
import dev.strata.query.ast.VectorSelector;
import dev.strata.query.parser.Parser;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which selectors Prometheus reads for count and sum only, and the reset hints derived for them. */
class HistogramStatsSelectorsTest {
    /** The names of the marked selectors, in source order. */
    private static List<String> marked(String query) {
        Expr e = Parser.parse(query);
        var set = HistogramStatsSelectors.of(e);
        List<String> out = new ArrayList<>();
        ExprWalker.inspect(e, n -> {
            if (n instanceof VectorSelector vs && set.contains(vs)) out.add(vs.name());
            return true;
        });
        return out;
    }

    @Test
    void marksSelectorsBelowCountSumAvgUnlessBucketsAreNeeded() {
        assertEquals(List.of("a"), marked("histogram_count(sum(a))"));
        assertEquals(List.of("a"), marked("histogram_sum(rate(a[5m]))"));
        assertEquals(List.of("a"), marked("histogram_avg(a) + histogram_quantile(0.9, b)"));
        assertEquals(List.of(), marked("histogram_quantile(0.9, histogram_count(a))"));
        assertEquals(List.of(), marked("histogram_count(a </ 3)"));
        assertEquals(List.of(), marked("max_over_time(histogram_count(a)[5m:1m])"));
        assertEquals(List.of(), marked("sum(a)"));
        // Equal selectors elsewhere in the query are not marked (identity, not equality).
        assertEquals(List.of("a"), marked("histogram_count(a) + sum(a)"));
    }

    private static FloatHistogram h(double count, ResetHint hint) {
        return new FloatHistogram(hint, 0, 0, 0, count, count, new int[] {0}, new int[] {1}, new double[] {count}, null, null, null, null);
    }

    @Test
    void unknownHintsAfterAHistogramBecomeResetOrNotResetInACopy() {
        FloatHistogram[] in = {h(5, ResetHint.UNKNOWN), h(7, ResetHint.UNKNOWN), h(2, ResetHint.UNKNOWN), null,
                h(1, ResetHint.UNKNOWN), h(0, ResetHint.GAUGE)};
        FloatHistogram[] before = in.clone();
        FloatHistogram[] out = HistogramStatsSelectors.deriveResetHints(in, in.length);
        assertNotSame(in, out);
        for (int i = 0; i < in.length; i++) assertSame(before[i], in[i], "the caller's array is not written");
        assertEquals(ResetHint.UNKNOWN, out[0].resetHint(), "first histogram: nothing to compare with");
        assertEquals(ResetHint.NO, out[1].resetHint());
        assertEquals(ResetHint.YES, out[2].resetHint(), "the count went down");
        assertEquals(ResetHint.UNKNOWN, out[4].resetHint(), "a float sample breaks the chain");
        assertEquals(ResetHint.GAUGE, out[5].resetHint(), "explicit hints stay");
        FloatHistogram[] none = {h(1, ResetHint.NO)};
        assertSame(none, HistogramStatsSelectors.deriveResetHints(none, 1), "nothing to derive: the same array");
    }
}

package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.parser.Parser;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both name-removal modes ({@link QueryOptions#delayedNameRemoval()}) on every family of functions and
 * operators: immediate (the default, stock Prometheus) drops {@code __name__} in the node that changes a
 * value's meaning and fails where two series then share a label set; delayed keeps the name until the
 * query finishes. Each case gives the answer of both modes; "error" is Prometheus's same-labelset error.
 */
class NameDroppingTest {
    private static final String DUP = "error: " + NameDropping.DUPLICATE_LABELSET;
    /** Query time: 10 minutes into the data. */
    private static final long T = 600_000;

    private final InMemoryQueryable store = new InMemoryQueryable();

    NameDroppingTest() {
        for (int i = 0; i <= 40; i++) {
            long t = i * 15_000L;
            store.append(Labels.of("__name__", "a_total", "x", "1"), t, i);
            store.append(Labels.of("__name__", "b_total", "x", "1"), t, 2 * i);
            store.append(Labels.of("__name__", "g", "x", "1"), t, 2);
            store.append(Labels.of("__name__", "h", "x", "1"), t, -3);
            store.append(Labels.of("__name__", "hist_bucket", "x", "1", "le", "1"), t, 1);
            store.append(Labels.of("__name__", "hist_bucket", "x", "1", "le", "+Inf"), t, 2);
            store.append(Labels.of("__name__", "other_bucket", "x", "1", "le", "1"), t, 1);
            store.append(Labels.of("__name__", "other_bucket", "x", "1", "le", "+Inf"), t, 4);
            // p in the first minute only, q in the last two: no step of a range query sees both.
            if (t <= 60_000) store.append(Labels.of("__name__", "p_total", "x", "1"), t, i);
            if (t >= 480_000) store.append(Labels.of("__name__", "q_total", "x", "1"), t, i);
        }
    }

    private String instant(String q, boolean delayed) {
        Engine engine = new Engine(store, QueryOptions.defaults().withDelayedNameRemoval(delayed));
        try {
            Value v = engine.instantQuery(q, T).value();
            List<String> out = new ArrayList<>();
            for (Sample s : ((Vector) v).samples()) out.add(LabelSets.format(s.metric()) + " " + Aggregations.formatValue(s.value()));
            return String.join("; ", out);
        } catch (QueryException e) {
            assertEquals("execution", e.errorType(), q);
            return "error: " + e.getMessage();
        }
    }

    private String range(String q, boolean delayed) {
        Engine engine = new Engine(store, QueryOptions.defaults().withDelayedNameRemoval(delayed));
        try {
            Value v = engine.rangeQuery(q, 0, T, 60_000).value();
            List<String> out = new ArrayList<>();
            for (SeriesPoints s : ((Matrix) v).series()) out.add(LabelSets.format(s.metric()) + " x" + s.size());
            return String.join("; ", out);
        } catch (QueryException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Asserts the answer with names dropped at once (the default) and with delayed name removal. */
    private void check(String q, String immediate, String delayed) {
        assertEquals(immediate, instant(q, false), "immediate: " + q);
        assertEquals(delayed, instant(q, true), "delayed: " + q);
    }

    @Test
    void theDefaultIsStockPrometheus() {
        assertFalse(QueryOptions.defaults().delayedNameRemoval());
        assertFalse(new QueryOptions(1, 1, 1, 1).delayedNameRemoval());
        assertTrue(QueryOptions.defaults().withDelayedNameRemoval(true).withMaxSamples(5).delayedNameRemoval());
    }

    @Test
    void rangeFunctions() {
        check("rate(a_total[5m])", "{x=\"1\"} 0.06666666666666667", "{x=\"1\"} 0.06666666666666667");
        check("sum(rate({x=\"1\", __name__=~\"a_total|b_total\"}[5m]))", DUP, "{} 0.2");
        check("sum(count_over_time({x=\"1\"}[5m]))", DUP, "{} 169");
        check("sum(present_over_time({__name__=~\"g|h\"}[5m]))", DUP, "{} 2");
        // Without sum the delayed mode fails too, when the query finishes.
        check("rate({__name__=~\"a_total|b_total\"}[5m])", DUP, DUP);
        // last_over_time and first_over_time keep the name in both modes.
        check("last_over_time({__name__=~\"g|h\"}[5m])", "{__name__=\"g\", x=\"1\"} 2; {__name__=\"h\", x=\"1\"} -3",
                "{__name__=\"g\", x=\"1\"} 2; {__name__=\"h\", x=\"1\"} -3");
        check("label_replace(rate(a_total[5m]), \"m\", \"$1\", \"__name__\", \"(.*)\")",
                "{x=\"1\"} 0.06666666666666667", "{m=\"a_total\", x=\"1\"} 0.06666666666666667");
    }

    @Test
    void mathFunctions() {
        check("sum(abs({__name__=~\"g|h\"}))", DUP, "{} 5");
        check("sum(clamp({__name__=~\"g|h\"}, 0, 1))", DUP, "{} 1");
        check("sum(minute({__name__=~\"g|h\"}))", DUP, "{} 59");
        check("sum(timestamp({__name__=~\"g|h\"}))", DUP, "{} 1200");
        check("label_join(abs(g), \"m\", \",\", \"__name__\")", "{x=\"1\"} 2", "{m=\"g\", x=\"1\"} 2");
        // A function over one metric: the same answer in both modes.
        check("abs(h)", "{x=\"1\"} 3", "{x=\"1\"} 3");
    }

    @Test
    void unaryMinus() {
        check("sum(-{__name__=~\"g|h\"})", DUP, "{} 1");
        check("label_replace(-g, \"m\", \"$1\", \"__name__\", \"(.*)\")", "{x=\"1\"} -2", "{m=\"g\", x=\"1\"} -2");
    }

    @Test
    void arithmeticAndComparison() {
        // Vector and scalar.
        check("{__name__=~\"g|h\"} * 2", DUP, DUP);
        check("sum({__name__=~\"g|h\"} * 2)", DUP, "{} -2");
        check("label_replace(g * 2, \"m\", \"$1\", \"__name__\", \"(.*)\")", "{x=\"1\"} 4", "{m=\"g\", x=\"1\"} 4");
        // Comparisons keep the name, with bool they drop it.
        check("{__name__=~\"g|h\"} > 0", "{__name__=\"g\", x=\"1\"} 2", "{__name__=\"g\", x=\"1\"} 2");
        check("sum({__name__=~\"g|h\"} > bool 0)", DUP, "{} 1");
        check("label_replace(g > bool 0, \"m\", \"$1\", \"__name__\", \"(.*)\")", "{x=\"1\"} 1", "{m=\"g\", x=\"1\"} 1");
        // Vector and vector: arithmetic drops the name at once in both modes (Prometheus's resultMetric),
        // a bool comparison only in the immediate mode.
        check("label_replace(g + h, \"m\", \"$1\", \"__name__\", \"(.*)\")", "{x=\"1\"} -1", "{x=\"1\"} -1");
        check("label_replace(g > bool h, \"m\", \"$1\", \"__name__\", \"(.*)\")", "{x=\"1\"} 1", "{m=\"g\", x=\"1\"} 1");
        check("g > h", "{__name__=\"g\", x=\"1\"} 2", "{__name__=\"g\", x=\"1\"} 2");
        // One-to-one on(...) keeps only the on labels, so no name (Prometheus 2 and 3).
        check("g > on(x) h", "{x=\"1\"} 2", "{x=\"1\"} 2");
        // Many-to-one: the result labels lose the name before the uniqueness check.
        check("{__name__=~\"g|h\"} > bool on(x) group_left g",
                "error: multiple matches for labels: grouping labels must ensure unique matches", DUP);
        check("{__name__=~\"g|h\"} + on(x) group_left g",
                "error: multiple matches for labels: grouping labels must ensure unique matches",
                "error: multiple matches for labels: grouping labels must ensure unique matches");
    }

    @Test
    void labelReplaceAndJoin() {
        // Setting __name__ brings a name back that the end of the query keeps.
        check("label_replace(rate(a_total[5m]), \"__name__\", \"r\", \"\", \"\")",
                "{__name__=\"r\", x=\"1\"} 0.06666666666666667", "{__name__=\"r\", x=\"1\"} 0.06666666666666667");
        check("label_join(rate(a_total[5m]), \"__name__\", \"\", \"x\")",
                "{__name__=\"1\", x=\"1\"} 0.06666666666666667", "{__name__=\"1\", x=\"1\"} 0.06666666666666667");
        // Two metrics made one by label_replace: an error in both modes.
        check("label_replace({__name__=~\"g|h\"}, \"__name__\", \"same\", \"\", \"\")", DUP, DUP);
    }

    @Test
    void aggregations() {
        check("sum by (__name__) (abs(g))", "{} 2", "{} 2");
        check("sum by (__name__) ({__name__=~\"g|h\"})", "{__name__=\"g\"} 2; {__name__=\"h\"} -3",
                "{__name__=\"g\"} 2; {__name__=\"h\"} -3");
        check("label_replace(topk(1, abs(g)), \"m\", \"$1\", \"__name__\", \"(.*)\")", "{x=\"1\"} 2", "{m=\"g\", x=\"1\"} 2");
        check("count_values(\"v\", abs({__name__=~\"g|h\"}))", DUP, "{v=\"2\"} 1; {v=\"3\"} 1");
    }

    @Test
    void absent() {
        check("absent(nonexistent{x=\"1\"})", "{x=\"1\"} 1", "{x=\"1\"} 1");
        // abs() already fails in the immediate mode; the delayed mode sees two series, so nothing is absent.
        check("absent(abs({__name__=~\"g|h\"}))", DUP, "");
        check("absent_over_time(rate(nonexistent[5m])[5m:])", "{} 1", "{} 1");
    }

    @Test
    void subqueries() {
        check("sum(max_over_time(abs({__name__=~\"g|h\"})[5m:1m]))", DUP, "{} 5");
        // last_over_time keeps the mark: the delayed name is still there for label_replace.
        check("label_replace(last_over_time(abs(g)[5m:1m]), \"m\", \"$1\", \"__name__\", \"(.*)\")",
                "{x=\"1\"} 2", "{m=\"g\", x=\"1\"} 2");
        check("sum(rate({__name__=~\"a_total|b_total\"}[5m:1m]))", DUP, "{} 0.2");
    }

    @Test
    void histogramQuantile() {
        check("sum(histogram_quantile(0.5, {__name__=~\"hist_bucket|other_bucket\"}))", DUP, "{} 2");
        check("histogram_quantile(0.5, hist_bucket)", "{x=\"1\"} 1", "{x=\"1\"} 1");
    }

    @Test
    void rangeQueriesMergeOperatorOutputsButNotRangeFunctionOutputs() {
        // p and q never share a step: an operator's outputs with one label set merge into one series ...
        assertEquals("{x=\"1\"} x9", range("abs({__name__=~\"p_total|q_total\"})", false));
        assertEquals("{x=\"1\"} x9", range("abs({__name__=~\"p_total|q_total\"})", true));
        // ... a range function's output may not hold them at all (Prometheus checks its whole matrix).
        assertEquals(DUP, range("rate({__name__=~\"p_total|q_total\"}[1m])", false));
        assertEquals("{x=\"1\"} x3", range("rate({__name__=~\"p_total|q_total\"}[1m])", true));
        // Where they share a step it is an error in both modes.
        assertEquals(DUP, range("abs({__name__=~\"g|h\"})", false));
        assertEquals(DUP, range("abs({__name__=~\"g|h\"})", true));
    }

    @Test
    void whatMayMergeSeriesInACluster() {
        for (String q : List.of("rate({job=\"x\"}[5m])", "abs({__name__=~\"a|b\"})", "-{job=\"x\"}", "{job=\"x\"} * 2",
                "{job=\"x\"} > bool 1", "sum_over_time({job=\"x\"}[1m])")) {
            assertTrue(NameDropping.mayMergeSeries(Parser.parse(q)), q);
        }
        for (String q : List.of("rate(m[5m])", "abs(m{job=\"x\"})", "{job=\"x\"}", "{job=\"x\"} > 1",
                "last_over_time({job=\"x\"}[5m])", "-(m * 2)", "{__name__=\"m\"} / 3")) {
            assertFalse(NameDropping.mayMergeSeries(Parser.parse(q)), q);
        }
    }
}

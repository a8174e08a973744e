package dev.strata.query.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.parser.Parser;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregationPushdownTest {

    private static AggregationPushdown.Rewrite rewrite(String q) {
        return AggregationPushdown.rewrite(Parser.parse(q));
    }

    @Test
    void perSeriesAggregationsArePushedDown() {
        for (String q : List.of("sum by (job) (rate(m[5m]))", "(count(up{job=\"a\"}))", "max without (instance) (max_over_time(x[1m] offset 5m))",
                "group(x)", "min by (a) ((increase(c_total[10m])))", "avg(m)", "topk(3, m)", "bottomk by (a) (1, rate(m[1m]))",
                "limitk(2, m)", "limit_ratio(0.1, m)", "count_values(\"v\", m)", "stddev(m)", "stdvar by (x) (m)",
                "sum(abs(m))", "sum(m * 2)", "sum(-m)", "sum(clamp(m, 0, 1))", "sum(m > 3)")) {
            assertEquals(1, rewrite(q).pushed().size(), q);
        }
        AggregationPushdown.Pushed p = rewrite("sum(rate(m{job=\"x\"}[5m]))").pushed().get(0);
        assertEquals("sum", p.aggregate().op());
        assertEquals(2, p.matchers().size());
    }

    @Test
    void theRestOfTheQueryIsEvaluatedOverPlaceholders() {
        AggregationPushdown.Rewrite rw = rewrite("max by (x) (sum by (x, y) (rate(m[5m]))) / sum(n)");
        assertEquals(2, rw.pushed().size());
        assertEquals("max by (x) (__strata_pushdown_0) / __strata_pushdown_1", rw.expr().toString());
        // topk is applied again to the union of the owners' top k
        assertEquals("topk by (a) (5, __strata_pushdown_0)", rewrite("topk by (a) (5, m)").expr().toString());
    }

    @Test
    void avgAndVarianceAreSentAsTheirParts() {
        AggregationPushdown.Pushed p = rewrite("avg by (zone) (rate(m[5m]))").pushed().get(0);
        assertEquals(AggregationPushdown.Merge.AVG, p.merge());
        assertEquals(Parser.parse("sum by (zone) (rate(m[5m]))").toString(), p.as("sum"));
        assertEquals(Parser.parse("count by (zone) (rate(m[5m]))").toString(), p.as("count"));
        AggregationPushdown.Pushed v = rewrite("stddev by (zone) (m)").pushed().get(0);
        assertEquals(AggregationPushdown.Merge.VARIANCE, v.merge());
        Parser.parse(v.varianceParts()); // valid PromQL
    }

    @Test
    void crossSeriesSubqueryAndQuantileAreNot() {
        for (String q : List.of("rate(m[5m])", "sum(a / b)", "topk(scalar(x), m)", "sum(rate(m[5m:1m]))", "quantile(0.9, m)",
                "sum(quantile_over_time(0.5, m[5m]))", "max_over_time(sum(m)[5m:1m])", "sum(label_replace(m, \"a\", \"b\", \"c\", \"d\"))",
                "count_values(\"v\", m / on (x) n)")) {
            assertTrue(rewrite(q).pushed().isEmpty(), q);
        }
    }

    @Test
    void partialsMerge() {
        assertEquals(5.0, AggregationPushdown.fold("sum", 2, 3));
        assertEquals(5.0, AggregationPushdown.fold("count", 2, 3));
        assertEquals(2.0, AggregationPushdown.fold("min", 2, 3));
        assertEquals(3.0, AggregationPushdown.fold("max", 2, 3));
        assertEquals(1.0, AggregationPushdown.fold("group", 1, 1));
    }

    @Test
    void varianceOfTheUnionFromPartsMatchesTheDirectOne() {
        double[] a = {1e9 + 1, 1e9 + 2, 1e9 + 4}, b = {1e9 + 8, 1e9 - 3};
        double[] all = {1e9 + 1, 1e9 + 2, 1e9 + 4, 1e9 + 8, 1e9 - 3};
        double direct = variance(all);
        double merged = AggregationPushdown.mergedVariance(new double[] {3, 2}, new double[] {mean(a), mean(b)},
                new double[] {variance(a), variance(b)});
        assertEquals(direct, merged, 1e-6 * direct);
        assertEquals(0.0, AggregationPushdown.mergedVariance(new double[] {3, 4}, new double[] {0.1, 0.1}, new double[] {0, 0}));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x - 1e9;
        return 1e9 + s / v.length;
    }

    private static double variance(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return s / v.length;
    }
}

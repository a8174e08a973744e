package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.parser.Parser;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregationPushdownTest {

    @Test
    void perSeriesAggregationsArePushedDown() {
        for (String q : List.of("sum by (job) (rate(m[5m]))", "(count(up{job=\"a\"}))", "max without (instance) (max_over_time(x[1m] offset 5m))",
                "group(x)", "min by (a) ((increase(c_total[10m])))", "avg(m)")) {
            assertTrue(AggregationPushdown.plan(Parser.parse(q)).isPresent(), q);
        }
        assertEquals("sum", AggregationPushdown.plan(Parser.parse("sum(rate(m{job=\"x\"}[5m]))")).orElseThrow().op());
        assertEquals(2, AggregationPushdown.plan(Parser.parse("sum(rate(m{job=\"x\"}[5m]))")).orElseThrow().matchers().size());
    }

    @Test
    void avgIsSplitIntoSumAndCountOfTheSameGrouping() {
        AggregationPushdown.Plan p = AggregationPushdown.plan(Parser.parse("avg by (zone) (rate(m[5m]))")).orElseThrow();
        assertEquals("avg", p.op());
        assertEquals(Parser.parse("sum by (zone) (rate(m[5m]))").toString(), p.as("sum"));
        assertEquals(Parser.parse("count by (zone) (rate(m[5m]))").toString(), p.as("count"));
    }

    @Test
    void crossSeriesOrParameterisedQueriesAreNot() {
        for (String q : List.of("rate(m[5m])", "topk(3, m)", "sum(a / b)", "sum(sum by (x) (m))",
                "sum(rate(m[5m:1m]))", "quantile(0.9, m)", "count_values(\"v\", m)", "sum(quantile_over_time(0.5, m[5m]))",
                "sum(m) + 1", "sum(abs(m))")) {
            assertTrue(AggregationPushdown.plan(Parser.parse(q)).isEmpty(), q);
        }
    }

    @Test
    void partialsMerge() {
        assertEquals(5.0, AggregationPushdown.merge("sum", 2, 3));
        assertEquals(5.0, AggregationPushdown.merge("count", 2, 3));
        assertEquals(2.0, AggregationPushdown.merge("min", 2, 3));
        assertEquals(3.0, AggregationPushdown.merge("max", 2, 3));
        assertEquals(1.0, AggregationPushdown.merge("group", 1, 1));
    }
}

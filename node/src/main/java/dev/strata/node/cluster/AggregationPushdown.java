package dev.strata.node.cluster;

import dev.strata.index.Matcher;
import dev.strata.query.ast.AggregateExpr;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.MatrixSelector;
import dev.strata.query.ast.ParenExpr;
import dev.strata.query.ast.Printer;
import dev.strata.query.ast.VectorSelector;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises queries whose whole work can be split by shard and merged: a top-level
 * {@code sum|min|max|count|group [by|without (...)] (<per-series expression>)}, where the per-series
 * expression is a vector selector or a range function over a matrix selector (rate, increase, ...,
 * {@code *_over_time}). Each owner evaluates the query on its shards and sends the aggregated series
 * only; the asking node merges the partial aggregates (sum and count add, min/max take the extreme,
 * group is 1, avg is the merged sum over the merged count). Anything else is not pushed down (the raw series are fetched instead).
 */
final class AggregationPushdown {
    /**
     * A query that can be pushed down: the aggregation, the selector's matchers (for shard pruning) and
     * the aggregate itself. {@code avg} is evaluated as a {@code sum} and a {@code count} of the same
     * expression ({@link #as}), merged, then divided.
     */
    record Plan(String op, List<Matcher> matchers, AggregateExpr aggregate) {
        /** The query text of this aggregation with another operator (same grouping and argument). */
        String as(String otherOp) {
            return Printer.print(new AggregateExpr(otherOp, aggregate.expr(), null, aggregate.grouping(),
                    aggregate.without(), aggregate.hasGrouping()));
        }
    }

    private static final Set<String> OPS = Set.of("sum", "min", "max", "count", "group", "avg");
    /** Functions of one range vector that compute each series from that series alone. */
    private static final Set<String> RANGE_FUNCTIONS = Set.of("rate", "irate", "increase", "delta", "idelta", "deriv",
            "changes", "resets", "sum_over_time", "count_over_time", "min_over_time", "max_over_time", "avg_over_time",
            "last_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time");

    private AggregationPushdown() {}

    static Optional<Plan> plan(Expr e) {
        e = unwrap(e);
        if (!(e instanceof AggregateExpr a) || !OPS.contains(a.op()) || a.param() != null) return Optional.empty();
        Expr inner = unwrap(a.expr());
        if (inner instanceof VectorSelector vs) return Optional.of(new Plan(a.op(), vs.matchers(), a));
        if (inner instanceof Call c && RANGE_FUNCTIONS.contains(c.function().name()) && c.args().size() == 1
                && unwrap(c.args().get(0)) instanceof MatrixSelector ms) {
            return Optional.of(new Plan(a.op(), ms.selector().matchers(), a));
        }
        return Optional.empty();
    }

    private static Expr unwrap(Expr e) {
        while (e instanceof ParenExpr p) e = p.expr();
        return e;
    }

    /** Merges one partial value into the running one. */
    static double merge(String op, double acc, double v) {
        return switch (op) {
            case "sum", "count" -> acc + v;
            case "min" -> Double.isNaN(acc) || v < acc ? v : acc;
            case "max" -> Double.isNaN(acc) || v > acc ? v : acc;
            case "group" -> 1;
            default -> throw new IllegalArgumentException("not a pushed-down aggregation: " + op);
        };
    }
}

package dev.strata.query.ast;

import java.util.List;

/**
 * {@code op by|without (grouping) (param, expr)}. {@code param} is null for aggregations without one;
 * {@code grouping} is empty and {@code hasGrouping} false when no clause was written.
 */
public record AggregateExpr(String op, Expr expr, Expr param, List<String> grouping, boolean without,
                            boolean hasGrouping) implements Expr {
    public AggregateExpr {
        grouping = List.copyOf(grouping);
    }

    @Override public ValueType type() { return ValueType.VECTOR; }
    @Override public String toString() { return Printer.print(this); }
}

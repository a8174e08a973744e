package dev.strata.query.ast;

/** {@code -expr} or {@code +expr}. */
public record UnaryExpr(String op, Expr expr) implements Expr {
    @Override public ValueType type() { return expr.type(); }
    @Override public String toString() { return Printer.print(this); }
}

package dev.strata.query.ast;

public record ParenExpr(Expr expr) implements Expr {
    @Override public ValueType type() { return expr.type(); }
    @Override public String toString() { return Printer.print(this); }
}

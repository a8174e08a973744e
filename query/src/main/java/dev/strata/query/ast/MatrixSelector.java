package dev.strata.query.ast;

/** A range vector selector {@code vs[range]}; offset and @ live on the inner selector. */
public record MatrixSelector(VectorSelector selector, DurationExpr range) implements Expr {
    @Override public ValueType type() { return ValueType.MATRIX; }
    @Override public String toString() { return Printer.print(this); }
}

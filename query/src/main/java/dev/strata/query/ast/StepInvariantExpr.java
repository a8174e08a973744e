package dev.strata.query.ast;

/** Marks a subtree whose value does not change across steps (e.g. everything pinned with {@code @}). */
public record StepInvariantExpr(Expr expr) implements Expr {
    @Override public ValueType type() { return expr.type(); }
    @Override public String toString() { return expr.toString(); }
}

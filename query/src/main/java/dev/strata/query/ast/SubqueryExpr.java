package dev.strata.query.ast;

/** {@code expr[range:step] offset d @ t}; {@code step} null = the engine's default subquery step. */
public record SubqueryExpr(Expr expr, DurationExpr range, DurationExpr step, DurationExpr offset, AtModifier at)
        implements Expr {
    @Override public ValueType type() { return ValueType.MATRIX; }
    public SubqueryExpr withOffset(DurationExpr o) { return new SubqueryExpr(expr, range, step, o, at); }
    public SubqueryExpr withAt(AtModifier a) { return new SubqueryExpr(expr, range, step, offset, a); }
    @Override public String toString() { return Printer.print(this); }
}

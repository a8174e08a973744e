package dev.strata.query.ast;

/** A float literal: {@code 1}, {@code 0x1f}, {@code Inf}, {@code 5m} (a duration used as seconds). */
public record NumberLiteral(double value) implements Expr {
    @Override public ValueType type() { return ValueType.SCALAR; }
    @Override public String toString() { return Printer.print(this); }
}

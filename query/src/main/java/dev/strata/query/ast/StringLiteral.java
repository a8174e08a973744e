package dev.strata.query.ast;

/** A string literal (already unescaped). */
public record StringLiteral(String value) implements Expr {
    @Override public ValueType type() { return ValueType.STRING; }
    @Override public String toString() { return Printer.print(this); }
}

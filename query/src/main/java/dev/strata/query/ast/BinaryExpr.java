package dev.strata.query.ast;

/**
 * {@code lhs op rhs}. {@code matching} is null when at least one side is a scalar; {@code returnBool}
 * for comparison operators with the {@code bool} modifier.
 */
public record BinaryExpr(String op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool,
                         boolean explicitMatching) implements Expr {
    @Override public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    public static boolean isComparison(String op) {
        return switch (op) {
            case "==", "!=", "<", "<=", ">", ">=" -> true;
            default -> false;
        };
    }

    public static boolean isSetOperator(String op) {
        return op.equals("and") || op.equals("or") || op.equals("unless");
    }

    @Override public String toString() { return Printer.print(this); }
}

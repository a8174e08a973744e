package dev.strata.query.ast;

/**
 * A node of a PromQL expression tree. Nodes are immutable records; {@link #toString()} prints the
 * canonical PromQL form (as Prometheus's {@code String()}), see {@link Printer}.
 */
public sealed interface Expr permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr,
        ParenExpr, UnaryExpr, BinaryExpr, AggregateExpr, Call, StepInvariantExpr {
    ValueType type();
}

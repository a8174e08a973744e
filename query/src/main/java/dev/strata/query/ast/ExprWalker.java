package dev.strata.query.ast;

import java.util.List;
import java.util.function.Predicate;

/**
 * The one walk over an expression tree (Prometheus's {@code parser.Children} and {@code parser.Inspect}).
 * Passes that only look at nodes use {@link #inspect}; passes that rebuild nodes (rewrites) or print them
 * switch on the node type themselves, since each node is rebuilt or printed differently.
 */
public final class ExprWalker {
    private ExprWalker() {}

    /**
     * The direct sub-expressions of {@code e}, in source order: an aggregation's argument then its
     * parameter (as Prometheus), a binary expression's two sides, a call's arguments, a range selector's
     * vector selector, the inner expression of a subquery, parenthesis, unary or step-invariant node.
     */
    public static List<Expr> children(Expr e) {
        if (e instanceof AggregateExpr a) return a.param() == null ? List.of(a.expr()) : List.of(a.expr(), a.param());
        if (e instanceof BinaryExpr b) return List.of(b.lhs(), b.rhs());
        if (e instanceof Call c) return c.args();
        if (e instanceof MatrixSelector m) return List.of(m.selector());
        if (e instanceof SubqueryExpr s) return List.of(s.expr());
        if (e instanceof ParenExpr p) return List.of(p.expr());
        if (e instanceof UnaryExpr u) return List.of(u.expr());
        if (e instanceof StepInvariantExpr s) return List.of(s.expr());
        return List.of(); // NumberLiteral, StringLiteral, VectorSelector: leaves
    }

    /**
     * Visits {@code e} and its sub-expressions depth-first, parents before children. When
     * {@code visitor} answers false for a node, that node's children are skipped.
     */
    public static void inspect(Expr e, Predicate<Expr> visitor) {
        if (!visitor.test(e)) return;
        for (Expr child : children(e)) inspect(child, visitor);
    }
}

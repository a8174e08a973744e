package dev.strata.query.ast;

/**
 * Prints an expression over several lines the way Prometheus's {@code /api/v1/format_query} does
 * ({@code parser.Prettify}): a node whose canonical form ({@link Printer}) is longer than 100
 * characters is split, its children one level (two spaces) deeper; shorter nodes stay on one line.
 * Aggregations put their operator and grouping on the first line, binary expressions their operator
 * and modifiers on a line of their own, calls one argument per line; selectors and literals never
 * split. Prometheus prints an unsplit subquery without its indentation; so does this, to give the
 * same text.
 */
public final class Prettier {
    static final int MAX_LINE = 100;
    private static final String INDENT = "  ";

    public static String pretty(Expr e) {
        return new Prettier(MAX_LINE).at(e, 0);
    }

    /** With another line limit (Prometheus's tests use 10 to exercise splitting on short inputs). */
    static String pretty(Expr e, int maxLine) {
        return new Prettier(maxLine).at(e, 0);
    }

    private final int maxLine;

    private Prettier(int maxLine) {
        this.maxLine = maxLine;
    }

    /** The node printed at {@code level} (the parent already broke the line when level > 0). */
    private String at(Expr e, int level) {
        String flat = Printer.print(e);
        String indent = INDENT.repeat(level);
        if (e instanceof StepInvariantExpr s) return at(s.expr(), level);
        if (e instanceof SubqueryExpr sq) {
            return flat.length() <= maxLine ? flat : at(sq.expr(), level) + Printer.subquerySuffix(sq);
        }
        if (e instanceof UnaryExpr u) return indent + u.op() + at(u.expr(), level).strip();
        if (flat.length() <= maxLine) return indent + flat;
        if (e instanceof AggregateExpr a) {
            StringBuilder sb = new StringBuilder(indent).append(Printer.aggregation(a)).append("(\n");
            if (a.param() != null) sb.append(at(a.param(), level + 1)).append(",\n");
            return sb.append(at(a.expr(), level + 1)).append('\n').append(indent).append(')').toString();
        }
        if (e instanceof BinaryExpr b) {
            return at(b.lhs(), level + 1) + '\n' + indent + Printer.operator(b) + '\n' + at(b.rhs(), level + 1);
        }
        if (e instanceof Call c) {
            StringBuilder sb = new StringBuilder(indent).append(c.function().name()).append("(\n");
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) sb.append(",\n");
                sb.append(at(c.args().get(i), level + 1));
            }
            return sb.append('\n').append(indent).append(')').toString();
        }
        if (e instanceof ParenExpr p) {
            return indent + "(\n" + at(p.expr(), level + 1) + '\n' + indent + ')';
        }
        return indent + flat; // selectors and literals are never split
    }
}

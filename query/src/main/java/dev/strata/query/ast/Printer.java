package dev.strata.query.ast;

import dev.strata.index.Matcher;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints an AST in Prometheus's canonical form (what {@code String()} gives in Prometheus). */
public final class Printer {
    private Printer() {}

    public static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        write(e, sb);
        return sb.toString();
    }

    private static void write(Expr e, StringBuilder sb) {
        if (e instanceof NumberLiteral n) {
            sb.append(formatFloat(n.value()));
        } else if (e instanceof StringLiteral s) {
            sb.append(GoQuote.quote(s.value()));
        } else if (e instanceof VectorSelector vs) {
            selector(vs, sb);
            modifiers(vs.offset(), vs.at(), sb);
            if (vs.smoothed()) sb.append(" smoothed");
        } else if (e instanceof MatrixSelector ms) {
            selector(ms.selector(), sb);
            sb.append('[').append(durationOrExpr(ms.range())).append(']');
            if (ms.selector().anchored()) sb.append(" anchored");
            if (ms.selector().smoothed()) sb.append(" smoothed");
            modifiers(ms.selector().offset(), ms.selector().at(), sb);
        } else if (e instanceof SubqueryExpr sq) {
            write(sq.expr(), sb);
            sb.append(subquerySuffix(sq));
        } else if (e instanceof ParenExpr p) {
            sb.append('(');
            write(p.expr(), sb);
            sb.append(')');
        } else if (e instanceof UnaryExpr u) {
            sb.append(u.op());
            write(u.expr(), sb);
        } else if (e instanceof BinaryExpr b) {
            write(b.lhs(), sb);
            sb.append(' ').append(operator(b)).append(' ');
            write(b.rhs(), sb);
        } else if (e instanceof AggregateExpr a) {
            sb.append(aggregation(a)).append('(');
            if (a.param() != null) {
                write(a.param(), sb);
                sb.append(", ");
            }
            write(a.expr(), sb);
            sb.append(')');
        } else if (e instanceof Call c) {
            sb.append(c.function().name()).append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) sb.append(", ");
                write(c.args().get(i), sb);
            }
            sb.append(')');
        } else if (e instanceof StepInvariantExpr s) {
            write(s.expr(), sb);
        }
    }

    /** A binary expression's operator with {@code bool}, matching, grouping and fill modifiers: {@code / on (a) group_left (b)}. */
    static String operator(BinaryExpr b) {
        StringBuilder sb = new StringBuilder(b.op());
        if (b.returnBool()) sb.append(" bool");
        VectorMatching vm = b.matching();
        if (vm != null) {
            if (vm.on() || !vm.matchingLabels().isEmpty()) {
                sb.append(vm.on() ? " on (" : " ignoring (").append(String.join(", ", vm.matchingLabels())).append(')');
            }
            if (vm.card() == VectorMatching.Card.MANY_TO_ONE || vm.card() == VectorMatching.Card.ONE_TO_MANY) {
                sb.append(vm.card() == VectorMatching.Card.MANY_TO_ONE ? " group_left (" : " group_right (")
                        .append(String.join(", ", vm.include())).append(')');
            }
            if (vm.fillLeft() != null && vm.fillRight() != null && vm.fillLeft().equals(vm.fillRight())) {
                sb.append(" fill (").append(formatFloat(vm.fillLeft())).append(')');
            } else {
                if (vm.fillLeft() != null) sb.append(" fill_left (").append(formatFloat(vm.fillLeft())).append(')');
                if (vm.fillRight() != null) sb.append(" fill_right (").append(formatFloat(vm.fillRight())).append(')');
            }
        }
        return sb.toString();
    }

    /** An aggregation's operator and grouping, up to its opening parenthesis: {@code sum by (job) }. */
    static String aggregation(AggregateExpr a) {
        if (a.without()) return a.op() + " without (" + String.join(", ", a.grouping()) + ") ";
        if (!a.grouping().isEmpty()) return a.op() + " by (" + String.join(", ", a.grouping()) + ") ";
        return a.op();
    }

    /** What follows a subquery's inner expression: {@code [range:step]} and its modifiers. */
    static String subquerySuffix(SubqueryExpr sq) {
        StringBuilder sb = new StringBuilder();
        sb.append('[').append(durationOrExpr(sq.range())).append(':');
        if (sq.step() != null) sb.append(durationOrExpr(sq.step()));
        sb.append(']');
        modifiers(sq.offset(), sq.at(), sb);
        return sb.toString();
    }

    private static void selector(VectorSelector vs, StringBuilder sb) {
        // As Prometheus: matchers sorted as strings, joined by ",".
        List<String> parts = new ArrayList<>();
        boolean nameInBraces = vs.name() != null && !Labelish.isLegacyMetricName(vs.name());
        for (Matcher m : vs.matchers()) {
            if (vs.name() != null && m.name().equals("__name__") && m.type() == Matcher.Type.EQ
                    && m.value().equals(vs.name())) {
                continue;
            }
            String n = Labelish.isLegacyLabelName(m.name()) ? m.name() : GoQuote.quote(m.name());
            parts.add(n + m.type().op() + GoQuote.quote(m.value()));
        }
        java.util.Collections.sort(parts);
        if (nameInBraces) parts.add(0, GoQuote.quote(vs.name()));
        if (vs.name() != null && !nameInBraces) sb.append(vs.name());
        if (!parts.isEmpty() || vs.name() == null || nameInBraces) {
            sb.append('{').append(String.join(",", parts)).append('}');
        }
    }

    private static void modifiers(DurationExpr offset, AtModifier at, StringBuilder sb) {
        if (at != null) {
            switch (at.kind()) {
                case START -> sb.append(" @ start()");
                case END -> sb.append(" @ end()");
                case TIME -> sb.append(" @ ").append(String.format(Locale.ROOT, "%.3f", at.timeMs() / 1000.0));
            }
        }
        if (offset != null) {
            if (offset instanceof DurationExpr.Literal l) {
                if (l.ms() != 0) sb.append(" offset ").append(l.ms() < 0 ? "-" : "").append(formatDuration(Math.abs(l.ms())));
            } else {
                sb.append(" offset ").append(duration(offset));
            }
        }
    }

    private static String durationOrExpr(DurationExpr d) {
        return duration(d);
    }

    /** Prints a duration or duration expression. */
    public static String duration(DurationExpr d) {
        if (d instanceof DurationExpr.Literal l) {
            return l.ms() < 0 ? "-" + formatDuration(-l.ms()) : formatDuration(l.ms());
        } else if (d instanceof DurationExpr.Number n) {
            return formatFloat(n.value());
        } else if (d instanceof DurationExpr.Builtin b) {
            return b.name() + "()";
        } else if (d instanceof DurationExpr.Unary u) {
            return u.op() + duration(u.expr());
        } else if (d instanceof DurationExpr.Paren p) {
            return "(" + duration(p.expr()) + ")";
        } else if (d instanceof DurationExpr.Binary b) {
            if (b.op().endsWith("_of")) return b.op() + "(" + duration(b.lhs()) + ", " + duration(b.rhs()) + ")";
            return duration(b.lhs()) + " " + b.op() + " " + duration(b.rhs());
        }
        throw new IllegalStateException();
    }

    /** Prometheus's model.Duration form: {@code 1h30m}, {@code 5m}, {@code 1d}, {@code 500ms}, {@code 0s}. */
    public static String formatDuration(long ms) {
        if (ms == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        long[] units = {365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};
        String[] names = {"y", "w", "d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            long q = ms / units[i];
            if (q > 0) {
                sb.append(q).append(names[i]);
                ms -= q * units[i];
            }
        }
        return sb.toString();
    }

    /** Go's {@code fmt.Sprint(float64)} ('g', shortest): %e form when the exponent is < -4 or >= 6. */
    public static String formatFloat(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (1 / v < 0) ? "-0" : "0";
        BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 6) {
            String digits = bd.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder();
            if (v < 0) sb.append('-');
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) sb.append('0');
            sb.append(ae);
            return sb.toString();
        }
        return bd.toPlainString();
    }

    /** Label-name rules (kept here so the AST does not depend on the store's model for printing). */
    private static final class Labelish {
        static boolean isLegacyLabelName(String n) {
            return dev.strata.store.model.Labels.isLegacyLabelName(n);
        }

        static boolean isLegacyMetricName(String n) {
            return dev.strata.store.model.Labels.isLegacyMetricName(n);
        }
    }
}

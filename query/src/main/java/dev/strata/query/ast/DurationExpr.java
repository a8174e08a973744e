package dev.strata.query.ast;

/**
 * A duration (range, offset, subquery step). Either a literal (milliseconds known at parse time) or an
 * experimental duration expression ({@code 5m+1m}, {@code step()}, {@code min_of(a, b)}) evaluated in
 * seconds when the query runs. Values are seconds as floats while computing, milliseconds when resolved.
 */
public sealed interface DurationExpr {
    /** Resolves to milliseconds given the query's step and range (both ms). */
    long resolveMs(long stepMs, long rangeMs);

    /** Seconds as a float. */
    double seconds(long stepMs, long rangeMs);

    /** A literal duration; {@code asNumber} when written as a plain number (seconds). */
    record Literal(long ms, boolean asNumber) implements DurationExpr {
        @Override public long resolveMs(long stepMs, long rangeMs) { return ms; }
        @Override public double seconds(long stepMs, long rangeMs) { return ms / 1000.0; }
        @Override public String toString() { return Printer.duration(this); }
    }

    /** A float literal inside a duration expression, in seconds (e.g. {@code 1.5} in {@code 1.5*2m}). */
    record Number(double value) implements DurationExpr {
        @Override public long resolveMs(long stepMs, long rangeMs) { return Math.round(value * 1000); }
        @Override public double seconds(long stepMs, long rangeMs) { return value; }
        @Override public String toString() { return Printer.duration(this); }
    }

    /** {@code step()} or {@code range()}. */
    record Builtin(String name) implements DurationExpr {
        @Override public long resolveMs(long stepMs, long rangeMs) { return Math.round(seconds(stepMs, rangeMs) * 1000); }
        @Override public double seconds(long stepMs, long rangeMs) {
            return (name.equals("step") ? stepMs : rangeMs) / 1000.0;
        }
        @Override public String toString() { return Printer.duration(this); }
    }

    record Unary(String op, DurationExpr expr) implements DurationExpr {
        @Override public long resolveMs(long stepMs, long rangeMs) { return Math.round(seconds(stepMs, rangeMs) * 1000); }
        @Override public double seconds(long stepMs, long rangeMs) {
            double v = expr.seconds(stepMs, rangeMs);
            return op.equals("-") ? -v : v;
        }
        @Override public String toString() { return Printer.duration(this); }
    }

    record Paren(DurationExpr expr) implements DurationExpr {
        @Override public long resolveMs(long stepMs, long rangeMs) { return expr.resolveMs(stepMs, rangeMs); }
        @Override public double seconds(long stepMs, long rangeMs) { return expr.seconds(stepMs, rangeMs); }
        @Override public String toString() { return Printer.duration(this); }
    }

    /** {@code + - * / % ^} and the functions {@code min_of}/{@code max_of} (op "min_of"/"max_of"). */
    record Binary(String op, DurationExpr lhs, DurationExpr rhs) implements DurationExpr {
        @Override public long resolveMs(long stepMs, long rangeMs) { return Math.round(seconds(stepMs, rangeMs) * 1000); }
        @Override public double seconds(long stepMs, long rangeMs) {
            double a = lhs.seconds(stepMs, rangeMs), b = rhs.seconds(stepMs, rangeMs);
            return switch (op) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                case "/" -> a / b;
                case "%" -> a % b;
                case "^" -> Math.pow(a, b);
                case "min_of" -> Math.min(a, b);
                case "max_of" -> Math.max(a, b);
                default -> throw new IllegalStateException("unknown duration operator " + op);
            };
        }
        @Override public String toString() { return Printer.duration(this); }
    }
}

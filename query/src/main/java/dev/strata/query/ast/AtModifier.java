package dev.strata.query.ast;

/**
 * The {@code @} modifier of a selector or subquery: a fixed time in milliseconds, or {@code start()} /
 * {@code end()} of the query, resolved at evaluation time.
 */
public record AtModifier(Kind kind, long timeMs) {
    public enum Kind { TIME, START, END }

    public static AtModifier at(long timeMs) { return new AtModifier(Kind.TIME, timeMs); }
    public static final AtModifier START = new AtModifier(Kind.START, 0);
    public static final AtModifier END = new AtModifier(Kind.END, 0);

    /** The pinned time for a query running over [start, end]. */
    public long resolve(long startMs, long endMs) {
        return switch (kind) {
            case TIME -> timeMs;
            case START -> startMs;
            case END -> endMs;
        };
    }
}

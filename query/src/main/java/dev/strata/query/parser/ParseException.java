package dev.strata.query.parser;

/**
 * A PromQL syntax or type error at a position. {@link #getMessage()} reads like Prometheus's:
 * {@code 1:15: parse error: unexpected <op:+>}; line and column are 1-based.
 */
public final class ParseException extends RuntimeException {
    private final int line;
    private final int column;
    private final String detail;

    public ParseException(String input, int pos, String detail) {
        super(format(input, pos, detail));
        int line = 1, lastBreak = -1;
        for (int i = 0; i < Math.min(pos, input.length()); i++) {
            if (input.charAt(i) == '\n') {
                line++;
                lastBreak = i;
            }
        }
        this.line = line;
        this.column = pos - lastBreak;
        this.detail = detail;
    }

    private static String format(String input, int pos, String detail) {
        int line = 1, lastBreak = -1;
        for (int i = 0; i < Math.min(pos, input.length()); i++) {
            if (input.charAt(i) == '\n') {
                line++;
                lastBreak = i;
            }
        }
        return line + ":" + (pos - lastBreak) + ": parse error: " + detail;
    }

    public int line() { return line; }
    public int column() { return column; }
    /** The message without the position prefix. */
    public String detail() { return detail; }
}

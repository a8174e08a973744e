package dev.strata.query.promqltest;

import dev.strata.query.engine.HistogramMath;
import dev.strata.store.model.FloatHistogram;
import dev.strata.query.parser.Durations;
import dev.strata.query.parser.ParseException;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * A series line of a test script: {@code name{a="b"} <values>}. Splits the label part from the
 * values and parses labels leniently ({@code {}} allowed, quoted names allowed).
 */
record SeriesSpec(Labels labels, String valuesText, boolean startTimestamps) {

    static SeriesSpec parse(String line) {
        int i = 0;
        int n = line.length();
        String name = null;
        while (i < n && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '{') i++;
        if (i > 0) name = line.substring(0, i);
        if (name != null && name.endsWith("@st")) {
            name = name.substring(0, name.length() - 3);
            i -= 3;
        }
        Labels.Builder b = new Labels.Builder();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                i = skipWs(line, i);
                if (i >= n) throw new IllegalArgumentException("unterminated label set: " + line);
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                String lname;
                if (line.charAt(i) == '"') {
                    int[] end = new int[1];
                    lname = unquote(line, i, end);
                    i = end[0];
                } else {
                    int s = i;
                    while (i < n && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_')) i++;
                    lname = line.substring(s, i);
                }
                i = skipWs(line, i);
                if (i < n && (line.charAt(i) == ',' || line.charAt(i) == '}')) {
                    // A lone quoted string is the metric name.
                    name = lname;
                    if (line.charAt(i) == ',') i++;
                    continue;
                }
                if (i >= n || line.charAt(i) != '=') throw new IllegalArgumentException("expected '=' in: " + line);
                i = skipWs(line, i + 1);
                int[] end = new int[1];
                String value = unquote(line, i, end);
                i = skipWs(line, end[0]);
                b.set(lname, value);
                if (i < n && line.charAt(i) == ',') i++;
            }
        }
        boolean st = false;
        if (line.startsWith("@st", i)) {
            st = true;
            i += 3;
        }
        if (name != null) b.set(Labels.METRIC_NAME, name);
        return new SeriesSpec(b.build(), line.substring(i).trim(), st);
    }

    private static int skipWs(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    /** Unquotes a PromQL string literal starting at i; end[0] receives the index after it. */
    static String unquote(String s, int i, int[] end) {
        char q = s.charAt(i);
        if (q != '"' && q != '\'' && q != '`') throw new IllegalArgumentException("expected quoted string at " + i + " in: " + s);
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\' && q != '`') {
                j += 2;
                continue;
            }
            if (c == q) break;
            j++;
        }
        end[0] = j + 1;
        String lit = s.substring(i, j + 1);
        try {
            return ((dev.strata.query.ast.StringLiteral) dev.strata.query.parser.Parser.parse(lit)).value();
        } catch (ParseException | ClassCastException e) {
            throw new IllegalArgumentException("bad string " + lit + ": " + e.getMessage());
        }
    }

    /** A point of a values list: a value, a missing slot, or a native histogram (not supported). */
    record Point(boolean missing, FloatHistogram histogram, boolean hintSet, double value) {
        Point(boolean missing, double value) {
            this(missing, null, false, value);
        }
    }

    /** Expands {@code 1+2x3 _ stale _x2 5x2 {{...}}} into points. */
    static List<Point> expand(String text) {
        List<Point> out = new ArrayList<>();
        for (String tok : tokens(text)) {
            if (tok.contains("{{")) {
                expandHistograms(tok, out);
                continue;
            }
            if (tok.equals("_")) {
                out.add(new Point(true, 0));
                continue;
            }
            if (tok.startsWith("_x")) {
                int n = Integer.parseInt(tok.substring(2));
                for (int k = 0; k < n; k++) out.add(new Point(true, 0));
                continue;
            }
            if (tok.equals("stale")) {
                out.add(new Point(false, Double.longBitsToDouble(0x7ff0000000000002L)));
                continue;
            }
            int xi = tok.lastIndexOf('x');
            if (xi > 0 && xi < tok.length() - 1 && tok.substring(xi + 1).chars().allMatch(Character::isDigit)
                    ) {
                int n = Integer.parseInt(tok.substring(xi + 1));
                String base = tok.substring(0, xi);
                int op = -1;
                for (int k = 1; k < base.length(); k++) {
                    char c = base.charAt(k);
                    char prev = base.charAt(k - 1);
                    if ((c == '+' || c == '-') && prev != 'e' && prev != 'E') {
                        op = k;
                        break;
                    }
                }
                if (op < 0) {
                    double v = number(base);
                    for (int k = 0; k <= n; k++) out.add(new Point(false, v));
                } else {
                    double a = number(base.substring(0, op));
                    double d = number(base.substring(op + 1));
                    if (base.charAt(op) == '-') d = -d;
                    double cur = a;
                    for (int k = 0; k <= n; k++) {
                        out.add(new Point(false, cur));
                        cur += d;
                    }
                }
                continue;
            }
            out.add(new Point(false, number(tok)));
        }
        return out;
    }

    /** {@code {{a}}}, {@code {{a}}xN} (N+1 copies), {@code {{a}}+{{b}}xN} / {@code {{a}}-{{b}}xN} (a, a±b, ..., a±N·b). */
    private static void expandHistograms(String tok, List<Point> out) {
        int reps = 0;
        String base = tok;
        int x = tok.lastIndexOf("}}x");
        if (x >= 0) {
            reps = Integer.parseInt(tok.substring(x + 3));
            base = tok.substring(0, x + 2);
        }
        int split = base.indexOf("}}", 2) + 2;
        HistogramNotation first = HistogramNotation.parse(base.substring(0, split));
        if (split == base.length()) {
            for (int k = 0; k <= reps; k++) out.add(new Point(false, first.histogram(), first.hintSet(), 0));
            return;
        }
        char op = base.charAt(split);
        if (op != '+' && op != '-') throw new IllegalArgumentException("bad histogram series " + tok);
        FloatHistogram step = HistogramNotation.parse(base.substring(split + 1)).histogram();
        FloatHistogram cur = first.histogram();
        for (int k = 0; k <= reps; k++) {
            out.add(new Point(false, cur, first.hintSet(), 0));
            cur = (op == '+' ? HistogramMath.add(cur, step) : HistogramMath.sub(cur, step)).h();
        }
    }

    /**
     * Expands an {@code @st} line: each sample's start timestamp as a signed duration offset from
     * the sample's time, in the values notation ({@code -30s-1mx2}, {@code 0-1mx4}, {@code +1m},
     * {@code _}). A missing offset is null.
     */
    static List<Long> expandOffsets(String text) {
        List<Long> out = new ArrayList<>();
        for (String tok : tokens(text)) {
            if (tok.equals("_")) {
                out.add(null);
                continue;
            }
            if (tok.startsWith("_x")) {
                int n = Integer.parseInt(tok.substring(2));
                for (int k = 0; k < n; k++) out.add(null);
                continue;
            }
            int xi = tok.lastIndexOf('x');
            int reps = 0;
            String base = tok;
            if (xi > 0 && xi < tok.length() - 1 && tok.substring(xi + 1).chars().allMatch(Character::isDigit)) {
                reps = Integer.parseInt(tok.substring(xi + 1));
                base = tok.substring(0, xi);
            }
            int op = -1;
            for (int k = 1; k < base.length(); k++) {
                if (base.charAt(k) == '+' || base.charAt(k) == '-') {
                    op = k;
                    break;
                }
            }
            long start = signedDuration(op < 0 ? base : base.substring(0, op));
            long step = op < 0 ? 0 : signedDuration(base.substring(op));
            for (int k = 0; k <= reps; k++) out.add(start + k * step);
        }
        return out;
    }

    private static long signedDuration(String s) {
        if (s.startsWith("-")) return -Durations.parseMs(s.substring(1));
        if (s.startsWith("+")) return Durations.parseMs(s.substring(1));
        return Durations.parseMs(s);
    }

    /** Splits on whitespace, keeping {{ ... }} groups together. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
            if (i >= text.length()) break;
            int s = i;
            int depth = 0;
            while (i < text.length() && (depth > 0 || !Character.isWhitespace(text.charAt(i)))) {
                if (text.startsWith("{{", i)) {
                    depth++;
                    i += 2;
                    continue;
                }
                if (text.startsWith("}}", i)) {
                    depth--;
                    i += 2;
                    continue;
                }
                i++;
            }
            out.add(text.substring(s, i));
        }
        return out;
    }

    static double number(String s) {
        String t = s.trim();
        String l = t.toLowerCase();
        boolean neg = l.startsWith("-");
        String body = l.startsWith("-") || l.startsWith("+") ? l.substring(1) : l;
        double v;
        if (body.equals("inf")) v = Double.POSITIVE_INFINITY;
        else if (body.equals("nan")) v = Double.NaN;
        else if (body.startsWith("0x")) v = Long.parseLong(body.substring(2), 16);
        else v = Double.parseDouble(body);
        return neg ? -v : v;
    }
}

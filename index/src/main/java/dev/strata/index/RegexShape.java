package dev.strata.index;

import java.util.ArrayList;
import java.util.List;

/**
 * Recognises the regex shapes that have a cheaper exact equivalent than running the regex over every
 * value of a label. Works on the matcher's source text (RE2 syntax, implicitly anchored, {@code .}
 * matching newlines); anything it does not fully understand is {@link Kind#GENERAL}, which is always
 * correct because the general path runs the matcher's own RE2/J pattern.
 * <ul>
 *   <li>{@link Kind#LITERALS}: {@code abc}, {@code a|b|c}, {@code (a|b)}, {@code (?:a|b)}: the exact set.</li>
 *   <li>{@link Kind#PREFIX}: {@code foo.*} (and {@code .*}): every value starting with {@link #prefix()}.</li>
 *   <li>{@link Kind#PREFIX_NONEMPTY}: {@code foo.+} (and {@code .+}): prefix plus at least one character.</li>
 *   <li>{@link Kind#GENERAL}: anything else; {@link #prefix()} is a literal every match starts with
 *       (possibly ""), used to narrow the terms walked.</li>
 * </ul>
 * Literal characters are those without regex meaning, and backslash-escaped punctuation
 * ({@code \.}, {@code \-}); escapes of letters or digits ({@code \d}, {@code \n}, {@code \Q}) are not literal.
 */
final class RegexShape {
    enum Kind { LITERALS, PREFIX, PREFIX_NONEMPTY, GENERAL }

    private static final String META = "\\.+*?()|[]{}^$";

    private final Kind kind;
    private final List<String> literals;
    private final String prefix;

    private RegexShape(Kind kind, List<String> literals, String prefix) {
        this.kind = kind;
        this.literals = literals;
        this.prefix = prefix;
    }

    Kind kind() { return kind; }

    /** For {@link Kind#LITERALS}: the alternatives (may include ""). */
    List<String> literals() { return literals; }

    /** For the prefix kinds: the literal prefix; for GENERAL a literal every match starts with. */
    String prefix() { return prefix; }

    static RegexShape of(String regex) {
        String body = stripOuterGroups(regex);
        List<String> alts = literalAlternatives(body);
        if (alts != null) return new RegexShape(Kind.LITERALS, alts, "");
        if (body.endsWith(".*") || body.endsWith(".+")) {
            String p = literal(body, 0, body.length() - 2);
            if (p != null) {
                return new RegexShape(body.endsWith(".*") ? Kind.PREFIX : Kind.PREFIX_NONEMPTY, List.of(), p);
            }
        }
        return new RegexShape(Kind.GENERAL, List.of(), generalPrefix(regex));
    }

    /** Removes {@code (...)} / {@code (?:...)} that enclose the whole expression. */
    private static String stripOuterGroups(String s) {
        while (true) {
            int open;
            if (s.startsWith("(?:")) open = 3;
            else if (s.startsWith("(") && !s.startsWith("(?")) open = 1;
            else return s;
            if (closingParen(s) != s.length() - 1) return s;
            s = s.substring(open, s.length() - 1);
        }
    }

    /** Index of the parenthesis closing the one at 0, or -1 if the text has constructs we don't track. */
    private static int closingParen(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                return -1; // character classes may contain parentheses: don't guess
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (--depth == 0) return i;
            }
        }
        return -1;
    }

    /** Splits on top-level '|' if every alternative is a literal, else null. */
    private static List<String> literalAlternatives(String body) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length(); i++) {
            if (i == body.length() || body.charAt(i) == '|') {
                String lit = literal(body, start, i);
                if (lit == null) return null;
                out.add(lit);
                start = i + 1;
            } else if (body.charAt(i) == '\\') {
                i++;
            }
        }
        return out;
    }

    /** The literal text of s[from, to), or null if it has any regex meaning. */
    private static String literal(String s, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= to) return null;
                char e = s.charAt(++i);
                if (!isEscapablePunct(e)) return null;
                sb.append(e);
            } else if (META.indexOf(c) >= 0) {
                return null;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isEscapablePunct(char c) {
        return c < 128 && !Character.isLetterOrDigit(c) && c > ' ';
    }

    /** A literal every match of {@code regex} starts with, "" if unsure. */
    private static String generalPrefix(String regex) {
        if (regex.indexOf('|') >= 0) return "";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 >= regex.length() || !isEscapablePunct(regex.charAt(i + 1))) break;
                sb.append(regex.charAt(++i));
            } else if (META.indexOf(c) >= 0) {
                if (c == '?' || c == '*' || c == '{' || c == '+') {
                    // The quantifier applies to the previous literal character: it is optional/repeated.
                    trimLastChar(sb);
                }
                break;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void trimLastChar(StringBuilder sb) {
        if (sb.isEmpty()) return;
        int n = sb.length();
        // Keep surrogate pairs whole: a quantifier after a supplementary character applies to all of it.
        if (n >= 2 && Character.isLowSurrogate(sb.charAt(n - 1)) && Character.isHighSurrogate(sb.charAt(n - 2))) {
            sb.setLength(n - 2);
        } else {
            sb.setLength(n - 1);
        }
    }
}

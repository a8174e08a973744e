package dev.strata.query.parser;

import dev.strata.query.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/** Splits PromQL source into tokens. Words are all {@link Kind#IDENT}; the parser decides keywords. */
final class Lexer {
    private final String in;
    private int pos;
    /** Inside [...] a ':' separates subquery range and step and never starts or continues a word. */
    private int bracketDepth;
    private final List<Token> out = new ArrayList<>();

    private Lexer(String in) {
        this.in = in;
    }

    static List<Token> lex(String input) {
        Lexer l = new Lexer(input);
        l.run();
        return l.out;
    }

    private ParseException err(int at, String msg) {
        return new ParseException(in, at, msg);
    }

    private void run() {
        while (true) {
            skipSpace();
            if (pos >= in.length()) {
                out.add(new Token(Kind.EOF, "", pos));
                return;
            }
            int start = pos;
            char c = in.charAt(pos);
            if (Character.isDigit(c) || (c == '.' && pos + 1 < in.length() && Character.isDigit(in.charAt(pos + 1)))) {
                number();
                continue;
            }
            if (c == '"' || c == '\'' || c == '`') {
                out.add(new Token(Kind.STRING, string(c), start));
                continue;
            }
            if (isIdentStart(c) && !(c == ':' && bracketDepth > 0)) {
                while (pos < in.length() && isIdentPart(in.charAt(pos)) && !(bracketDepth > 0 && in.charAt(pos) == ':')) pos++;
                String word = in.substring(start, pos);
                String lower = word.toLowerCase();
                if (lower.equals("inf") || lower.equals("nan")) out.add(new Token(Kind.NUMBER, word, start));
                else out.add(new Token(Kind.IDENT, word, start));
                continue;
            }
            pos++;
            char n = pos < in.length() ? in.charAt(pos) : 0;
            switch (c) {
                case '(' -> add(Kind.LPAREN, "(", start);
                case ')' -> add(Kind.RPAREN, ")", start);
                case '{' -> add(Kind.LBRACE, "{", start);
                case '}' -> add(Kind.RBRACE, "}", start);
                case '[' -> { bracketDepth++; add(Kind.LBRACKET, "[", start); }
                case ']' -> { bracketDepth = Math.max(0, bracketDepth - 1); add(Kind.RBRACKET, "]", start); }
                case ',' -> add(Kind.COMMA, ",", start);
                case ':' -> add(Kind.COLON, ":", start);
                case '@' -> add(Kind.AT, "@", start);
                case '+' -> add(Kind.ADD, "+", start);
                case '-' -> add(Kind.SUB, "-", start);
                case '*' -> add(Kind.MUL, "*", start);
                case '/' -> add(Kind.DIV, "/", start);
                case '%' -> add(Kind.MOD, "%", start);
                case '^' -> add(Kind.POW, "^", start);
                case '=' -> {
                    if (n == '=') { pos++; add(Kind.EQLC, "==", start); }
                    else if (n == '~') { pos++; add(Kind.EQL_REGEX, "=~", start); }
                    else add(Kind.ASSIGN, "=", start);
                }
                case '!' -> {
                    if (n == '=') { pos++; add(Kind.NEQ, "!=", start); }
                    else if (n == '~') { pos++; add(Kind.NEQ_REGEX, "!~", start); }
                    else throw err(start, "unexpected character after '!': " + quoteChar(n));
                }
                case '<' -> {
                    if (n == '=') { pos++; add(Kind.LTE, "<=", start); }
                    else if (n == '/') { pos++; add(Kind.TRIM_UPPER, "</", start); }
                    else add(Kind.LSS, "<", start);
                }
                case '>' -> {
                    if (n == '=') { pos++; add(Kind.GTE, ">=", start); }
                    else if (n == '/') { pos++; add(Kind.TRIM_LOWER, ">/", start); }
                    else add(Kind.GTR, ">", start);
                }
                default -> throw err(start, "unexpected character: " + quoteChar(c));
            }
        }
    }

    private static String quoteChar(char c) {
        return c == 0 ? "end of input" : "'" + c + "'";
    }

    private void add(Kind k, String text, int at) {
        out.add(new Token(k, text, at));
    }

    private void skipSpace() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < in.length() && in.charAt(pos) != '\n') pos++;
            } else {
                return;
            }
        }
    }

    static boolean isIdentStart(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    private boolean wordChar(char c) {
        return isIdentPart(c) && !(c == ':' && bracketDepth > 0);
    }

    private static boolean isDurationUnit(char c) {
        return c == 's' || c == 'm' || c == 'h' || c == 'd' || c == 'w' || c == 'y';
    }

    private void number() {
        int start = pos;
        // Duration: (digits unit)+ with unit in ms|s|m|h|d|w|y.
        int p = pos;
        boolean isDuration = false;
        while (true) {
            int d = p;
            while (d < in.length() && Character.isDigit(in.charAt(d))) d++;
            if (d == p || d >= in.length() || !isDurationUnit(in.charAt(d))) break;
            int u = d + 1;
            if (in.charAt(d) == 'm' && u < in.length() && in.charAt(u) == 's') u++;
            if (u < in.length() && wordChar(in.charAt(u)) && !Character.isDigit(in.charAt(u))) break;
            isDuration = true;
            p = u;
            if (p >= in.length() || !Character.isDigit(in.charAt(p))) break;
        }
        if (isDuration && (p >= in.length() || !(wordChar(in.charAt(p)) || in.charAt(p) == '.'))) {
            pos = p;
            add(Kind.DURATION, in.substring(start, pos), start);
            return;
        }
        if (in.startsWith("0x", pos) || in.startsWith("0X", pos)) {
            pos += 2;
            while (pos < in.length() && Character.digit(in.charAt(pos), 16) >= 0) pos++;
        } else {
            while (pos < in.length() && Character.isDigit(in.charAt(pos))) pos++;
            if (pos < in.length() && in.charAt(pos) == '.') {
                pos++;
                while (pos < in.length() && Character.isDigit(in.charAt(pos))) pos++;
            }
            if (pos < in.length() && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E')) {
                int save = pos;
                pos++;
                if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) pos++;
                int digits = pos;
                while (pos < in.length() && Character.isDigit(in.charAt(pos))) pos++;
                if (pos == digits) pos = save;
            }
        }
        if (pos < in.length() && (wordChar(in.charAt(pos)) || in.charAt(pos) == '.')) {
            while (pos < in.length() && (wordChar(in.charAt(pos)) || in.charAt(pos) == '.')) pos++;
            throw err(start, "bad number or duration syntax: \"" + in.substring(start, pos) + "\"");
        }
        add(Kind.NUMBER, in.substring(start, pos), start);
    }

    private String string(char q) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        bytes.reset();
        while (true) {
            if (pos >= in.length()) throw err(start, "unterminated quoted string");
            char c = in.charAt(pos++);
            boolean byteEscape = c == '\\' && q != '`' && pos < in.length()
                    && (in.charAt(pos) == 'x' || (in.charAt(pos) >= '0' && in.charAt(pos) <= '7'));
            if (!byteEscape) flushBytes(sb);
            if (c == q) return sb.toString();
            if (q == '`') {
                sb.append(c);
                continue;
            }
            if (c == '\n') throw err(start, "unterminated quoted string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= in.length()) throw err(start, "unterminated quoted string");
            char e = in.charAt(pos++);
            switch (e) {
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case '\\' -> sb.append('\\');
                case '\'', '"' -> {
                    if (e != q) throw err(pos - 2, "unknown escape sequence '\\" + e + "'");
                    sb.append(e);
                }
                case 'x' -> bytes.write(hex(2, pos - 2));
                case 'u' -> sb.appendCodePoint(hex(4, pos - 2));
                case 'U' -> sb.appendCodePoint(hex(8, pos - 2));
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (pos + 2 > in.length()) throw err(pos - 2, "invalid escape sequence");
                    String oct = in.substring(pos - 1, pos + 2);
                    try {
                        int v = Integer.parseInt(oct, 8);
                        if (v > 255) throw err(pos - 2, "invalid octal escape");
                        bytes.write(v);
                    } catch (NumberFormatException ex) {
                        throw err(pos - 2, "invalid escape sequence");
                    }
                    pos += 2;
                }
                default -> throw err(pos - 2, "unknown escape sequence '\\" + e + "'");
            }
        }
    }

    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

    /**
     * Appends pending \\x / octal escape bytes decoded as UTF-8, as Go strings hold bytes. Bytes that are
     * not valid UTF-8 become lone surrogates (U+DC80..U+DCFF), so later validation sees invalid UTF-8.
     */
    private void flushBytes(StringBuilder sb) {
        if (bytes.size() == 0) return;
        byte[] b = bytes.toByteArray();
        bytes.reset();
        java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
        try {
            sb.append(d.decode(java.nio.ByteBuffer.wrap(b)));
        } catch (java.nio.charset.CharacterCodingException e) {
            for (byte x : b) {
                int u = x & 0xFF;
                sb.append(u < 0x80 ? (char) u : (char) (0xDC00 + u));
            }
        }
    }

    private int hex(int n, int at) {
        if (pos + n > in.length()) throw err(at, "invalid escape sequence");
        try {
            int v = Integer.parseUnsignedInt(in.substring(pos, pos + n), 16);
            pos += n;
            return v;
        } catch (NumberFormatException ex) {
            throw err(at, "invalid escape sequence");
        }
    }
}

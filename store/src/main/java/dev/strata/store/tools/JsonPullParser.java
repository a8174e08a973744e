package dev.strata.store.tools;

import java.io.IOException;
import java.io.Reader;

/**
 * A minimal streaming JSON tokenizer (RFC 8259) for reading dataset files without a JSON library.
 * Reports tokens one at a time; numbers are returned as their literal text so callers can parse
 * them exactly. Not thread safe. Errors name the offset: "expected ':' at offset 1234, found 'x'".
 */
final class JsonPullParser {
    enum Token { BEGIN_OBJECT, END_OBJECT, BEGIN_ARRAY, END_ARRAY, NAME, STRING, NUMBER, TRUE, FALSE, NULL, EOF }

    private final Reader in;
    private final char[] buf = new char[1 << 16];
    private int pos, len;
    private long offset;
    private final StringBuilder text = new StringBuilder();
    // Context stack: 'o' object expecting name, 'v' object expecting value, 'a' array.
    private char[] stack = new char[32];
    private int depth;
    private boolean needComma;

    JsonPullParser(Reader in) {
        this.in = in;
    }

    /** The text of the last NAME, STRING or NUMBER token. */
    String text() {
        return text.toString();
    }

    long offset() {
        return offset;
    }

    private int peekChar() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos];
    }

    private int readChar() throws IOException {
        int c = peekChar();
        if (c >= 0) {
            pos++;
            offset++;
        }
        return c;
    }

    private int skipWs() throws IOException {
        while (true) {
            int c = peekChar();
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') readChar();
            else return c;
        }
    }

    private IOException error(String what, int found) {
        return new IOException(what + " at offset " + offset + ", found " + (found < 0 ? "end of input" : "'" + (char) found + "'"));
    }

    Token next() throws IOException {
        int c = skipWs();
        char ctx = depth == 0 ? 0 : stack[depth - 1];
        if (c == '}' || c == ']') {
            if ((c == '}' && ctx != 'o') || (c == ']' && ctx != 'a')) throw error("unexpected close", c);
            readChar();
            depth--;
            afterValue();
            return c == '}' ? Token.END_OBJECT : Token.END_ARRAY;
        }
        if (needComma) {
            if (c != ',') {
                if (depth == 0) {
                    needComma = false; // top-level stream of values (JSON Lines)
                } else {
                    throw error("expected ','", c);
                }
            } else {
                readChar();
                c = skipWs();
            }
            needComma = false;
        }
        if (c < 0) {
            if (depth != 0) throw error("unterminated value", c);
            return Token.EOF;
        }
        if (ctx == 'o') {
            if (c != '"') throw error("expected a member name", c);
            readChar();
            readString();
            int colon = skipWs();
            if (colon != ':') throw error("expected ':'", colon);
            readChar();
            stack[depth - 1] = 'v';
            return Token.NAME;
        }
        readChar();
        switch (c) {
            case '{' -> { push('o'); return Token.BEGIN_OBJECT; }
            case '[' -> { push('a'); return Token.BEGIN_ARRAY; }
            case '"' -> { readString(); afterValue(); return Token.STRING; }
            case 't' -> { expectWord("rue"); afterValue(); return Token.TRUE; }
            case 'f' -> { expectWord("alse"); afterValue(); return Token.FALSE; }
            case 'n' -> { expectWord("ull"); afterValue(); return Token.NULL; }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    text.setLength(0);
                    text.append((char) c);
                    while (true) {
                        int d = peekChar();
                        if ((d >= '0' && d <= '9') || d == '.' || d == 'e' || d == 'E' || d == '+' || d == '-') text.append((char) readChar());
                        else break;
                    }
                    afterValue();
                    return Token.NUMBER;
                }
                throw error("unexpected character", c);
            }
        }
    }

    private void push(char ctx) {
        if (depth == stack.length) stack = java.util.Arrays.copyOf(stack, depth * 2);
        stack[depth++] = ctx;
        needComma = false;
    }

    private void afterValue() {
        if (depth > 0 && stack[depth - 1] == 'v') stack[depth - 1] = 'o';
        needComma = true;
    }

    private void expectWord(String rest) throws IOException {
        for (int i = 0; i < rest.length(); i++) {
            int c = readChar();
            if (c != rest.charAt(i)) throw error("bad literal", c);
        }
    }

    private void readString() throws IOException {
        text.setLength(0);
        while (true) {
            int c = readChar();
            if (c < 0) throw error("unterminated string", c);
            if (c == '"') return;
            if (c != '\\') {
                text.append((char) c);
                continue;
            }
            int e = readChar();
            switch (e) {
                case '"', '\\', '/' -> text.append((char) e);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int h = readChar();
                        int d = Character.digit(h, 16);
                        if (d < 0) throw error("bad \\u escape", h);
                        v = v * 16 + d;
                    }
                    text.append((char) v);
                }
                default -> throw error("bad escape", e);
            }
        }
    }

    /** Skips the value starting with the token just read (for unknown members). */
    void skipValue(Token first) throws IOException {
        if (first != Token.BEGIN_OBJECT && first != Token.BEGIN_ARRAY) return;
        int level = 1;
        while (level > 0) {
            Token t = next();
            if (t == Token.BEGIN_OBJECT || t == Token.BEGIN_ARRAY) level++;
            else if (t == Token.END_OBJECT || t == Token.END_ARRAY) level--;
            else if (t == Token.EOF) throw new IOException("unterminated value at offset " + offset);
        }
    }
}

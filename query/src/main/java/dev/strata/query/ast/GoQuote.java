package dev.strata.query.ast;

/**
 * Go's {@code %q} / {@code strconv.Quote}, used where Prometheus's error messages quote user input
 * ({@code cannot parse "x" to a valid timestamp}): backslash escapes for {@code \ "} and the C escapes,
 * {@code \xNN} for other ASCII control characters, {@code \\uNNNN} for non-printable code points,
 * printable Unicode as is.
 */
public final class GoQuote {
    private GoQuote() {}

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 11 -> sb.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append("\\x").append(Character.forDigit(cp >> 4, 16)).append(Character.forDigit(cp & 0xF, 16));
                    } else if (cp >= 0xDC80 && cp <= 0xDCFF) {
                        // A raw byte that is not valid UTF-8, as the lexer holds it (Lexer: U+DC80..U+DCFF):
                        // Go quotes such a byte as \xNN, and parsing that again gives the same byte.
                        int b = cp - 0xDC00;
                        sb.append("\\x").append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
                    } else if (Character.isSurrogate((char) cp) && cp < 0x10000) {
                        // An unpaired surrogate (only a Java string can hold one; bytes from a request never
                        // decode to it): printed as U+FFFD, the character it becomes in UTF-8, so that
                        // parsing the printed query and printing it again gives the same text.
                        sb.append('\uFFFD');
                    } else if (isPrintable(cp)) {
                        sb.appendCodePoint(cp);
                    } else if (cp < 0x10000) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static boolean isPrintable(int cp) {
        if (cp < 0x80) return true;
        int t = Character.getType(cp);
        return !(t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED
                || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR
                || t == Character.PRIVATE_USE || t == Character.SURROGATE
                || (t == Character.SPACE_SEPARATOR && cp != 0x20));
    }
}

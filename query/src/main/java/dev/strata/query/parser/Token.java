package dev.strata.query.parser;

/** A lexical token: kind, source text (unescaped for strings) and start offset. */
record Token(Kind kind, String text, int pos) {
    enum Kind {
        EOF, NUMBER, DURATION, STRING, IDENT, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA, COLON,
        AT, ADD, SUB, MUL, DIV, MOD, POW, EQLC, NEQ, LTE, LSS, GTE, GTR, ASSIGN, EQL_REGEX, NEQ_REGEX,
        /** The native-histogram trim operators {@code </} and {@code >/}. */
        TRIM_UPPER, TRIM_LOWER
    }

    /** Prometheus-like description used in "unexpected ..." messages. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of input";
            case NUMBER -> "number \"" + text + "\"";
            case DURATION -> "duration \"" + text + "\"";
            case STRING -> "string \"" + text + "\"";
            case IDENT -> "identifier \"" + text + "\"";
            case LPAREN -> "\"(\"";
            case RPAREN -> "\")\"";
            case LBRACE -> "\"{\"";
            case RBRACE -> "\"}\"";
            case LBRACKET -> "\"[\"";
            case RBRACKET -> "\"]\"";
            case COMMA -> "\",\"";
            case COLON -> "\":\"";
            case AT -> "\"@\"";
            case ASSIGN -> "\"=\"";
            default -> "<op:" + text + ">";
        };
    }
}

package dev.strata.query.ast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.query.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * The printer quotes strings as Go's strconv.Quote does (Prometheus's printer uses it), through the one
 * quoting function {@link GoQuote}: C escapes for bell, backspace, form feed and vertical tab, not
 * {@code \x07}-style hex.
 */
class PrinterQuoteTest {
    @Test
    void controlCharactersPrintAsGoQuotesThem() {
        Expr e = Parser.parse("m{a=\"x\\a\\b\\f\\vy\"}");
        assertEquals("m{a=\"x\\a\\b\\f\\vy\"}", e.toString());
        assertEquals("\"\\a\\x01\"", GoQuote.quote("\u0007\u0001"));
        assertEquals(GoQuote.quote("t\u2028\u00e9\u0000"), new StringLiteral("t\u2028\u00e9\u0000").toString());
        // A byte that is not valid UTF-8 prints as Go prints it and reads back as the same byte.
        Expr invalid = Parser.parse("label_replace(m, \"\\xff\", \"\", \"src\", \"(.*)\")");
        assertEquals("label_replace(m, \"\\xff\", \"\", \"src\", \"(.*)\")", invalid.toString());
        assertEquals(invalid.toString(), Parser.parse(invalid.toString()).toString());
    }
}

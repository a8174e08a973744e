package dev.strata.query.fuzz;

import dev.strata.query.ast.Expr;
import dev.strata.query.parser.ParseException;
import dev.strata.query.parser.Parser;

/**
 * The PromQL parser's fuzz target, shared by {@link ParserFuzzTest} (Jazzer) and
 * {@link ParserSmokeTest}: any text either parses or fails with {@link ParseException} (400);
 * anything else (a StackOverflowError, an IndexOutOfBoundsException...) is a bug. What parses must
 * print to text that parses again to the same text (the printer is used for pushed-down queries).
 */
final class ParserTargets {
    private ParserTargets() {}

    static void parse(String query) {
        Expr e;
        try {
            e = Parser.parse(query);
        } catch (ParseException expected) {
            return;
        }
        String printed = e.toString();
        Expr again;
        try {
            again = Parser.parse(printed);
        } catch (ParseException ex) {
            throw new AssertionError("printed form does not parse: " + printed + " (from " + query + ")", ex);
        }
        if (!again.toString().equals(printed)) {
            throw new AssertionError("printing is not stable: " + printed + " -> " + again);
        }
    }
}

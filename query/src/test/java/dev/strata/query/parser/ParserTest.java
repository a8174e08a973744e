package dev.strata.query.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.index.Matcher;
import dev.strata.query.ast.AggregateExpr;
import dev.strata.query.ast.BinaryExpr;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.DurationExpr;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.MatrixSelector;
import dev.strata.query.ast.NumberLiteral;
import dev.strata.query.ast.StringLiteral;
import dev.strata.query.ast.SubqueryExpr;
import dev.strata.query.ast.UnaryExpr;
import dev.strata.query.ast.VectorMatching;
import dev.strata.query.ast.VectorSelector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParserTest {
    private static double num(String s) {
        return ((NumberLiteral) Parser.parse(s)).value();
    }

    @Test
    void numberLiterals() {
        assertEquals(12340000, num("12.34e6"));
        assertEquals(0.2, num(".2"));
        assertEquals(2, num("2."));
        assertEquals(31, num("0x1F"));
        assertEquals(Double.POSITIVE_INFINITY, num("+Inf"));
        assertEquals(Double.NEGATIVE_INFINITY, num("-inF"));
        assertTrue(Double.isNaN(num("nan")));
        assertEquals(300, num("5m"), "durations are numbers of seconds");
        assertEquals(5400, num("1h30m"));
        assertEquals(-0.0000002, num("-0.2e-6"));
    }

    @Test
    void stringLiterals() {
        assertEquals("a\nb\"", ((StringLiteral) Parser.parse("\"a\\nb\\\"\"")).value());
        assertEquals("it's", ((StringLiteral) Parser.parse("'it\\'s'")).value());
        assertEquals("raw\\n", ((StringLiteral) Parser.parse("`raw\\n`")).value());
        assertEquals("\u00e9", ((StringLiteral) Parser.parse("\"\\xc3\\xa9\"")).value(), "\\x escapes are UTF-8 bytes");
        assertEquals("\u263a", ((StringLiteral) Parser.parse("\"\\u263a\"")).value());
    }

    @Test
    void selectorsWithAllMatchersAndQuotedNames() {
        VectorSelector vs = (VectorSelector) Parser.parse("foo{a=\"1\", b!=\"2\", c=~\"x.*\", d!~'y',}");
        assertEquals("foo", vs.name());
        assertEquals(List.of(Matcher.eq("__name__", "foo"), Matcher.eq("a", "1"), Matcher.neq("b", "2"),
                Matcher.re("c", "x.*"), Matcher.nre("d", "y")), vs.matchers());
        VectorSelector q = (VectorSelector) Parser.parse("{\"metric.name\", \"label.x\"=\"v\"}");
        assertEquals("metric.name", q.name());
        assertEquals(Matcher.eq("label.x", "v"), q.matchers().get(1));
    }

    @Test
    void offsetsAtAndSubqueries() {
        VectorSelector vs = (VectorSelector) Parser.parse("foo offset -5m @ 100");
        assertEquals(new DurationExpr.Literal(-300_000, false), vs.offset());
        assertEquals(100_000, vs.at().timeMs());
        MatrixSelector ms = (MatrixSelector) Parser.parse("foo[5m] @ end()");
        assertEquals(300_000, ms.range().resolveMs(0, 0));
        SubqueryExpr sq = (SubqueryExpr) Parser.parse("rate(foo[1m])[30m:1m] offset 1h");
        assertEquals(1_800_000, sq.range().resolveMs(0, 0));
        assertEquals(60_000, sq.step().resolveMs(0, 0));
        SubqueryExpr noStep = (SubqueryExpr) Parser.parse("foo[5m:]");
        assertEquals(null, noStep.step());
    }

    @Test
    void durationExpressions() {
        MatrixSelector ms = (MatrixSelector) Parser.parse("foo[2m*(10+5)]");
        assertEquals(1_800_000, ms.range().resolveMs(0, 0));
        MatrixSelector st = (MatrixSelector) Parser.parse("foo[step()+1ms]");
        assertEquals(10_001, st.range().resolveMs(10_000, 0));
        MatrixSelector mm = (MatrixSelector) Parser.parse("foo[max_of(min_of(step()+1, 1h), 1ms)]");
        assertEquals(6_000, mm.range().resolveMs(5_000, 0));
        // offset takes one signed atom: (foo offset 100) + 2.
        BinaryExpr b = (BinaryExpr) Parser.parse("foo offset 100 + 2");
        assertEquals(100_000, ((VectorSelector) b.lhs()).offset().resolveMs(0, 0));
    }

    @Test
    void precedenceAndAssociativity() {
        // ^ is right associative and binds tighter than unary minus.
        assertEquals("-((2 ^ (3 ^ 2)))", shape(Parser.parse("-2 ^ 3 ^ 2")));
        assertEquals("((1 + (2 * 3)) - 4)", shape(Parser.parse("1 + 2 * 3 - 4")));
        assertEquals("((a and b) or (c unless d))", shape(Parser.parse("a and b or c unless d")));
        assertEquals("((a + b) > bool 1)", shape(Parser.parse("a + b > bool 1")));
        assertEquals("(-(a) * b)", shape(Parser.parse("-a * b")));
        assertEquals("(a atan2 (b ^ c))", shape(Parser.parse("a atan2 b ^ c")));
    }

    /** Fully parenthesised shape of binary/unary structure for precedence tests. */
    private static String shape(Expr e) {
        if (e instanceof BinaryExpr b) {
            return "(" + shape(b.lhs()) + " " + b.op() + (b.returnBool() ? " bool" : "") + " " + shape(b.rhs()) + ")";
        }
        if (e instanceof UnaryExpr u) return u.op() + "(" + shape(u.expr()) + ")";
        if (e instanceof NumberLiteral n) return dev.strata.query.ast.Printer.formatFloat(n.value());
        if (e instanceof VectorSelector vs) return vs.name();
        if (e instanceof dev.strata.query.ast.ParenExpr p) return shape(p.expr());
        return e.toString();
    }

    @Test
    void vectorMatchingModifiers() {
        BinaryExpr b = (BinaryExpr) Parser.parse("a * on(x, y) group_left(z) b");
        VectorMatching m = b.matching();
        assertEquals(VectorMatching.Card.MANY_TO_ONE, m.card());
        assertTrue(m.on());
        assertEquals(List.of("x", "y"), m.matchingLabels());
        assertEquals(List.of("z"), m.include());
        BinaryExpr set = (BinaryExpr) Parser.parse("a and ignoring(x) b");
        assertEquals(VectorMatching.Card.MANY_TO_MANY, set.matching().card());
        BinaryExpr fill = (BinaryExpr) Parser.parse("a + fill_left(1) fill_right(2) b");
        assertEquals(1.0, fill.matching().fillLeft());
        assertEquals(2.0, fill.matching().fillRight());
        // A metric called fill is not a modifier.
        BinaryExpr metric = (BinaryExpr) Parser.parse("other + fill");
        assertEquals("fill", ((VectorSelector) metric.rhs()).name());
    }

    @Test
    void aggregationsWithGroupingBeforeOrAfter() {
        AggregateExpr a = (AggregateExpr) Parser.parse("sum by (job) (rate(m[5m]))");
        AggregateExpr b = (AggregateExpr) Parser.parse("SUM(rate(m[5m])) BY (job)");
        assertEquals(a, b);
        AggregateExpr t = (AggregateExpr) Parser.parse("topk without (a) (5, m)");
        assertEquals(5, ((NumberLiteral) t.param()).value());
        assertTrue(t.without());
        AggregateExpr cv = (AggregateExpr) Parser.parse("count_values(\"v\", m)");
        assertEquals("v", ((StringLiteral) cv.param()).value());
        assertInstanceOf(AggregateExpr.class, Parser.parse("limit_ratio(0.5, m)"));
        assertInstanceOf(Call.class, Parser.parse("sort_by_label(m, \"a\", \"b\")"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo +                 | 1:6: parse error: unexpected end of input",
        "sum(foo) by (a) by (b)| 1:17: parse error: unexpected identifier \"by\"",
        "rate(foo)             | 1:1: parse error: expected type range vector in call to function \"rate\", got instant vector",
        "foo[5m] + 1           | 1:9: parse error: binary expression must contain only scalar and instant vector types",
        "1 == 1                | 1:3: parse error: comparisons between scalars must use BOOL modifier",
        "{}                    | 1:1: parse error: vector selector must contain at least one non-empty matcher",
        "nosuchfn(foo)         | 1:1: parse error: unknown function with name \"nosuchfn\"",
        "foo offset 1m offset 2m | 1:15: parse error: offset may not be set multiple times",
        "(foo)[5m]             | 1:6: parse error: ranges only allowed for vector selectors",
        "1 and foo             | 1:3: parse error: set operator \"and\" not allowed in binary scalar expression",
        "round(foo, 1, 2)      | 1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3",
        "topk(foo)             | 1:5: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1",
        "foo{a=1}              | 1:7: parse error: unexpected number \"1\" in label matching, expected string",
        "\"unterminated        | 1:1: parse error: unterminated quoted string",
    })
    void errorsCarryPositions(String query, String message) {
        ParseException e = assertThrows(ParseException.class, () -> Parser.parse(query.trim()));
        assertEquals(message.trim(), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "foo",
        "foo{a=\"b\"}",
        "{\"metric.name\", a=\"b\"}",
        "rate(foo[5m] offset 1m)",
        "sum by (job) (rate(foo[5m]))",
        "sum without (instance) (foo)",
        "topk(5, foo)",
        "a * on (x) group_left (y) b",
        "a / ignoring (x) b",
        "a > bool 1",
        "-foo",
        "foo[30m:1m] @ 100.000",
        "foo @ start()",
        "foo[5m] @ end() offset 1h",
        "histogram_quantile(0.9, sum by (le) (rate(foo_bucket[5m])))",
        "label_replace(foo, \"a\", \"$1\", \"b\", \"(.*)\")",
        "1 + 2 * 3",
        "(1 + 2) * 3",
        "2 ^ 3 ^ 2",
        "foo[5m+1m]",
        "increase(foo[5m] smoothed)",
        "a + fill_left (1) b",
        "count_values(\"v\", foo)",
    })
    void printingRoundTrips(String query) {
        Expr e = Parser.parse(query);
        String printed = e.toString();
        assertEquals(e, Parser.parse(printed), "printed as " + printed);
    }

    @Test
    void printsCanonically() {
        assertEquals("sum by (job) (rate(foo[5m]))", Parser.parse("SUM(rate(foo[300s])) BY (job)").toString());
        assertEquals("foo offset 1h30m", Parser.parse("foo offset 90m").toString());
        assertEquals("1e+06", Parser.parse("1000000").toString());
        assertEquals("a and on (x) b", Parser.parse("a and on(x) b").toString());
        assertEquals("foo{a=\"1\",b!~\"2\"}", Parser.parse("foo{b!~'2', a=\"1\"}").toString());
        assertEquals("foo @ 100.000 offset -5m", Parser.parse("foo offset -5m @ 100").toString());
    }
}

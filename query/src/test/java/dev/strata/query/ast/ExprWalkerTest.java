package dev.strata.query.ast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.query.parser.Parser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExprWalkerTest {
    private static List<String> visited(String query) {
        List<String> out = new ArrayList<>();
        ExprWalker.inspect(Parser.parse(query), e -> {
            out.add(e.getClass().getSimpleName() + ":" + e);
            return true;
        });
        return out;
    }

    @Test
    void visitsParentsBeforeChildrenInSourceOrder() {
        assertEquals(List.of(
                "AggregateExpr:topk by (job) (3, rate(a[5m]) * -b)",
                "BinaryExpr:rate(a[5m]) * -b",
                "Call:rate(a[5m])",
                "MatrixSelector:a[5m]",
                "VectorSelector:a",
                "UnaryExpr:-b",
                "VectorSelector:b",
                "NumberLiteral:3"),
                visited("topk by (job) (3, rate(a[5m]) * -b)"));
    }

    @Test
    void childrenOfSubqueryParenAndLeaves() {
        Expr sq = Parser.parse("(max_over_time(x[1h:5m]))");
        List<Expr> paren = ExprWalker.children(sq);
        assertEquals(1, paren.size());
        Call call = (Call) paren.get(0);
        SubqueryExpr sub = (SubqueryExpr) ExprWalker.children(call).get(0);
        assertEquals(List.of("x"), ExprWalker.children(sub).stream().map(Expr::toString).toList());
        assertEquals(List.of(), ExprWalker.children(Parser.parse("\"s\"")));
        assertEquals(List.of(), ExprWalker.children(Parser.parse("x")));
    }

    @Test
    void falseSkipsTheChildren() {
        List<String> seen = new ArrayList<>();
        ExprWalker.inspect(Parser.parse("sum(a) + b"), e -> {
            seen.add(e.toString());
            return !(e instanceof AggregateExpr);
        });
        assertEquals(List.of("sum(a) + b", "sum(a)", "b"), seen);
    }
}

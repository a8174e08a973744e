package dev.strata.query.distributed;

import dev.strata.query.ast.AggregateExpr;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.ExprWalker;
import dev.strata.query.parser.Parser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves the {@code (line:col)} of an annotation raised by an owner evaluating a pushed-down text back
 * to where the same node is in the user's query. The pushed text is printed on one line and may differ
 * from the user's (other operator for avg/stddev parts, other spacing, the aggregation not at the start),
 * so nodes are paired by structure: every aggregation in the pushed text whose argument equals the
 * original aggregation's argument is walked in step with it. Annotations without a position, or whose
 * node is not paired, are left as they are.
 */
final class AnnotationPositions {
    private static final Pattern SUFFIX = Pattern.compile(" \\((\\d+):(\\d+)\\)$");

    private final Map<Integer, Integer> toOriginal = new HashMap<>();
    private final String originalText;

    private AnnotationPositions(String originalText) {
        this.originalText = originalText;
    }

    /** Pairs the nodes of {@code pushedText} with those of {@code aggregate} in the user's parsed query. */
    static AnnotationPositions of(String pushedText, AggregateExpr aggregate, Parser.Parsed original, String originalText) {
        AnnotationPositions out = new AnnotationPositions(originalText);
        Parser.Parsed pushed = Parser.parseWithPositions(pushedText);
        out.pairAggregations(pushed, pushed.expr(), aggregate, original);
        return out;
    }

    private void pairAggregations(Parser.Parsed pushed, Expr node, AggregateExpr aggregate, Parser.Parsed original) {
        ExprWalker.inspect(node, x -> {
            if (x instanceof AggregateExpr a && a.expr().equals(aggregate.expr())) {
                pair(pushed, a, aggregate, original);
                return false;
            }
            return true;
        });
    }

    private void pair(Parser.Parsed pushed, Expr p, Expr o, Parser.Parsed original) {
        if (p == null || o == null || p.getClass() != o.getClass()) return;
        Integer from = pushed.positions().get(p), to = original.positions().get(o);
        if (from != null && to != null) toOriginal.putIfAbsent(from, to);
        List<Expr> pc = ExprWalker.children(p), oc = ExprWalker.children(o);
        if (pc.size() != oc.size()) return;
        for (int i = 0; i < pc.size(); i++) pair(pushed, pc.get(i), oc.get(i), original);
    }

    /** The annotation with its position moved into the user's query (one-line pushed text: col - 1 = offset). */
    String map(String annotation) {
        Matcher m = SUFFIX.matcher(annotation);
        if (!m.find() || !m.group(1).equals("1")) return annotation;
        Integer to = toOriginal.get(Integer.parseInt(m.group(2)) - 1);
        if (to == null) return annotation;
        int line = 1, lastBreak = -1;
        for (int i = 0; i < Math.min(to, originalText.length()); i++) {
            if (originalText.charAt(i) == '\n') {
                line++;
                lastBreak = i;
            }
        }
        return annotation.substring(0, m.start()) + " (" + line + ":" + (to - lastBreak) + ")";
    }
}

package dev.strata.query.distributed;

import dev.strata.index.Matcher;
import dev.strata.store.model.Labels;
import dev.strata.query.ast.AggregateExpr;
import dev.strata.query.ast.BinaryExpr;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.Function;
import dev.strata.query.ast.MatrixSelector;
import dev.strata.query.ast.NumberLiteral;
import dev.strata.query.ast.ParenExpr;
import dev.strata.query.ast.StepInvariantExpr;
import dev.strata.query.ast.StringLiteral;
import dev.strata.query.ast.UnaryExpr;
import dev.strata.query.ast.VectorSelector;
import dev.strata.query.engine.NameDropping;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Finds the aggregations of a query whose work splits by shard, and rewrites the query around them.
 *
 * <p>A pushable aggregation is {@code op [by|without (...)] ([param,] <per-series expression>)} where the
 * per-series expression computes each output series from one input series alone: a vector selector, a
 * range function over a matrix selector (rate, increase, {@code *_over_time}, ...), element-wise
 * functions of it (abs, ceil, clamp with literal bounds, ...), unary minus, or arithmetic/comparison
 * with a number literal. Since a series lives in exactly one shard, each owner can evaluate such an
 * aggregation over its shards and the partial aggregates merge exactly ({@link Merge}):
 * <ul>
 *   <li>sum, count, count_values add; min/max take the extreme; group is 1; native histograms of a sum
 *       (and of avg's) merge from the owners' partials ({@link PartialMerge});</li>
 *   <li>avg is a sum and a count; stddev/stdvar are a count, a mean and a variance per owner, merged
 *       with the parallel-variance formula (no cancellation of large sums of squares);</li>
 *   <li>topk/bottomk/limitk: each owner sends its own k per group and step, the merging node applies the
 *       same aggregation to their union; limit_ratio keeps a series by its labels alone, so the union is
 *       the answer.</li>
 * </ul>
 * quantile is not decomposable (no partial state smaller than the values themselves), and
 * aggregations inside subqueries are evaluated at the subquery's own steps: both read raw series.
 *
 * <p>{@link #rewrite} replaces each pushable aggregation (the outermost one on each path: pushing
 * {@code sum by (job) (...)} in {@code max(sum by (job) (...))}) by a placeholder selector, so the rest of
 * the expression (outer aggregations, binary operators, functions) is evaluated at the merging node by
 * the ordinary engine over the merged partials.
 */
public final class AggregationPushdown {
    /** How the partial answers of one aggregation combine. */
    enum Merge {
        /** Partial values of the same label set fold with the operator ({@link #fold}). */
        FOLD,
        /** avg: a sum and a count of the same grouping. */
        AVG,
        /** stddev/stdvar: a count, an avg and a stdvar of the same grouping. */
        VARIANCE,
        /** topk/bottomk/limitk: the union of the owners' answers, aggregated again at the merging node. */
        SELECT_AGAIN,
        /** limit_ratio: the union of the owners' answers is the answer. */
        UNION
    }

    /**
     * One aggregation evaluated by the owners: the placeholder metric name that stands for its merged
     * result in the rewritten query, the aggregation, and the selector's matchers (for shard pruning).
     */
    public record Pushed(String placeholder, AggregateExpr aggregate, List<Matcher> matchers) {
        Merge merge() {
            return switch (aggregate.op()) {
                case "avg" -> Merge.AVG;
                case "stddev", "stdvar" -> Merge.VARIANCE;
                case "topk", "bottomk", "limitk" -> Merge.SELECT_AGAIN;
                case "limit_ratio" -> Merge.UNION;
                default -> Merge.FOLD;
            };
        }

        /** The operator partial values fold with (for {@link Merge#FOLD}). */
        String foldOp() {
            return aggregate.op().equals("count_values") ? "sum" : aggregate.op();
        }

        /** This aggregation with another operator (same grouping and argument), as query text. */
        String as(String otherOp) {
            return new AggregateExpr(otherOp, aggregate.expr(), null, aggregate.grouping(), aggregate.without(),
                    aggregate.hasGrouping()).toString();
        }

        /**
         * For stddev/stdvar: one query giving, per group, the count, mean and variance of the owner's
         * series, tagged {@link #PART_LABEL} n, m and v, so that the three of one owner's answer pair up.
         */
        String varianceParts() {
            return tagged(as("count"), "n") + " or " + tagged(as("avg"), "m") + " or " + tagged(as("stdvar"), "v");
        }

        private static String tagged(String query, String tag) {
            return "label_replace(" + query + ", \"" + PART_LABEL + "\", \"" + tag + "\", \"__name__\", \".*\")";
        }

        /**
         * Whether an instant answer needs {@link #orderKeys}: the engine emits the groups of an
         * aggregation in the order their first input series appear (input sorted by labels), which the
         * partial answers alone cannot tell. Not for count_values (its groups depend on values; they come
         * sorted by labels) nor limit_ratio (its answer is in input order, the union's sorted order),
         * nor without a grouping clause (one group).
         */
        boolean needsOrderKeys() {
            boolean oneGroup = !aggregate.without() && aggregate.grouping().isEmpty();
            return !oneGroup && merge() != Merge.UNION && !aggregate.op().equals("count_values");
        }

        /** The first input series of each group on the owner: {@code limitk by|without (...) (1, <argument>)}. */
        String orderKeys() {
            return new AggregateExpr("limitk", aggregate.expr(), new NumberLiteral(1), aggregate.grouping(), aggregate.without(),
                    aggregate.hasGrouping()).toString();
        }

        /** The group (output label set) an input series belongs to, as the engine groups it. */
        Labels groupOf(Labels series) {
            if (aggregate.without()) {
                List<String> drop = new ArrayList<>(aggregate.grouping());
                drop.add(Labels.METRIC_NAME);
                return series.without(drop.toArray(String[]::new));
            }
            Labels.Builder b = Labels.EMPTY.toBuilder();
            for (String name : aggregate.grouping()) b.set(name, series.get(name));
            return b.build();
        }

        /** The expression standing for this aggregation's result in the rewritten query. */
        Expr replacement() {
            VectorSelector p = placeholderSelector(placeholder);
            if (merge() != Merge.SELECT_AGAIN) return p;
            return new AggregateExpr(aggregate.op(), p, aggregate.param(), aggregate.grouping(), aggregate.without(),
                    aggregate.hasGrouping());
        }
    }

    /**
     * A query with its pushable aggregations replaced by placeholders; {@code pushed} empty = nothing to
     * push. {@code origins} maps every node built by the rewrite to the node of the original query it
     * stands for (for positions in annotations).
     */
    public record Rewrite(Expr expr, List<Pushed> pushed, IdentityHashMap<Expr, Expr> origins) {}

    /** The label tagging the parts of a pushed-down stddev/stdvar ({@link Pushed#varianceParts}). */
    static final String PART_LABEL = "__strata_part__";

    /** Placeholder names: reserved ({@code __} prefix), never produced by ingestion of valid Prometheus names. */
    static final String PLACEHOLDER_PREFIX = "__strata_pushdown_";

    private static final Set<String> FOLD_OPS = Set.of("sum", "min", "max", "count", "group", "avg", "stddev", "stdvar");
    private AggregationPushdown() {}

    /** The plan with delayed name removal (any per-series expression may be evaluated shard by shard). */
    public static Rewrite rewrite(Expr e) {
        return rewrite(e, true);
    }

    /**
     * The plan for a query evaluated with the given name-removal mode. With immediate name dropping an
     * aggregation is not pushed when its argument may give two series one label set
     * ({@link NameDropping#mayMergeSeries}): only an evaluation over all shards at once raises
     * Prometheus's error for them.
     */
    public static Rewrite rewrite(Expr e, boolean delayedNames) {
        List<Pushed> pushed = new ArrayList<>();
        IdentityHashMap<Expr, Expr> origins = new IdentityHashMap<>();
        Expr out = rewrite(e, pushed, origins, delayedNames);
        return new Rewrite(out, List.copyOf(pushed), origins);
    }

    private static Expr rewrite(Expr e, List<Pushed> pushed, IdentityHashMap<Expr, Expr> origins, boolean delayedNames) {
        Expr out = rebuild(e, pushed, origins, delayedNames);
        if (out != e) origins.put(out, e);
        return out;
    }

    /*
     * A rewrite: each node type is rebuilt with its own constructor around rewritten children, so it
     * switches on the type itself; ExprWalker serves the passes that only read the tree.
     */
    private static Expr rebuild(Expr e, List<Pushed> pushed, IdentityHashMap<Expr, Expr> origins, boolean delayedNames) {
        if (e instanceof AggregateExpr a) {
            List<Matcher> matchers = pushableMatchers(a);
            if (matchers != null && (delayedNames || !NameDropping.mayMergeSeries(a.expr()))) {
                Pushed p = new Pushed(PLACEHOLDER_PREFIX + pushed.size(), a, matchers);
                pushed.add(p);
                return p.replacement();
            }
            Expr param = a.param() == null ? null : rewrite(a.param(), pushed, origins, delayedNames);
            return new AggregateExpr(a.op(), rewrite(a.expr(), pushed, origins, delayedNames), param, a.grouping(), a.without(), a.hasGrouping());
        }
        if (e instanceof ParenExpr p) return new ParenExpr(rewrite(p.expr(), pushed, origins, delayedNames));
        if (e instanceof StepInvariantExpr s) return new StepInvariantExpr(rewrite(s.expr(), pushed, origins, delayedNames));
        if (e instanceof UnaryExpr u) return new UnaryExpr(u.op(), rewrite(u.expr(), pushed, origins, delayedNames));
        if (e instanceof BinaryExpr b) {
            return new BinaryExpr(b.op(), rewrite(b.lhs(), pushed, origins, delayedNames), rewrite(b.rhs(), pushed, origins, delayedNames), b.matching(), b.returnBool(),
                    b.explicitMatching());
        }
        if (e instanceof Call c) {
            List<Expr> args = new ArrayList<>(c.args().size());
            for (Expr arg : c.args()) args.add(rewrite(arg, pushed, origins, delayedNames));
            return new Call(c.function(), args);
        }
        // SubqueryExpr (its inner steps differ from the query's), selectors, literals: unchanged.
        return e;
    }

    /** The selector matchers of a pushable aggregation, or null when it is not pushable. */
    static List<Matcher> pushableMatchers(AggregateExpr a) {
        String op = a.op();
        boolean ok = switch (op) {
            case "topk", "bottomk", "limitk", "limit_ratio" -> unwrap(a.param()) instanceof NumberLiteral;
            case "count_values" -> unwrap(a.param()) instanceof StringLiteral;
            default -> FOLD_OPS.contains(op) && a.param() == null;
        };
        return ok ? perSeriesMatchers(a.expr()) : null;
    }

    /** The matchers of the one selector of a per-series expression, or null when {@code e} is not one. */
    private static List<Matcher> perSeriesMatchers(Expr e) {
        e = unwrap(e);
        if (e instanceof VectorSelector vs) return vs.matchers();
        if (e instanceof UnaryExpr u) return perSeriesMatchers(u.expr());
        if (e instanceof BinaryExpr b && !BinaryExpr.isSetOperator(b.op())) {
            if (unwrap(b.lhs()) instanceof NumberLiteral) return perSeriesMatchers(b.rhs());
            if (unwrap(b.rhs()) instanceof NumberLiteral) return perSeriesMatchers(b.lhs());
            return null;
        }
        if (e instanceof Call c && !c.args().isEmpty()) {
            Function.PerSeries f = c.function().perSeries();
            if (f == Function.PerSeries.RANGE && c.args().size() == 1 && unwrap(c.args().get(0)) instanceof MatrixSelector ms) {
                return ms.selector().matchers();
            }
            if (f == Function.PerSeries.ELEMENTWISE) {
                for (int i = 1; i < c.args().size(); i++) if (!(unwrap(c.args().get(i)) instanceof NumberLiteral)) return null;
                return perSeriesMatchers(c.args().get(0));
            }
        }
        return null;
    }

    private static Expr unwrap(Expr e) {
        while (e instanceof ParenExpr || e instanceof StepInvariantExpr) {
            e = e instanceof ParenExpr p ? p.expr() : ((StepInvariantExpr) e).expr();
        }
        return e;
    }

    static VectorSelector placeholderSelector(String name) {
        return new VectorSelector(name, List.of(Matcher.eq("__name__", name)), null, null, false, false);
    }

    /** Merges one partial value into the running one. */
    static double fold(String op, double acc, double v) {
        return switch (op) {
            case "sum", "count" -> acc + v;
            case "min" -> Double.isNaN(acc) || v < acc ? v : acc;
            case "max" -> Double.isNaN(acc) || v > acc ? v : acc;
            case "group" -> 1;
            default -> throw new IllegalArgumentException("not a folded aggregation: " + op);
        };
    }

    /**
     * The variance of the union of groups given each group's count, mean and variance, folded pairwise
     * with Chan et al.'s parallel formula: {@code delta = mean_b - mean_a},
     * {@code M2 = M2_a + M2_b + delta^2 * n_a * n_b / (n_a + n_b)}. Groups with equal means add their
     * squared deviations exactly (delta is 0), and no large sum of squares is ever subtracted.
     */
    static double mergedVariance(double[] counts, double[] means, double[] variances) {
        double n = counts[0], mean = means[0], m2 = variances[0] * counts[0];
        for (int i = 1; i < counts.length; i++) {
            double nb = counts[i];
            double total = n + nb;
            double delta = means[i] - mean;
            mean += delta * nb / total;
            m2 += variances[i] * nb + delta * delta * n * nb / total;
            n = total;
        }
        return m2 / n;
    }
}

package dev.strata.query.engine;

import dev.strata.index.Matcher;
import dev.strata.query.ast.BinaryExpr;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.MatrixSelector;
import dev.strata.query.ast.NumberLiteral;
import dev.strata.query.ast.ParenExpr;
import dev.strata.query.ast.StepInvariantExpr;
import dev.strata.query.ast.StringLiteral;
import dev.strata.query.ast.SubqueryExpr;
import dev.strata.query.ast.UnaryExpr;
import dev.strata.query.ast.VectorSelector;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a result loses its metric name ({@code __name__}, with the {@code __type__}/{@code __unit__}
 * labels that travel with it). Every operation that changes what a value means (range functions but
 * {@code last_over_time}/{@code first_over_time}, element-wise functions, unary minus, arithmetic,
 * comparisons with {@code bool}, ...) marks its output series ({@link StepSeries#dropName}). Then:
 *
 * <ul>
 *   <li>immediate (the default, {@link QueryOptions#delayedNameRemoval()} false, as stock Prometheus 2
 *       and 3): the node that marks a series drops the name at once ({@link #settle}, {@link #uniqueSeries}),
 *       so the functions above it never see it ({@code label_replace(rate(x[1m]), "m", "$1", "__name__",
 *       "(.*)")} has no {@code m}), and a node whose output now holds two series with one label set fails
 *       the query with Prometheus's error, where Prometheus checks it;</li>
 *   <li>delayed (Prometheus's {@code promql-delayed-name-removal} feature, which its test engine always
 *       turns on): the mark travels up and {@link Engine} drops the name when the query finishes.</li>
 * </ul>
 * Public only for {@link #mayMergeSeries}, which distributed evaluation asks.
 */
public final class NameDropping {
    static final String DUPLICATE_LABELSET = "vector cannot contain metrics with the same labelset";

    private NameDropping() {}

    /**
     * Immediate mode, the output of an operator or a function of instant vectors (Prometheus's
     * {@code rangeEval}, and unary minus, {@code label_replace} and {@code label_join}): marked series
     * lose their name now; series that end up with one label set are merged when their steps do not
     * overlap (a range query's output series are keyed by labels step by step) and fail the query with
     * {@value #DUPLICATE_LABELSET} when two values meet at one step (always, in an instant query).
     * Returns {@code out} itself when no series merged.
     */
    static List<StepSeries> settle(List<StepSeries> out) {
        for (StepSeries s : out) strip(s);
        if (out.size() < 2) return out;
        Set<Labels> seen = new HashSet<>(out.size() * 2);
        boolean collision = false;
        for (StepSeries s : out) {
            if (!seen.add(s.labels)) {
                collision = true;
                break;
            }
        }
        return collision ? merge(out) : out;
    }

    private static List<StepSeries> merge(List<StepSeries> out) {
        Map<Labels, StepSeries> byLabels = new LinkedHashMap<>();
        // Merged series are fresh copies: the inputs may be a child node's series.
        Map<StepSeries, Boolean> copies = new IdentityHashMap<>();
        for (StepSeries s : out) {
            StepSeries prev = byLabels.get(s.labels);
            if (prev == null) {
                byLabels.put(s.labels, s);
                continue;
            }
            if (!copies.containsKey(prev)) {
                StepSeries c = new StepSeries(prev.labels, prev.v.length, false);
                for (int i = 0; i < c.v.length; i++) if (prev.has[i]) c.set(i, prev.v[i]);
                copies.put(c, Boolean.TRUE);
                byLabels.put(c.labels, c);
                prev = c;
            }
            for (int i = 0; i < s.v.length; i++) {
                if (!s.has[i]) continue;
                if (prev.has[i]) throw QueryException.execution(DUPLICATE_LABELSET);
                prev.set(i, s.v[i]);
            }
        }
        return new ArrayList<>(byLabels.values());
    }

    /**
     * Immediate mode, a range function's output as it streams to {@code next}: marked series lose their
     * name now, and a second output series with the label set of an earlier one fails the query with
     * {@value #DUPLICATE_LABELSET} even when their steps do not overlap (Prometheus checks the function's
     * whole output matrix, series by series). Only series with at least one value reach a sink.
     */
    static VectorSink uniqueSeries(VectorSink next) {
        Map<Labels, Boolean> seen = new HashMap<>();
        return s -> {
            strip(s);
            if (seen.putIfAbsent(s.labels, Boolean.TRUE) != null) throw QueryException.execution(DUPLICATE_LABELSET);
            return next.accept(s);
        };
    }

    private static void strip(StepSeries s) {
        if (s.dropName) {
            s.labels = LabelSets.dropName(s.labels);
            s.dropName = false;
        }
    }

    /**
     * Whether evaluating the per-series expression {@code e} with immediate name dropping may give two
     * of its input series one label set: it drops the name somewhere and its selectors do not all pin one
     * metric name with an equality matcher (series of one name differ in their other labels). A cluster
     * must then evaluate it over all shards at once, not shard by shard, for Prometheus's error to be
     * raised where Prometheus raises it (two such series may live in different shards).
     */
    public static boolean mayMergeSeries(Expr e) {
        return dropsName(e) && !pinsOneName(e);
    }

    /** Whether {@code e}'s output series may have lost their input's name (conservative: true when unsure). */
    private static boolean dropsName(Expr e) {
        if (e instanceof ParenExpr p) return dropsName(p.expr());
        if (e instanceof StepInvariantExpr s) return dropsName(s.expr());
        if (e instanceof VectorSelector || e instanceof MatrixSelector || e instanceof NumberLiteral
                || e instanceof StringLiteral) {
            return false;
        }
        if (e instanceof UnaryExpr u) return u.op().equals("-") || dropsName(u.expr());
        if (e instanceof BinaryExpr b) {
            if (BinaryExpr.isSetOperator(b.op())) return dropsName(b.lhs()) || dropsName(b.rhs());
            if (!BinaryExpr.isComparison(b.op()) || b.returnBool()) return true;
            return dropsName(b.lhs()) || dropsName(b.rhs());
        }
        if (e instanceof Call c && c.function().keepsName() && c.args().size() == 1) {
            return dropsName(c.args().get(0));
        }
        if (e instanceof SubqueryExpr sq) return dropsName(sq.expr());
        return true;
    }

    /** Whether every selector in {@code e} has an equality matcher on the metric name (false when unsure). */
    private static boolean pinsOneName(Expr e) {
        if (e instanceof ParenExpr p) return pinsOneName(p.expr());
        if (e instanceof StepInvariantExpr s) return pinsOneName(s.expr());
        if (e instanceof NumberLiteral || e instanceof StringLiteral) return true;
        if (e instanceof MatrixSelector m) return pinsOneName(m.selector());
        if (e instanceof VectorSelector vs) {
            for (Matcher m : vs.matchers()) {
                if (m.name().equals(Labels.METRIC_NAME) && m.type() == Matcher.Type.EQ) return true;
            }
            return false;
        }
        if (e instanceof UnaryExpr u) return pinsOneName(u.expr());
        if (e instanceof BinaryExpr b) return pinsOneName(b.lhs()) && pinsOneName(b.rhs());
        if (e instanceof Call c) {
            for (Expr a : c.args()) if (!pinsOneName(a)) return false;
            return true;
        }
        if (e instanceof SubqueryExpr sq) return pinsOneName(sq.expr());
        return false;
    }
}

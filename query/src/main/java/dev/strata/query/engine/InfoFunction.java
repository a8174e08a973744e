package dev.strata.query.engine;

import dev.strata.index.Matcher;
import dev.strata.query.ast.AggregateExpr;
import dev.strata.query.ast.BinaryExpr;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.MatrixSelector;
import dev.strata.query.ast.ParenExpr;
import dev.strata.query.ast.SubqueryExpr;
import dev.strata.query.ast.UnaryExpr;
import dev.strata.query.ast.ValueType;
import dev.strata.query.ast.VectorSelector;
import dev.strata.query.storage.Series;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experimental {@code info(v, {selector})}: enriches each series with the data labels of the
 * info series (default {@code target_info}) sharing its identifying labels (instance, job), as of the
 * same reference time as the base series' samples (honouring their @ and offset).
 */
final class InfoFunction {
    private InfoFunction() {}

    private static final String[] IDENTIFYING = {"instance", "job"};

    static Object eval(Evaluator ev, Call c) {
        List<StepSeries> base = ev.evalVector(c.args().get(0));
        List<Matcher> nameMatchers = new ArrayList<>();
        List<Matcher> dataMatchers = new ArrayList<>();
        if (c.args().size() > 1) {
            Expr sel = c.args().get(1);
            while (sel instanceof ParenExpr p) sel = p.expr();
            if (!(sel instanceof VectorSelector vs)) {
                throw QueryException.execution("expected label selectors as the second argument to info()");
            }
            for (Matcher m : vs.matchers()) {
                if (m.name().equals(Labels.METRIC_NAME)) nameMatchers.add(m); else dataMatchers.add(m);
            }
        }
        if (nameMatchers.isEmpty()) {
            nameMatchers.add(Matcher.eq(Labels.METRIC_NAME, "target_info"));
        } else if (nameMatchers.stream().noneMatch(m -> m.type() == Matcher.Type.EQ || m.type() == Matcher.Type.RE)) {
            // Only negative name matchers: candidates are still info metrics.
            nameMatchers.add(Matcher.re(Labels.METRIC_NAME, ".+_info"));
        }
        long[] refs = new long[ev.steps];
        long minRef = Long.MAX_VALUE, maxRef = Long.MIN_VALUE;
        for (int i = 0; i < ev.steps; i++) {
            refs[i] = refTime(ev, c.args().get(0), ev.stepTime(i));
            minRef = Math.min(minRef, refs[i]);
            maxRef = Math.max(maxRef, refs[i]);
        }
        List<Matcher> selectMatchers = new ArrayList<>(nameMatchers);
        selectMatchers.addAll(dataMatchers);
        long lookback = ev.opts.lookbackDeltaMs();
        List<Series> infos = ev.storage.select(selectMatchers, minRef - lookback + 1, maxRef);
        // Per info series and step: the sample time in lookback at the ref time, or -1 (none / stale).
        long[][] infoTs = new long[infos.size()][ev.steps];
        for (int k = 0; k < infos.size(); k++) {
            Series s = infos.get(k);
            ev.ctx.scanned += s.size();
            for (int i = 0; i < ev.steps; i++) {
                long ref = refs[i];
                int j = upperBound(s.timestamps(), ref) - 1;
                infoTs[k][i] = j >= 0 && s.timestamps()[j] > ref - lookback && !Evaluator.isStale(s.values()[j])
                        ? s.timestamps()[j] : -1;
                // As Prometheus's engine: an info series selected with a native histogram is an error.
                if (infoTs[k][i] >= 0 && s.histograms() != null && s.histograms()[j] != null) {
                    throw QueryException.execution("this should be an info metric, with float samples: " + s.labels());
                }
            }
        }
        boolean dropWhenMissing = false;
        for (Matcher m : dataMatchers) if (!m.matchesEmpty()) dropWhenMissing = true;
        Out out = new Out(ev.steps);
        for (StepSeries s : base) {
            boolean isInfo = true;
            for (Matcher m : nameMatchers) if (!m.matches(s.labels.get(Labels.METRIC_NAME))) isInfo = false;
            for (int i = 0; i < ev.steps; i++) {
                if (!s.has[i]) continue;
                if (isInfo) {
                    out.add(s.labels, s.dropName, i, s.v[i]);
                    continue;
                }
                // Latest matching info series per info metric name.
                Map<String, Integer> pick = new LinkedHashMap<>();
                for (int k = 0; k < infos.size(); k++) {
                    if (infoTs[k][i] < 0) continue;
                    Labels il = infos.get(k).labels();
                    boolean same = true;
                    for (String id : IDENTIFYING) if (!il.get(id).equals(s.labels.get(id))) same = false;
                    if (!same) continue;
                    String name = il.get(Labels.METRIC_NAME);
                    Integer prev = pick.get(name);
                    if (prev == null || infoTs[prev][i] < infoTs[k][i]) pick.put(name, k);
                }
                if (pick.isEmpty()) {
                    if (!dropWhenMissing) out.add(s.labels, s.dropName, i, s.v[i]);
                    continue;
                }
                Labels.Builder b = s.labels.toBuilder();
                Map<String, String> added = new LinkedHashMap<>();
                for (int k : pick.values()) {
                    for (Labels.Label l : infos.get(k).labels()) {
                        String n = l.name();
                        if (n.equals(Labels.METRIC_NAME) || n.equals("instance") || n.equals("job")) continue;
                        if (!dataMatchers.isEmpty() && dataMatchers.stream().noneMatch(m -> m.name().equals(n))) continue;
                        if (s.labels.has(n)) continue;
                        String prev = added.putIfAbsent(n, l.value());
                        if (prev != null && !prev.equals(l.value())) {
                            throw QueryException.execution("conflicting label: " + n + " has values \"" + prev
                                    + "\" and \"" + l.value() + "\" in info series");
                        }
                    }
                }
                added.forEach(b::set);
                out.add(b.build(), s.dropName, i, s.v[i]);
            }
        }
        return out.series();
    }

    private static int upperBound(long[] a, long key) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= key) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /**
     * The time the base expression's samples are read at for evaluation time t (its @ and offsets).
     * Follows one path down the tree (the vector side of each node), not a walk of every node, so it
     * does not use {@link dev.strata.query.ast.ExprWalker}.
     */
    static long refTime(Evaluator ev, Expr e, long t) {
        if (e instanceof VectorSelector vs) {
            long at = vs.at() != null ? vs.at().resolve(ev.queryStart, ev.queryEnd) : t;
            return at - ev.resolve(vs.offset());
        }
        if (e instanceof MatrixSelector ms) return refTime(ev, ms.selector(), t);
        if (e instanceof SubqueryExpr sq) {
            long at = sq.at() != null ? sq.at().resolve(ev.queryStart, ev.queryEnd) : t;
            return refTime(ev, sq.expr(), at - ev.resolve(sq.offset()));
        }
        if (e instanceof ParenExpr p) return refTime(ev, p.expr(), t);
        if (e instanceof UnaryExpr u) return refTime(ev, u.expr(), t);
        if (e instanceof BinaryExpr b) return refTime(ev, b.lhs().type() == ValueType.SCALAR ? b.rhs() : b.lhs(), t);
        if (e instanceof AggregateExpr a) return refTime(ev, a.expr(), t);
        if (e instanceof Call c) {
            for (Expr x : c.args()) {
                if (x.type() == ValueType.VECTOR || x.type() == ValueType.MATRIX) return refTime(ev, x, t);
            }
        }
        return t;
    }
}

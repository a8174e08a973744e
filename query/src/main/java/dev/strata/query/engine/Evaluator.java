package dev.strata.query.engine;

import dev.strata.query.ast.AggregateExpr;
import dev.strata.query.ast.AtModifier;
import dev.strata.query.ast.BinaryExpr;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.DurationExpr;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.MatrixSelector;
import dev.strata.query.ast.NumberLiteral;
import dev.strata.query.ast.ParenExpr;
import dev.strata.query.ast.StepInvariantExpr;
import dev.strata.query.ast.StringLiteral;
import dev.strata.query.ast.SubqueryExpr;
import dev.strata.query.ast.UnaryExpr;
import dev.strata.query.ast.VectorSelector;
import dev.strata.query.storage.Queryable;
import dev.strata.query.storage.Series;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates an expression over the steps start, start+interval, ..., end (an instant query is one
 * step). Every node yields its value for all steps at once: instant vectors as {@link StepSeries},
 * scalars as {@code double[]}, range vectors as {@link RangeInput} (selector data is read once per
 * node for the whole range and windows slide over it). Not thread safe; one per query (subqueries
 * get a child evaluator with their own steps).
 */
final class Evaluator {
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    final Queryable storage;
    final QueryOptions opts;
    final long start;
    final long end;
    final long interval;
    final int steps;
    /** The outer query's start and end, for {@code @ start()} / {@code @ end()}. */
    final long queryStart;
    final long queryEnd;
    final Annotations annotations;
    final QueryContext ctx;

    Evaluator(Queryable storage, QueryOptions opts, long start, long end, long interval, long queryStart,
              long queryEnd, Annotations annotations, QueryContext ctx) {
        this.storage = storage;
        this.opts = opts;
        this.start = start;
        this.end = end;
        this.interval = interval;
        this.steps = (int) ((end - start) / interval) + 1;
        this.queryStart = queryStart;
        this.queryEnd = queryEnd;
        this.annotations = annotations;
        this.ctx = ctx;
    }

    static boolean isStale(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }

    long stepTime(int i) {
        return start + i * interval;
    }

    /** The query's step for duration expressions ({@code step()}); 0 for instant queries. */
    long queryStepMs() {
        return ctx.queryStepMs;
    }

    long resolve(DurationExpr d) {
        if (d == null) return 0;
        return d.resolveMs(ctx.queryStepMs, ctx.queryRangeMs);
    }

    /** Returns a List of StepSeries (instant vector), double[] (scalar), String, or RangeInput. */
    Object eval(Expr e) {
        ctx.checkDeadline();
        if (e instanceof NumberLiteral n) {
            double[] v = new double[steps];
            Arrays.fill(v, n.value());
            return v;
        }
        if (e instanceof StringLiteral s) return s.value();
        if (e instanceof ParenExpr p) return eval(p.expr());
        if (e instanceof StepInvariantExpr s) return eval(s.expr());
        if (e instanceof UnaryExpr u) return unary(u);
        if (e instanceof VectorSelector vs) return ctx.account(selectVector(vs, false));
        if (e instanceof MatrixSelector ms) return selectRange(ms);
        if (e instanceof SubqueryExpr sq) return subquery(sq);
        if (e instanceof BinaryExpr b) return ctx.account(BinaryOps.eval(this, b));
        if (e instanceof AggregateExpr a) return ctx.account(Aggregations.eval(this, a));
        if (e instanceof Call c) return ctx.account(Functions.eval(this, c));
        throw new IllegalStateException("unknown node " + e.getClass());
    }

    @SuppressWarnings("unchecked")
    List<StepSeries> evalVector(Expr e) {
        return (List<StepSeries>) eval(e);
    }

    double[] evalScalar(Expr e) {
        return (double[]) eval(e);
    }

    private Object unary(UnaryExpr u) {
        Object v = eval(u.expr());
        if (u.op().equals("+")) return v;
        if (v instanceof double[] d) {
            double[] r = new double[d.length];
            for (int i = 0; i < d.length; i++) r[i] = -d[i];
            return r;
        }
        @SuppressWarnings("unchecked") List<StepSeries> in = (List<StepSeries>) v;
        List<StepSeries> out = new ArrayList<>(in.size());
        for (StepSeries s : in) {
            StepSeries o = new StepSeries(s.labels, steps, true);
            for (int i = 0; i < steps; i++) if (s.has[i]) o.set(i, -s.v[i]);
            out.add(o);
        }
        return out;
    }

    /** Window end for step i of a selector/subquery with the given offset and @. */
    long refTime(int i, long offsetMs, AtModifier at) {
        long base = at != null ? at.resolve(queryStart, queryEnd) : stepTime(i);
        return base - offsetMs;
    }

    /** Instant vector selector with lookback; {@code keepTimestamps} records sample times for timestamp(). */
    List<StepSeries> selectVector(VectorSelector vs, boolean keepTimestamps) {
        return selectVector(vs, keepTimestamps, false);
    }

    /** As {@link #selectVector(VectorSelector, boolean)}; {@code keepStarts} records start timestamps for start_timestamp(). */
    List<StepSeries> selectVector(VectorSelector vs, boolean keepTimestamps, boolean keepStarts) {
        long off = resolve(vs.offset());
        long lookback = opts.lookbackDeltaMs();
        long minRef = Long.MAX_VALUE, maxRef = Long.MIN_VALUE;
        for (int i = 0; i < steps; i++) {
            long r = refTime(i, off, vs.at());
            minRef = Math.min(minRef, r);
            maxRef = Math.max(maxRef, r);
        }
        List<Series> raw = storage.select(vs.matchers(), minRef - lookback + 1, maxRef + (vs.smoothed() ? lookback : 0));
        List<StepSeries> out = new ArrayList<>(raw.size());
        for (Series s : raw) {
            ctx.checkDeadline();
            ctx.scanned += s.size();
            StepSeries o = new StepSeries(s.labels(), steps, false);
            if (keepTimestamps) o.ts = new long[steps];
            long[] st = keepStarts ? s.startTimestamps() : null;
            if (keepStarts) o.st = new long[steps];
            long[] t = s.timestamps();
            double[] v = s.values();
            int j = -1;
            boolean any = false;
            for (int i = 0; i < steps; i++) {
                long ref = refTime(i, off, vs.at());
                // Last sample with t <= ref; refs are non-decreasing so the cursor only moves forward,
                // except with @ (constant) where this is computed once and reused.
                if (j >= 0 && t[j] > ref) j = -1;
                while (j + 1 < t.length && t[j + 1] <= ref) j++;
                if (j >= 0 && t[j] > ref - lookback && !isStale(v[j])) {
                    double val = v[j];
                    if (vs.smoothed() && t[j] < ref && j + 1 < t.length && t[j + 1] < ref + lookback
                            && !isStale(v[j + 1])) {
                        // Linear interpolation between the samples around ref.
                        val = v[j] + (v[j + 1] - v[j]) * (double) (ref - t[j]) / (double) (t[j + 1] - t[j]);
                    }
                    o.set(i, val);
                    if (keepTimestamps) o.ts[i] = t[j];
                    if (st != null) o.st[i] = st[j];
                    any = true;
                }
            }
            if (any) out.add(o);
        }
        return out;
    }

    RangeInput selectRange(MatrixSelector ms) {
        VectorSelector vs = ms.selector();
        long off = resolve(vs.offset());
        long range = resolve(ms.range());
        long[] ref = new long[steps];
        long minRef = Long.MAX_VALUE, maxRef = Long.MIN_VALUE;
        for (int i = 0; i < steps; i++) {
            ref[i] = refTime(i, off, vs.at());
            minRef = Math.min(minRef, ref[i]);
            maxRef = Math.max(maxRef, ref[i]);
        }
        long extra = vs.anchored() || vs.smoothed() ? opts.lookbackDeltaMs() : 0;
        List<Series> raw = storage.select(vs.matchers(), minRef - range + 1 - extra, maxRef + (vs.smoothed() ? extra : 0));
        List<RangeSeries> out = new ArrayList<>(raw.size());
        for (Series s : raw) {
            ctx.checkDeadline();
            ctx.scanned += s.size();
            long[] t = s.timestamps();
            double[] v = s.values();
            long[] st = s.startTimestamps();
            int n = 0;
            for (double x : v) if (!isStale(x)) n++;
            long[] tt = t;
            double[] vv = v;
            long[] sts = st;
            if (n != t.length) {
                tt = new long[n];
                vv = new double[n];
                sts = st == null ? null : new long[n];
                int k = 0;
                for (int i = 0; i < t.length; i++) {
                    if (!isStale(v[i])) {
                        tt[k] = t[i];
                        if (sts != null) sts[k] = st[i];
                        vv[k++] = v[i];
                    }
                }
            }
            out.add(new RangeSeries(s.labels(), tt, vv, sts, false));
        }
        return new RangeInput(out, ref, range, vs);
    }

    RangeInput subquery(SubqueryExpr sq) {
        long off = resolve(sq.offset());
        long range = resolve(sq.range());
        long step = sq.step() != null ? resolve(sq.step()) : opts.defaultSubqueryStepMs();
        if (step <= 0) throw QueryException.execution("subquery step must be greater than 0");
        long[] ref = new long[steps];
        for (int i = 0; i < steps; i++) ref[i] = refTime(i, off, sq.at());
        long outerStart = sq.at() != null ? ref[0] : start - off;
        long outerEnd = sq.at() != null ? ref[0] : end - off;
        long rawStart = outerStart - range;
        long innerStart = step * (rawStart / step);
        if (innerStart < rawStart) innerStart += step;
        List<RangeSeries> out = new ArrayList<>();
        if (innerStart <= outerEnd) {
            Evaluator inner = new Evaluator(storage, opts, innerStart, outerEnd, step, queryStart, queryEnd,
                    annotations, ctx);
            Object v = inner.eval(sq.expr());
            List<StepSeries> vec;
            if (v instanceof double[] d) {
                // A scalar inner expression cannot occur (parser requires instant vector); keep it safe.
                StepSeries s = new StepSeries(dev.strata.store.model.Labels.EMPTY, inner.steps, false);
                for (int i = 0; i < d.length; i++) s.set(i, d[i]);
                vec = List.of(s);
            } else {
                @SuppressWarnings("unchecked") List<StepSeries> l = (List<StepSeries>) v;
                vec = l;
            }
            for (StepSeries s : vec) {
                int n = s.count();
                long[] t = new long[n];
                double[] vv = new double[n];
                int k = 0;
                for (int i = 0; i < inner.steps; i++) {
                    if (s.has[i]) {
                        t[k] = inner.stepTime(i);
                        vv[k++] = s.v[i];
                    }
                }
                out.add(new RangeSeries(s.labels, t, vv, s.dropName));
            }
        }
        return new RangeInput(out, ref, range, null);
    }
}

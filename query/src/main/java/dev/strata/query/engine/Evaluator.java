package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
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
    /** Prometheus's "samples" statistic of this evaluation (a subquery's inner evaluation has its own). */
    final SampleStats samples;
    /** Names marked for dropping are dropped when the query finishes, not at once ({@link NameDropping}). */
    final boolean delayedNames;

    Evaluator(Queryable storage, QueryOptions opts, long start, long end, long interval, long queryStart,
              long queryEnd, Annotations annotations, QueryContext ctx, SampleStats samples) {
        this.storage = storage;
        this.opts = opts;
        this.start = start;
        this.end = end;
        this.interval = interval;
        this.steps = steps(start, end, interval);
        this.queryStart = queryStart;
        this.queryEnd = queryEnd;
        this.annotations = annotations;
        this.ctx = ctx;
        this.samples = samples;
        this.delayedNames = opts.delayedNameRemoval();
    }

    /** Steps of the evaluation over [start, end] at {@code interval} (an instant query is one step). */
    static int steps(long start, long end, long interval) {
        return (int) ((end - start) / interval) + 1;
    }

    static boolean isStale(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }

    /**
     * Whether any of v[0..n) is a staleness marker. Branch-free over all values so the JIT can
     * vectorise it: for y = bits ^ marker, (y - 1) &amp; ~y has its sign bit set exactly when y == 0.
     */
    static boolean anyStale(double[] v, int n) {
        long acc = 0;
        for (int i = 0; i < n; i++) {
            long y = Double.doubleToRawLongBits(v[i]) ^ STALE_NAN_BITS;
            acc |= (y - 1) & ~y;
        }
        return acc < 0;
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
        if (e instanceof UnaryExpr u) return settled(unary(u));
        if (e instanceof VectorSelector || e instanceof Call c && Functions.isRollup(c)) return collect(e);
        if (e instanceof MatrixSelector ms) return selectRange(ms);
        if (e instanceof SubqueryExpr sq) return subquery(sq);
        if (e instanceof BinaryExpr b) return ctx.account(settled(BinaryOps.eval(this, b)));
        if (e instanceof AggregateExpr a) return ctx.account(Aggregations.eval(this, a));
        if (e instanceof Call c) return ctx.account(settled(Functions.eval(this, c)));
        throw new IllegalStateException("unknown node " + e.getClass());
    }

    /**
     * An operator's or instant function's output with immediate name dropping: names dropped now and
     * Prometheus's same-labelset check ({@link NameDropping#settle}). Aggregations need neither: their
     * inputs are settled and their groups are distinct.
     */
    private Object settled(Object v) {
        if (delayedNames || !(v instanceof List<?>)) return v;
        @SuppressWarnings("unchecked") List<StepSeries> series = (List<StepSeries>) v;
        return NameDropping.settle(series);
    }

    /** Runs a streaming producer (see {@link #streamVector}) into a list. */
    private List<StepSeries> collect(Expr e) {
        List<StepSeries> out = new ArrayList<>();
        streamVector(e, s -> out.add(s));
        return out;
    }

    /**
     * Evaluates an instant-vector expression and hands its series to {@code sink} one at a time.
     * Selectors and range functions produce series as they read storage, so a folding consumer
     * (aggregation) never holds its whole input; other expressions are evaluated and then handed over.
     * Producers enforce the max-samples limit on what they produce, as {@link QueryContext#account} does.
     */
    void streamVector(Expr e, VectorSink sink) {
        Expr u = e;
        while (u instanceof ParenExpr || u instanceof StepInvariantExpr) {
            u = u instanceof ParenExpr p ? p.expr() : ((StepInvariantExpr) u).expr();
        }
        if (u instanceof VectorSelector vs) {
            ctx.checkDeadline();
            selectVector(vs, false, false, sink);
        } else if (u instanceof Call c && Functions.isRollup(c)) {
            ctx.checkDeadline();
            Functions.rollup(this, c, delayedNames ? sink : NameDropping.uniqueSeries(sink));
        } else {
            for (StepSeries s : evalVector(e)) sink.accept(s);
        }
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
            for (int i = 0; i < steps; i++) {
                if (!s.has[i]) continue;
                FloatHistogram h = s.hist(i);
                if (h != null) o.setHistogram(i, HistogramMath.negate(h));
                else o.set(i, -s.v[i]);
            }
            out.add(o);
        }
        return out;
    }

    private static FloatHistogram unknownHint(FloatHistogram h) {
        if (h == null || h.resetHint() == FloatHistogram.ResetHint.GAUGE) return h;
        return h.withResetHint(FloatHistogram.ResetHint.UNKNOWN);
    }

    /** Window end for step i of a selector/subquery with the given offset and @. */
    long refTime(int i, long offsetMs, AtModifier at) {
        long base = at != null ? at.resolve(queryStart, queryEnd) : stepTime(i);
        return base - offsetMs;
    }

    /** The window ends of a selector or subquery at every step: step time (or @ time) minus offset. */
    long[] refTimes(long offsetMs, AtModifier at) {
        long[] ref = new long[steps];
        for (int i = 0; i < steps; i++) ref[i] = refTime(i, offsetMs, at);
        return ref;
    }

    /** Instant vector selector, collected (see {@link #selectVector(VectorSelector, boolean, boolean, VectorSink)}). */
    List<StepSeries> selectVector(VectorSelector vs, boolean keepTimestamps) {
        return selectVector(vs, keepTimestamps, false);
    }

    /** As {@link #selectVector(VectorSelector, boolean)}; {@code keepStarts} records start timestamps for start_timestamp(). */
    List<StepSeries> selectVector(VectorSelector vs, boolean keepTimestamps, boolean keepStarts) {
        List<StepSeries> out = new ArrayList<>();
        selectVector(vs, keepTimestamps, keepStarts, s -> out.add(s));
        return out;
    }

    /**
     * Instant vector selector with lookback: each series' value at a step is its last sample at or
     * before the step's reference time, if newer than the lookback delta and not a staleness marker.
     * Series are read and handed to {@code sink} one at a time; {@code keepTimestamps} records the
     * sample times for timestamp(), {@code keepStarts} their start timestamps for start_timestamp().
     * Counts one Prometheus sample per value produced.
     */
    void selectVector(VectorSelector vs, boolean keepTimestamps, boolean keepStarts, VectorSink sink) {
        long off = resolve(vs.offset());
        long lookback = opts.lookbackDeltaMs();
        boolean smoothed = vs.smoothed();
        long[] ref = refTimes(off, vs.at());
        long minRef = Long.MAX_VALUE, maxRef = Long.MIN_VALUE;
        for (long r : ref) {
            minRef = Math.min(minRef, r);
            maxRef = Math.max(maxRef, r);
        }
        StepSeries[] spare = new StepSeries[1];
        long[] produced = new long[1];
        boolean statsOnly = ctx.histogramStats.contains(vs);
        storage.select(vs.matchers(), minRef - lookback + 1, maxRef + (smoothed ? lookback : 0), (labels, t, v, st, stored, n) -> {
            FloatHistogram[] h = statsOnly ? HistogramStatsSelectors.deriveResetHints(stored, n) : stored;
            ctx.checkDeadlineNow();
            ctx.scanned += n;
            StepSeries o = spare[0];
            if (o == null) {
                o = new StepSeries(labels, steps, false);
                if (keepTimestamps) o.ts = new long[steps];
                if (keepStarts) o.st = new long[steps];
            } else {
                o.reset(labels, false);
            }
            int j = -1;
            int count = 0;
            for (int i = 0; i < steps; i++) {
                long r = ref[i];
                // Last sample with t <= r; refs never decrease (with @ they are constant), so the
                // cursor only moves forward.
                if (j >= 0 && t[j] > r) j = -1;
                while (j + 1 < n && t[j + 1] <= r) j++;
                // smoothed: the sample after r (within the lookback) to interpolate towards, or -1.
                int next = smoothed && j >= 0 && t[j] < r && j + 1 < n && t[j + 1] < r + lookback
                        && (h != null && h[j + 1] != null || !isStale(v[j + 1])) ? j + 1 : -1;
                boolean hj = h != null && j >= 0 && h[j] != null;
                if (next >= 0 && j >= 0 && t[j] > r - lookback && (hj || !isStale(v[j]))
                        && hj != (h != null && h[next] != null)) {
                    annotations.warn("encountered a mix of histograms and floats for metric name \""
                            + labels.get(Labels.METRIC_NAME) + "\"" + ctx.position(vs));
                    continue;
                }
                if (j >= 0 && t[j] > r - lookback && hj) {
                    FloatHistogram hv = h[j];
                    if (next >= 0) {
                        if (h[j].usesCustomBuckets() != h[next].usesCustomBuckets()) {
                            annotations.warn("vector contains a mix of histograms with exponential and custom buckets"
                                    + " schemas for metric name \"" + labels.get(Labels.METRIC_NAME) + "\"" + ctx.position(vs));
                            continue;
                        }
                        hv = ExtendedRollups.interpolate(t[j], h[j], t[next], h[next], r,
                                h[next].resetHint() != FloatHistogram.ResetHint.GAUGE);
                    }
                    o.setHistogram(i, hv);
                    if (keepTimestamps) o.ts[i] = t[j];
                    if (keepStarts) o.st[i] = st == null ? 0 : st[j];
                    samples.add(i, HistogramMath.sampleWeight(h[j])); // Prometheus counts a histogram by its size
                    count++;
                } else if (j >= 0 && t[j] > r - lookback && !isStale(v[j])) {
                    double val = v[j];
                    if (smoothed && t[j] < r && j + 1 < n && t[j + 1] < r + lookback && !isStale(v[j + 1])
                            && (h == null || h[j + 1] == null)) {
                        // Linear interpolation between the samples around r.
                        val = v[j] + (v[j + 1] - v[j]) * (double) (r - t[j]) / (double) (t[j + 1] - t[j]);
                    }
                    o.set(i, val);
                    if (keepTimestamps) o.ts[i] = t[j];
                    if (keepStarts) o.st[i] = st == null ? 0 : st[j];
                    samples.add(i, 1);
                    count++;
                }
            }
            if (count == 0) {
                spare[0] = o;
                return;
            }
            produced[0] += count;
            spare[0] = sink.accept(o) ? null : o;
        });
        ctx.limit(produced[0]);
    }

    /** A matrix selector: its series are read lazily, when a consumer iterates the {@link RangeInput}. */
    RangeInput selectRange(MatrixSelector ms) {
        VectorSelector vs = ms.selector();
        long off = resolve(vs.offset());
        long range = resolve(ms.range());
        long[] ref = refTimes(off, vs.at());
        long minRef = Long.MAX_VALUE, maxRef = Long.MIN_VALUE;
        for (long r : ref) {
            minRef = Math.min(minRef, r);
            maxRef = Math.max(maxRef, r);
        }
        long extra = vs.anchored() || vs.smoothed() ? opts.lookbackDeltaMs() : 0;
        return RangeInput.ofSelector(this, vs, ref, range, minRef - range + 1 - extra,
                maxRef + (vs.smoothed() ? extra : 0));
    }

    RangeInput subquery(SubqueryExpr sq) {
        long off = resolve(sq.offset());
        long range = resolve(sq.range());
        long step = sq.step() != null ? resolve(sq.step()) : opts.defaultSubqueryStepMs();
        if (step <= 0) throw QueryException.execution("subquery step must be greater than 0");
        long[] ref = refTimes(off, sq.at());
        long outerStart = sq.at() != null ? ref[0] : start - off;
        long outerEnd = sq.at() != null ? ref[0] : end - off;
        // The first multiple of the step after outerStart - range (windows are left-open, so a step
        // exactly at the window start would never be used).
        long rawStart = outerStart - range;
        long innerStart = step * (rawStart / step);
        if (innerStart <= rawStart) innerStart += step;
        List<RangeSeries> out = new ArrayList<>();
        long innerSamples = 0;
        if (innerStart <= outerEnd) {
            Evaluator inner = new Evaluator(storage, opts, innerStart, outerEnd, step, queryStart, queryEnd,
                    annotations, ctx, new SampleStats(0));
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
                FloatHistogram[] hh = s.h == null ? null : new FloatHistogram[n];
                int k = 0;
                for (int i = 0; i < inner.steps; i++) {
                    if (s.has[i]) {
                        t[k] = inner.stepTime(i);
                        // Reset/not-reset hints do not hold between a subquery's steps (it may skip samples or
                        // repeat one): as Prometheus does, they become unknown, so resets are detected anew.
                        if (hh != null) hh[k] = unknownHint(s.h[i]);
                        vv[k++] = s.v[i];
                    }
                }
                out.add(new RangeSeries(s.labels, t, vv, null, n, s.dropName).withHistograms(hh));
            }
            innerSamples = inner.samples.total();
        }
        return RangeInput.ofSeries(out, ref, range, innerSamples);
    }
}

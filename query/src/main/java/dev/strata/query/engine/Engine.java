package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.ValueType;
import dev.strata.query.parser.Parser;
import dev.strata.query.storage.Queryable;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The PromQL engine: parses and evaluates instant and range queries against a {@link Queryable}.
 * Thread safe (each query has its own evaluator). Errors: {@link dev.strata.query.parser.ParseException}
 * (bad_data) and {@link QueryException} with its Prometheus errorType.
 */
public final class Engine {
    private final Queryable storage;
    private final QueryOptions defaults;

    public Engine(Queryable storage, QueryOptions defaults) {
        this.storage = storage;
        this.defaults = defaults;
    }

    public QueryOptions defaults() {
        return defaults;
    }

    public QueryResult instantQuery(String expr, long timeMs) {
        return instantQuery(expr, timeMs, defaults);
    }

    public QueryResult instantQuery(String expr, long timeMs, QueryOptions opts) {
        Parser.Parsed parsed = Parser.parseWithPositions(expr);
        return run(parsed, expr, timeMs, timeMs, 0, opts, false);
    }

    public QueryResult rangeQuery(String expr, long startMs, long endMs, long stepMs) {
        return rangeQuery(expr, startMs, endMs, stepMs, defaults);
    }

    public QueryResult rangeQuery(String expr, long startMs, long endMs, long stepMs, QueryOptions opts) {
        if (stepMs <= 0) {
            throw new QueryException("bad_data", "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMs < startMs) throw new QueryException("bad_data", "end timestamp must not be before start time");
        Parser.Parsed parsed = Parser.parseWithPositions(expr);
        Expr e = parsed.expr();
        if (e.type() != ValueType.SCALAR && e.type() != ValueType.VECTOR) {
            throw new QueryException("bad_data", "invalid expression type \"" + e.type().display()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        return run(parsed, expr, startMs, endMs, stepMs, opts, true);
    }

    /** Evaluates an already parsed expression (interval 0 = instant query). */
    public QueryResult evaluate(Expr e, long startMs, long endMs, long stepMs, QueryOptions opts) {
        return run(new Parser.Parsed(e, new java.util.IdentityHashMap<>()), e.toString(), startMs, endMs, stepMs,
                opts, stepMs > 0);
    }

    /**
     * Evaluates an already parsed expression whose nodes' positions point into {@code input} (for the
     * positions in annotations); interval 0 = instant query.
     */
    public QueryResult evaluate(Parser.Parsed parsed, String input, long startMs, long endMs, long stepMs, QueryOptions opts) {
        return run(parsed, input, startMs, endMs, stepMs, opts, stepMs > 0);
    }

    private QueryResult run(Parser.Parsed parsed, String input, long start, long end, long step, QueryOptions opts,
                            boolean range) {
        long t0 = System.nanoTime();
        Expr e = parsed.expr();
        QueryContext ctx = new QueryContext(opts.timeoutMs(), opts.maxSamples(), step, end - start, range, parsed, input);
        Annotations ann = new Annotations();
        long interval = range ? step : 1;
        SampleStats samples = new SampleStats(Evaluator.steps(start, end, interval));
        Evaluator ev = new Evaluator(storage, opts, start, end, interval, start, end, ann, ctx, samples);
        Object v;
        try {
            v = ev.eval(e);
        } catch (dev.strata.store.model.InvalidLabelsException ex) {
            // e.g. label_replace producing an invalid label name or value.
            throw QueryException.execution(ex.getMessage());
        }
        Value value;
        if (v instanceof String s) {
            value = new StringValue(start, s);
        } else if (v instanceof double[] d) {
            if (range) {
                long[] ts = new long[ev.steps];
                for (int i = 0; i < ev.steps; i++) ts[i] = ev.stepTime(i);
                value = new Matrix(List.of(new SeriesPoints(Labels.EMPTY, ts, d.clone())));
            } else {
                value = new Scalar(start, d[0]);
            }
        } else if (v instanceof RangeInput r) {
            value = rangeValue(r, ctx, samples);
        } else {
            @SuppressWarnings("unchecked") List<StepSeries> series = (List<StepSeries>) v;
            value = range ? matrix(ev, series) : vector(ev, series);
        }
        QueryStats stats = new QueryStats(ctx.scanned, ctx.peak, System.nanoTime() - t0, samples.total(),
                samples.perStep().clone(), start, range ? step : 0);
        return new QueryResult(value, ann.warnings(), ann.infos(), stats);
    }

    /**
     * Evaluates a {@code sum} aggregation (the whole query, parentheses aside) over this engine's
     * storage as one part of a larger input, for merging with the other parts
     * ({@link HistogramPartialMerge}): float sums as {@code sum} gives them, and for steps with native
     * histograms a {@link HistogramPartial} instead of the final histogram and its annotations.
     * Step 0 = instant query at {@code start}.
     *
     * @throws QueryException bad_data when the query is not a sum, else as the query's evaluation fails
     */
    public PartialAggregation partialAggregation(String expr, long start, long end, long step, QueryOptions opts) {
        long t0 = System.nanoTime();
        Parser.Parsed parsed = Parser.parseWithPositions(expr);
        Expr e = parsed.expr();
        while (e instanceof dev.strata.query.ast.ParenExpr p) e = p.expr();
        if (!(e instanceof dev.strata.query.ast.AggregateExpr a) || !a.op().equals("sum")) {
            throw new QueryException("bad_data", "a partial aggregation must be a sum, not " + expr);
        }
        boolean range = step > 0;
        QueryContext ctx = new QueryContext(opts.timeoutMs(), opts.maxSamples(), step, end - start, range, parsed, expr);
        Annotations ann = new Annotations();
        long interval = range ? step : 1;
        SampleStats samples = new SampleStats(Evaluator.steps(start, end, interval));
        Evaluator ev = new Evaluator(storage, opts, start, end, interval, start, end, ann, ctx, samples);
        List<Aggregations.PartialGroup> groups;
        try {
            groups = Aggregations.partials(ev, a);
        } catch (dev.strata.store.model.InvalidLabelsException ex) {
            throw QueryException.execution(ex.getMessage());
        }
        List<StepSeries> outs = new ArrayList<>(groups.size());
        for (Aggregations.PartialGroup g : groups) outs.add(g.out());
        ctx.account(outs);
        List<dev.strata.query.storage.Series> series = new ArrayList<>(groups.size());
        List<HistogramPartial[]> partials = new ArrayList<>(groups.size());
        Set<Labels> seen = new HashSet<>();
        for (Aggregations.PartialGroup g : groups) {
            StepSeries s = g.out();
            Labels l = finalLabels(s);
            // Groups told apart by __name__ alone whose members drop it: as one node's evaluation, an error
            // (a range query would merge them when their steps do not overlap; the asker then reads raw series).
            if (!seen.add(l)) throw QueryException.execution("vector cannot contain metrics with the same labelset");
            int n = s.count();
            long[] ts = new long[n];
            double[] vs = new double[n];
            FloatHistogram[] hs = s.h == null ? null : new FloatHistogram[n];
            HistogramPartial[] ps = g.partials() == null ? null : new HistogramPartial[n];
            int k = 0;
            for (int i = 0; i < ev.steps; i++) {
                if (!s.has[i]) continue;
                ts[k] = ev.stepTime(i);
                vs[k] = s.v[i];
                if (hs != null) hs[k] = s.h[i];
                if (ps != null) ps[k] = g.partials()[i];
                k++;
            }
            series.add(new dev.strata.query.storage.Series(l, ts, vs, null, hs));
            partials.add(ps);
        }
        QueryStats stats = new QueryStats(ctx.scanned, ctx.peak, System.nanoTime() - t0, samples.total(),
                samples.perStep().clone(), start, range ? step : 0);
        return new PartialAggregation(series, partials, ann.warnings(), ann.infos(), stats);
    }

    private static Labels finalLabels(StepSeries s) {
        return s.dropName ? LabelSets.dropName(s.labels) : s.labels;
    }

    private static Vector vector(Evaluator ev, List<StepSeries> series) {
        List<Sample> out = new ArrayList<>(series.size());
        Set<Labels> seen = new HashSet<>();
        for (StepSeries s : series) {
            if (!s.has[0]) continue;
            Labels l = finalLabels(s);
            if (!seen.add(l)) throw QueryException.execution("vector cannot contain metrics with the same labelset");
            out.add(new Sample(l, ev.stepTime(0), s.v[0], s.hist(0)));
        }
        return new Vector(out);
    }

    private static Matrix matrix(Evaluator ev, List<StepSeries> series) {
        List<SeriesPoints> out = new ArrayList<>(series.size());
        java.util.Map<Labels, SeriesPoints> byLabels = new java.util.HashMap<>();
        for (StepSeries s : series) {
            int n = s.count();
            if (n == 0) continue;
            long[] ts = new long[n];
            double[] vs = new double[n];
            FloatHistogram[] hs = s.h == null ? null : new FloatHistogram[n];
            int k = 0;
            for (int i = 0; i < ev.steps; i++) {
                if (s.has[i]) {
                    ts[k] = ev.stepTime(i);
                    if (hs != null) hs[k] = s.h[i];
                    vs[k++] = s.v[i];
                }
            }
            Labels l = finalLabels(s);
            SeriesPoints prev = byLabels.get(l);
            if (prev != null) {
                // Two series became one after dropping names: fine only if their steps don't overlap.
                SeriesPoints merged = merge(prev, new SeriesPoints(l, ts, vs, hs));
                out.remove(prev);
                out.add(merged);
                byLabels.put(l, merged);
                continue;
            }
            SeriesPoints sp = new SeriesPoints(l, ts, vs, hs);
            byLabels.put(l, sp);
            out.add(sp);
        }
        out.sort((a, b) -> a.metric().compareTo(b.metric()));
        return new Matrix(out);
    }

    private static SeriesPoints merge(SeriesPoints a, SeriesPoints b) {
        int n = a.size() + b.size();
        long[] ts = new long[n];
        double[] vs = new double[n];
        FloatHistogram[] hs = a.histograms() == null && b.histograms() == null ? null : new FloatHistogram[n];
        int i = 0, j = 0, k = 0;
        while (i < a.size() || j < b.size()) {
            if (j >= b.size() || (i < a.size() && a.timestamps()[i] < b.timestamps()[j])) {
                ts[k] = a.timestamps()[i];
                if (hs != null) hs[k] = a.histogram(i);
                vs[k++] = a.values()[i++];
            } else if (i >= a.size() || b.timestamps()[j] < a.timestamps()[i]) {
                ts[k] = b.timestamps()[j];
                if (hs != null) hs[k] = b.histogram(j);
                vs[k++] = b.values()[j++];
            } else {
                throw QueryException.execution("vector cannot contain metrics with the same labelset");
            }
        }
        return new SeriesPoints(a.metric(), ts, vs, hs);
    }

    /**
     * A range vector at an instant query: the window of each series. Prometheus counts a selector's
     * window points as its samples, a subquery's inner evaluation.
     */
    private static Matrix rangeValue(RangeInput r, QueryContext ctx, SampleStats samples) {
        long ref = r.ref[0];
        long from = ref - r.rangeMs;
        List<SeriesPoints> out = new ArrayList<>();
        long[] total = new long[1];
        r.forEach(s -> {
            int lo = 0;
            while (lo < s.n && s.t[lo] <= from) lo++;
            int hi = lo;
            while (hi < s.n && s.t[hi] <= ref) hi++;
            if (hi == lo) return;
            total[0] += hi - lo;
            if (s.h != null) {
                for (int k = lo; k < hi; k++) if (s.h[k] != null) total[0] += HistogramMath.sampleWeight(s.h[k]) - 1;
            }
            Labels l = s.dropName ? LabelSets.dropName(s.labels) : s.labels;
            out.add(new SeriesPoints(l, java.util.Arrays.copyOfRange(s.t, lo, hi), java.util.Arrays.copyOfRange(s.v, lo, hi),
                    s.h == null ? null : java.util.Arrays.copyOfRange(s.h, lo, hi)));
        });
        ctx.limit(total[0]);
        samples.add(0, r.selector != null ? total[0] : r.innerSamples);
        out.sort((a, b) -> a.metric().compareTo(b.metric()));
        return new Matrix(out);
    }
}

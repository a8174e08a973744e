package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import dev.strata.index.Matcher;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.MatrixSelector;
import dev.strata.query.ast.ParenExpr;
import dev.strata.query.ast.SubqueryExpr;
import dev.strata.query.ast.ValueType;
import dev.strata.query.ast.VectorSelector;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Function calls. Range-vector functions go to {@link Rollups}; element-wise instant functions are a
 * lookup table here; the rest (label manipulation, sorting, absent, histogram_quantile, ...) are
 * special cases below.
 */
final class Functions {
    private Functions() {}

    /** An element-wise function of a sample value and the call's scalar args at that step. */
    interface ElementFn {
        double apply(double v, double[] args);
    }

    static final Map<String, ElementFn> ELEMENT = new HashMap<>();

    static {
        ELEMENT.put("abs", (v, a) -> Math.abs(v));
        ELEMENT.put("ceil", (v, a) -> Math.ceil(v));
        ELEMENT.put("floor", (v, a) -> Math.floor(v));
        ELEMENT.put("exp", (v, a) -> Math.exp(v));
        ELEMENT.put("sqrt", (v, a) -> Math.sqrt(v));
        ELEMENT.put("ln", (v, a) -> Math.log(v));
        ELEMENT.put("log2", (v, a) -> log2(v));
        ELEMENT.put("log10", (v, a) -> Math.log10(v));
        ELEMENT.put("sgn", (v, a) -> v < 0 ? -1 : v > 0 ? 1 : v);
        ELEMENT.put("deg", (v, a) -> v * 180 / Math.PI);
        ELEMENT.put("rad", (v, a) -> v * Math.PI / 180);
        ELEMENT.put("sin", (v, a) -> Math.sin(v));
        ELEMENT.put("cos", (v, a) -> Math.cos(v));
        ELEMENT.put("tan", (v, a) -> Math.tan(v));
        ELEMENT.put("asin", (v, a) -> Math.asin(v));
        ELEMENT.put("acos", (v, a) -> Math.acos(v));
        ELEMENT.put("atan", (v, a) -> Math.atan(v));
        ELEMENT.put("sinh", (v, a) -> Math.sinh(v));
        ELEMENT.put("cosh", (v, a) -> Math.cosh(v));
        ELEMENT.put("tanh", (v, a) -> Math.tanh(v));
        ELEMENT.put("asinh", (v, a) -> FloatMath.asinh(v));
        ELEMENT.put("acosh", (v, a) -> FloatMath.acosh(v));
        ELEMENT.put("atanh", (v, a) -> FloatMath.atanh(v));
        ELEMENT.put("clamp", (v, a) -> Math.max(a[0], Math.min(a[1], v)));
        ELEMENT.put("clamp_min", (v, a) -> Math.max(a[0], v));
        ELEMENT.put("clamp_max", (v, a) -> Math.min(a[0], v));
        ELEMENT.put("round", (v, a) -> {
            double nearest = a.length > 0 ? a[0] : 1;
            double inv = 1.0 / nearest;
            return Math.floor(v * inv + 0.5) / inv;
        });
        ELEMENT.put("minute", (v, a) -> GoDate.of(v).minute());
        ELEMENT.put("hour", (v, a) -> GoDate.of(v).hour());
        ELEMENT.put("day_of_week", (v, a) -> GoDate.of(v).dayOfWeek());
        ELEMENT.put("day_of_month", (v, a) -> GoDate.of(v).day());
        ELEMENT.put("day_of_year", (v, a) -> GoDate.of(v).dayOfYear());
        ELEMENT.put("days_in_month", (v, a) -> GoDate.of(v).daysInMonth());
        ELEMENT.put("month", (v, a) -> GoDate.of(v).month());
        ELEMENT.put("year", (v, a) -> GoDate.of(v).year());
    }

    /**
     * Go's math.Log2: Log(frac) * (1/Ln2) + exp with x = frac * 2^exp, frac in [0.5, 1) (exact for powers of
     * two). Near 1 it cancels differently from log(x) / log(2): log2(1 + 10 * 2^-52) is 3.219646771412954e-15
     * in Prometheus (and here), 3.2034265038149143e-15 by log(x) / log(2).
     * StrictMath.log is fdlibm's e_log.c, the algorithm Go's Log implements.
     */
    private static double log2(double x) {
        if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) return StrictMath.log(x) * LOG2_E;
        double a = Math.abs(x);
        int shift = 0;
        if (a < Double.MIN_NORMAL) {
            a = Math.scalb(a, 54);
            shift = 54;
        }
        int exp = Math.getExponent(a) + 1;
        double frac = Math.copySign(Math.scalb(a, -exp), x);
        exp -= shift;
        if (frac == 0.5) return exp - 1;
        return StrictMath.log(frac) * LOG2_E + exp;
    }

    /** Go's math.Log2E = 1/Ln2, rounded to a double. */
    private static final double LOG2_E = 1.44269504088896340735992468100189214;

    private static boolean isDateFn(String n) {
        return switch (n) {
            case "minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year" -> true;
            default -> false;
        };
    }

    static Object eval(Evaluator ev, Call c) {
        String name = c.function().name();
        List<Expr> args = c.args();
        switch (name) {
            case "time": {
                double[] r = new double[ev.steps];
                for (int i = 0; i < ev.steps; i++) r[i] = ev.stepTime(i) / 1000.0;
                return r;
            }
            case "step", "range", "start", "end": {
                double v = switch (name) {
                    case "step" -> ev.queryStepMs() / 1000.0;
                    case "range" -> (ev.queryEnd - ev.queryStart) / 1000.0;
                    case "start" -> ev.queryStart / 1000.0;
                    default -> ev.queryEnd / 1000.0;
                };
                double[] r = new double[ev.steps];
                java.util.Arrays.fill(r, v);
                return r;
            }
            case "min_of", "max_of": {
                double[] a = ev.evalScalar(args.get(0)), b = ev.evalScalar(args.get(1));
                double[] r = new double[ev.steps];
                for (int i = 0; i < ev.steps; i++) r[i] = name.equals("min_of") ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]);
                return r;
            }
            case "pi": {
                double[] r = new double[ev.steps];
                java.util.Arrays.fill(r, Math.PI);
                return r;
            }
            case "vector": {
                double[] s = ev.evalScalar(args.get(0));
                StepSeries o = new StepSeries(Labels.EMPTY, ev.steps, false);
                for (int i = 0; i < ev.steps; i++) o.set(i, s[i]);
                return List.of(o);
            }
            case "scalar": {
                List<StepSeries> in = ev.evalVector(args.get(0));
                double[] r = new double[ev.steps];
                for (int i = 0; i < ev.steps; i++) {
                    int n = 0;
                    double v = Double.NaN;
                    for (StepSeries s : in) {
                        if (s.hasFloat(i)) { // histogram samples are ignored
                            n++;
                            v = s.v[i];
                        }
                    }
                    r[i] = n == 1 ? v : Double.NaN;
                }
                return r;
            }
            case "timestamp":
                return timestamp(ev, args.get(0));
            case "start_timestamp":
                return startTimestamp(ev, args.get(0));
            case "absent":
                return absent(ev, args.get(0));
            case "absent_over_time":
                return absentOverTime(ev, args.get(0));
            case "label_replace":
                return LabelFunctions.labelReplace(ev, c);
            case "label_join":
                return LabelFunctions.labelJoin(ev, c);
            case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc":
                return LabelFunctions.sort(ev, c);
            case "histogram_quantiles":
                return HistogramFunctions.quantiles(ev, c);
            case "histogram_fraction":
                return HistogramFunctions.fraction(ev, c);
            case "histogram_quantile":
                return HistogramFunctions.quantile(ev, c);
            case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar":
                return HistogramFunctions.simple(ev, c);
            case "info":
                return InfoFunction.eval(ev, c);
            default:
                break;
        }
        ElementFn fn = ELEMENT.get(name);
        if (fn == null) {
            throw QueryException.execution("function \"" + name + "\" is not supported on float samples by this engine");
        }
        List<StepSeries> in;
        if (args.isEmpty() && isDateFn(name)) {
            StepSeries o = new StepSeries(Labels.EMPTY, ev.steps, false);
            for (int i = 0; i < ev.steps; i++) o.set(i, ev.stepTime(i) / 1000.0);
            in = List.of(o);
        } else {
            in = ev.evalVector(args.get(0));
        }
        double[][] scalars = new double[Math.max(0, args.size() - 1)][];
        for (int k = 1; k < args.size(); k++) scalars[k - 1] = ev.evalScalar(args.get(k));
        List<StepSeries> out = new ArrayList<>(in.size());
        double[] a = new double[scalars.length];
        for (StepSeries s : in) {
            StepSeries o = new StepSeries(s.labels, ev.steps, true);
            boolean any = false;
            for (int i = 0; i < ev.steps; i++) {
                if (!s.hasFloat(i)) continue; // histogram samples are ignored (Prometheus's simpleFloatFunc)
                for (int k = 0; k < a.length; k++) a[k] = scalars[k][i];
                if (name.equals("clamp") && a[1] < a[0]) continue;
                o.set(i, fn.apply(s.v[i], a));
                any = true;
            }
            if (any) out.add(o);
        }
        return out;
    }

    private static Expr unwrap(Expr e) {
        while (e instanceof ParenExpr p) e = p.expr();
        return e;
    }

    private static Object timestamp(Evaluator ev, Expr arg) {
        Expr inner = unwrap(arg);
        List<StepSeries> in;
        boolean fromSelector = inner instanceof VectorSelector;
        in = fromSelector ? ev.selectVector((VectorSelector) inner, true) : ev.evalVector(arg);
        List<StepSeries> out = new ArrayList<>(in.size());
        for (StepSeries s : in) {
            StepSeries o = new StepSeries(s.labels, ev.steps, true);
            for (int i = 0; i < ev.steps; i++) {
                if (s.has[i]) o.set(i, (fromSelector ? s.ts[i] : ev.stepTime(i)) / 1000.0);
            }
            out.add(o);
        }
        return out;
    }

    /**
     * start_timestamp(v): the start timestamp (seconds, 0 when unknown) of each sample a plain vector
     * selector picks. Any other argument has lost its start timestamps, and a query that does not use
     * them ({@link QueryOptions#useStartTimestamps()}) has none: empty result, as in Prometheus.
     */
    private static Object startTimestamp(Evaluator ev, Expr arg) {
        Expr inner = unwrap(arg);
        if (!(inner instanceof VectorSelector vs) || !ev.opts.useStartTimestamps()) {
            ev.evalVector(arg); // evaluated for its errors and limits; its samples carry no start timestamps
            return List.of();
        }
        List<StepSeries> in = ev.selectVector(vs, false, true);
        List<StepSeries> out = new ArrayList<>(in.size());
        for (StepSeries s : in) {
            StepSeries o = new StepSeries(s.labels, ev.steps, true);
            for (int i = 0; i < ev.steps; i++) {
                if (s.has[i]) o.set(i, s.st[i] / 1000.0);
            }
            out.add(o);
        }
        return out;
    }

    /** The labels absent() reports: equality matchers of a plain selector, except __name__. */
    private static Labels absentLabels(Expr arg) {
        Expr e = unwrap(arg);
        VectorSelector vs = null;
        if (e instanceof VectorSelector v) vs = v;
        else if (e instanceof MatrixSelector m) vs = m.selector();
        if (vs == null) return Labels.EMPTY;
        Map<String, String> eq = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Matcher m : vs.matchers()) {
            if (m.name().equals(Labels.METRIC_NAME)) continue;
            seen.merge(m.name(), 1, Integer::sum);
            if (m.type() == Matcher.Type.EQ) eq.put(m.name(), m.value());
        }
        Labels.Builder b = new Labels.Builder();
        for (Map.Entry<String, String> en : eq.entrySet()) {
            if (seen.get(en.getKey()) == 1) b.set(en.getKey(), en.getValue());
        }
        return b.build();
    }

    private static Object absent(Evaluator ev, Expr arg) {
        List<StepSeries> in = ev.evalVector(arg);
        StepSeries o = new StepSeries(absentLabels(arg), ev.steps, false);
        boolean any = false;
        for (int i = 0; i < ev.steps; i++) {
            boolean present = false;
            for (StepSeries s : in) if (s.has[i]) { present = true; break; }
            if (!present) {
                o.set(i, 1);
                any = true;
            }
        }
        return any ? List.of(o) : List.of();
    }

    private static Object absentOverTime(Evaluator ev, Expr arg) {
        RangeInput r = (RangeInput) ev.eval(arg);
        Labels labels = unwrap(arg) instanceof SubqueryExpr ? Labels.EMPTY : absentLabels(arg);
        boolean[] present = new boolean[ev.steps];
        long[] windowSamples = new long[ev.steps];
        WindowCursor w = new WindowCursor();
        r.forEach(s -> {
            w.reset();
            for (int i = 0; i < ev.steps; i++) {
                long end = r.ref[i];
                w.moveTo(s.t, s.n, end - r.rangeMs, end);
                if (w.hi > w.lo) {
                    present[i] = true;
                    windowSamples[i] += w.hi - w.lo;
                }
            }
        });
        ev.samples.addPerStep(windowSamples);
        StepSeries o = new StepSeries(labels, ev.steps, false);
        boolean any = false;
        for (int i = 0; i < ev.steps; i++) {
            if (!present[i]) {
                o.set(i, 1);
                any = true;
            }
        }
        return any ? List.of(o) : List.of();
    }

    /** Whether the call is a range-vector function (evaluated by {@link #rollup}). */
    static boolean isRollup(Call c) {
        return Rollups.TABLE.containsKey(c.function().name());
    }

    /** Per-series scratch of {@link #rollup}, reused across series. */
    private static final class RollupScratch {
        StepSeries spare;
        int[] resetCounts = new int[0];
        long produced;
        /** Metric name whose counter-name check already ran (the info is the same for every series). */
        String checkedName;
    }

    /**
     * resetCounts[i] = number of counter resets between j-1 and j for j <= i (value drops, or start
     * timestamp resets, see {@link Rollups#isReset}), into a reused array.
     */
    private static int[] resetCounts(RangeSeries s, RollupScratch scratch) {
        int n = s.n;
        if (scratch.resetCounts.length < n) scratch.resetCounts = new int[Math.max(n, 2 * scratch.resetCounts.length)];
        int[] r = scratch.resetCounts;
        double[] v = s.v;
        if (n > 0) r[0] = 0;
        if (s.st == null) {
            for (int i = 1; i < n; i++) r[i] = r[i - 1] + (v[i] < v[i - 1] ? 1 : 0);
        } else {
            for (int i = 1; i < n; i++) {
                boolean reset = v[i] < v[i - 1] || StartTimestamps.isReset(s.st[i - 1], s.t[i - 1], s.st[i], s.t[i]);
                r[i] = r[i - 1] + (reset ? 1 : 0);
            }
        }
        return r;
    }

    private static boolean anyHistogram(FloatHistogram[] h, int lo, int hi) {
        for (int i = lo; i < hi; i++) if (h[i] != null) return true;
        return false;
    }

    /** Hands a rollup's output series with {@code count} values to the sink (or keeps it for reuse). */
    private static void finishSeries(Rollups.Window w, StepSeries o, int count, RollupScratch scratch, VectorSink sink) {
        if (w.nameChecked) scratch.checkedName = w.metricName;
        if (count == 0) {
            scratch.spare = o;
            return;
        }
        scratch.produced += count;
        scratch.spare = sink.accept(o) ? null : o;
    }

    /**
     * A range-vector function: for every series and step, the function of the points in the window
     * (ref - range, ref], found by a cursor sliding over the series' points (rate, increase and
     * delta over series without start timestamps: {@link ExtrapolatedRates}). Output series go to
     * {@code sink} one at a time as the input is read. Counts each window's points as Prometheus
     * samples at its step.
     */
    static void rollup(Evaluator ev, Call c, VectorSink sink) {
        String name = c.function().name();
        int matrixArg = -1;
        for (int k = 0; k < c.args().size(); k++) {
            if (c.args().get(k).type() == ValueType.MATRIX) matrixArg = k;
        }
        Expr marg = unwrap(c.args().get(matrixArg));
        if (marg instanceof MatrixSelector ms) {
            if (ms.selector().smoothed() && !(name.equals("rate") || name.equals("increase") || name.equals("delta"))) {
                throw QueryException.execution("smoothed modifier can only be used with: delta, increase, rate - not with " + name);
            }
            if (ms.selector().anchored() && !(name.equals("rate") || name.equals("increase") || name.equals("delta")
                    || name.equals("changes") || name.equals("resets"))) {
                throw QueryException.execution("anchored modifier can only be used with: changes, delta, increase, rate, resets - not with " + name);
            }
        }
        double[][] scalars = new double[2][];
        int si = 0;
        for (int k = 0; k < c.args().size(); k++) {
            if (k == matrixArg) continue;
            scalars[si++] = ev.evalScalar(c.args().get(k));
        }
        if (name.equals("quantile_over_time")) {
            for (double q : scalars[0]) {
                if (Double.isNaN(q) || q < 0 || q > 1) {
                    Rollups.checkQuantile(ev.annotations, q);
                    break;
                }
            }
        }
        RangeInput r = (RangeInput) ev.eval(c.args().get(matrixArg));
        if (marg instanceof MatrixSelector ms && (ms.selector().anchored() || ms.selector().smoothed())) {
            List<StepSeries> out = ExtendedRollups.eval(ev, name, r, ms.selector().anchored(),
                    ev.ctx.position(c.args().get(matrixArg)));
            long produced = 0;
            for (StepSeries s : out) produced += s.count();
            ev.ctx.limit(produced);
            for (StepSeries s : out) sink.accept(s);
            return;
        }
        Rollups.Fn fn = Rollups.TABLE.get(name);
        boolean keepName = c.function().keepsName();
        boolean counterFn = name.equals("rate") || name.equals("increase");
        int extrapolatedKind = switch (name) {
            case "rate" -> 1;
            case "increase" -> 2;
            case "delta" -> 3;
            default -> 0;
        };
        Rollups.Window w = new Rollups.Window();
        w.annotations = ev.annotations;
        w.rangeMs = r.rangeMs;
        w.position = ev.ctx.position(c.args().get(matrixArg));
        int steps = ev.steps;
        long[] ref = r.ref;
        long range = r.rangeMs;
        double[] p0 = scalars[0], p1 = scalars[1];
        long[] windowSamples = new long[steps];
        WindowCursor cursor = new WindowCursor();
        RollupScratch scratch = new RollupScratch();
        boolean fastRates = extrapolatedKind != 0 && ExtrapolatedRates.ascending(ref);
        HistogramRollups.Result histResult = new HistogramRollups.Result();
        r.forEach(s -> {
            ev.ctx.checkDeadline();
            StepSeries o = scratch.spare;
            if (o == null) o = new StepSeries(s.labels, steps, !keepName || s.dropName);
            else o.reset(s.labels, !keepName || s.dropName);
            long[] t = s.t;
            int n = s.n;
            w.t = t;
            w.v = s.v;
            w.st = s.st;
            w.metricName = s.labels.get(Labels.METRIC_NAME);
            w.nameChecked = w.metricName.equals(scratch.checkedName);
            double[] ov = o.v;
            boolean[] oh = o.has;
            int count = 0;
            FloatHistogram[] sh = s.h;
            if (fastRates && s.st == null && sh == null) {
                // rate, increase, delta without start timestamps: all steps in one pass.
                boolean counter = extrapolatedKind != 3;
                int[] resets = null;
                if (counter) {
                    resets = ExtrapolatedRates.resetCounts(s.v, n, scratch.resetCounts);
                    if (resets != null) scratch.resetCounts = resets;
                }
                count = ExtrapolatedRates.eval(t, s.v, n, resets, ref, range, counter, extrapolatedKind == 1,
                        w.extrapolation, ov, oh, windowSamples);
                if (count > 0) {
                    // As Rollups.extrapolated does at a series' first result.
                    if (counter && !w.nameChecked) Rollups.checkCounterName(w);
                    w.nameChecked = true;
                }
                finishSeries(w, o, count, scratch, sink);
                return;
            }
            w.resetCounts = counterFn ? resetCounts(s, scratch) : null;
            cursor.reset();
            for (int i = 0; i < steps; i++) {
                long end = ref[i];
                long from = end - range;
                cursor.moveTo(t, n, from, end);
                int lo = cursor.lo, hi = cursor.hi;
                if (hi == lo) continue;
                windowSamples[i] += hi - lo;
                if (sh != null) {
                    // A histogram counts by its size in Prometheus's samples statistic, not as 1.
                    for (int k = lo; k < hi; k++) if (sh[k] != null) windowSamples[i] += HistogramMath.sampleWeight(sh[k]) - 1;
                }
                w.lo = lo;
                w.hi = hi;
                w.rangeStart = from;
                w.rangeEnd = end;
                if (sh != null && anyHistogram(sh, lo, hi)) {
                    w.stepTime = ev.stepTime(i);
                    w.p0 = p0 != null ? p0[i] : 0;
                    w.p1 = p1 != null ? p1[i] : 0;
                    HistogramRollups.apply(name, w, sh, fn, histResult);
                    if (histResult.has) {
                        if (histResult.histogram != null) o.setHistogram(i, histResult.histogram);
                        else o.set(i, histResult.value);
                        count++;
                    }
                    continue;
                }
                boolean has;
                if (extrapolatedKind != 0) {
                    // rate, increase, delta: called directly (no table dispatch, no unused parameters).
                    has = Rollups.extrapolated(w, extrapolatedKind != 3, extrapolatedKind == 1);
                } else {
                    w.stepTime = ev.stepTime(i);
                    w.p0 = p0 != null ? p0[i] : 0;
                    w.p1 = p1 != null ? p1[i] : 0;
                    has = fn.apply(w);
                }
                if (has) {
                    o.set(i, w.result);
                    count++;
                }
            }
            finishSeries(w, o, count, scratch, sink);
        });
        ev.samples.addPerStep(windowSamples);
        for (long k : windowSamples) ev.ctx.limit(k);
        ev.ctx.limit(scratch.produced);
    }
}

package dev.strata.query.engine;

import dev.strata.query.ast.AggregateExpr;
import dev.strata.query.ast.Printer;
import dev.strata.store.model.Labels;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregation operators. Each step groups the input samples by the grouping labels and folds them;
 * the lookup table maps an operator name to its fold. topk/bottomk/limitk/limit_ratio select input
 * samples (keeping their labels) instead of folding.
 */
final class Aggregations {
    private Aggregations() {}

    /** Folds the values of one group at one step; returns NaN-or-value (always a value). */
    interface Fold {
        double apply(double[] values, int n, double param);
    }

    static final Map<String, Fold> FOLDS = new HashMap<>();

    static {
        FOLDS.put("sum", (v, n, p) -> sum(v, n));
        FOLDS.put("avg", (v, n, p) -> avg(v, n));
        FOLDS.put("count", (v, n, p) -> n);
        FOLDS.put("group", (v, n, p) -> 1);
        FOLDS.put("min", (v, n, p) -> {
            double m = v[0];
            for (int i = 1; i < n; i++) if (m > v[i] || Double.isNaN(m)) m = v[i];
            return m;
        });
        FOLDS.put("max", (v, n, p) -> {
            double m = v[0];
            for (int i = 1; i < n; i++) if (m < v[i] || Double.isNaN(m)) m = v[i];
            return m;
        });
        FOLDS.put("stdvar", (v, n, p) -> stdvar(v, n));
        FOLDS.put("stddev", (v, n, p) -> Math.sqrt(stdvar(v, n)));
        FOLDS.put("quantile", (v, n, p) -> quantile(p, Arrays.copyOf(v, n)));
    }

    static double sum(double[] v, int n) {
        double s = 0;
        double[] c = new double[1];
        for (int i = 0; i < n; i++) s = FloatMath.kahanInc(v[i], s, c);
        return s + c[0];
    }

    static double avg(double[] v, int n) {
        double s = 0;
        double[] c = new double[1];
        boolean overflow = false;
        for (int i = 0; i < n; i++) {
            s = FloatMath.kahanInc(v[i], s, c);
            if (Double.isInfinite(s) && !Double.isInfinite(v[i])) overflow = true;
        }
        if (!overflow) return (s + c[0]) / n;
        double mean = 0;
        double[] mc = new double[1];
        for (int i = 0; i < n; i++) mean = FloatMath.kahanInc(v[i] / n, mean, mc);
        return mean + mc[0];
    }

    static double stdvar(double[] v, int n) {
        double count = 0, mean = 0, m2 = 0;
        for (int i = 0; i < n; i++) {
            count++;
            double delta = v[i] - mean;
            mean += delta / count;
            m2 += delta * (v[i] - mean);
        }
        return m2 / count;
    }

    /** Prometheus's quantile: linear interpolation between closest ranks; phi outside [0,1] = ±Inf. */
    static double quantile(double q, double[] values) {
        int n = values.length;
        if (n == 0 || Double.isNaN(q)) return Double.NaN;
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        sortNaNFirst(values);
        double rank = q * (n - 1);
        int lower = (int) Math.max(0, Math.floor(rank));
        int upper = (int) Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return values[lower] * (1 - weight) + values[upper] * weight;
    }

    /** Sorts ascending with NaNs first, as Go's sort.Float64s does. */
    static void sortNaNFirst(double[] values) {
        Arrays.sort(values);
        int nan = 0;
        for (int i = values.length - 1; i >= 0 && Double.isNaN(values[i]); i--) nan++;
        if (nan == 0) return;
        System.arraycopy(values, 0, values, nan, values.length - nan);
        Arrays.fill(values, 0, nan, Double.NaN);
    }

    static Object eval(Evaluator ev, AggregateExpr a) {
        String op = a.op();
        double[] param = null;
        String strParam = null;
        if (a.param() != null) {
            Object p = ev.eval(a.param());
            if (p instanceof String s) strParam = s;
            else param = (double[]) p;
        }
        List<StepSeries> in = ev.evalVector(a.expr());
        // Group keys are computed once per input series.
        Labels[] keys = new Labels[in.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = groupingKey(in.get(i).labels, a);
        }
        switch (op) {
            case "topk", "bottomk", "limitk", "limit_ratio" -> {
                return select(ev, a, in, keys, param);
            }
            case "count_values" -> {
                return countValues(ev, a, in, strParam);
            }
            default -> { }
        }
        if (op.equals("quantile") && param != null) {
            for (double q : param) {
                if (Double.isNaN(q) || q < 0 || q > 1) {
                    ev.annotations.warn("quantile value should be between 0 and 1, got " + Printer.formatFloat(q)
                            + ev.ctx.position(a.param()));
                    break;
                }
            }
        }
        Fold fold = FOLDS.get(op);
        // Group index per series, in order of first appearance.
        Map<Labels, Integer> groupIdx = new LinkedHashMap<>();
        int[] gi = new int[in.size()];
        for (int i = 0; i < keys.length; i++) {
            Integer g = groupIdx.get(keys[i]);
            if (g == null) {
                g = groupIdx.size();
                groupIdx.put(keys[i], g);
            }
            gi[i] = g;
        }
        int groups = groupIdx.size();
        Labels[] groupLabels = groupIdx.keySet().toArray(new Labels[0]);
        List<StepSeries> out = new ArrayList<>(groups);
        StepSeries[] os = new StepSeries[groups];
        for (int g = 0; g < groups; g++) os[g] = new StepSeries(groupLabels[g], ev.steps, false);
        // Members of each group.
        int[] sizes = new int[groups];
        for (int g : gi) sizes[g]++;
        int[][] members = new int[groups][];
        for (int g = 0; g < groups; g++) members[g] = new int[sizes[g]];
        int[] fill = new int[groups];
        for (int i = 0; i < gi.length; i++) members[gi[i]][fill[gi[i]]++] = i;
        if (STREAMING.contains(op)) {
            streaming(ev, op, in, gi, os);
            for (int i = 0; i < gi.length; i++) {
                if (in.get(i).dropName && groupHasName(a)) os[gi[i]].dropName = true;
            }
            for (StepSeries s : os) if (s.count() > 0) out.add(s);
            return out;
        }
        double[] buf = new double[Math.max(1, in.size())];
        for (int step = 0; step < ev.steps; step++) {
            ev.ctx.checkDeadline();
            double p = param == null ? 0 : param[step];
            for (int g = 0; g < groups; g++) {
                int n = 0;
                for (int idx : members[g]) {
                    StepSeries s = in.get(idx);
                    if (s.has[step]) buf[n++] = s.v[step];
                }
                if (n == 0) continue;
                os[g].set(step, fold.apply(buf, n, p));
            }
        }
        for (int i = 0; i < gi.length; i++) {
            // Delayed name removal: a group keeps __name__ only if none of its members drops it.
            if (in.get(i).dropName && groupHasName(a)) os[gi[i]].dropName = true;
        }
        for (StepSeries s : os) if (s.count() > 0) out.add(s);
        return out;
    }

    private static final java.util.Set<String> STREAMING = java.util.Set.of("sum", "count", "group", "min", "max", "avg");

    /**
     * Series-major folding for the operators that need no per-group value list: each input series'
     * step arrays are read once, sequentially (the group-major loop touches every series per step).
     * avg keeps a compensated sum; groups whose sum overflows are recomputed with the exact fold.
     */
    private static void streaming(Evaluator ev, String op, List<StepSeries> in, int[] gi, StepSeries[] os) {
        int steps = ev.steps;
        int groups = os.length;
        double[][] acc = new double[groups][steps];
        double[][] comp = new double[groups][steps];
        int[][] cnt = new int[groups][steps];
        double[] c = new double[1];
        // Resolve the operator once: a String switch per sample costs more than the fold itself.
        final int kind = switch (op) {
            case "min" -> 1;
            case "max" -> 2;
            case "sum", "avg" -> 3;
            default -> 0;
        };
        for (int i = 0; i < gi.length; i++) {
            if ((i & 255) == 0) ev.ctx.checkDeadline();
            StepSeries s = in.get(i);
            int g = gi[i];
            double[] a = acc[g], k = comp[g];
            int[] n = cnt[g];
            for (int step = 0; step < steps; step++) {
                if (!s.has[step]) continue;
                double v = s.v[step];
                if (n[step] == 0) {
                    a[step] = v;
                    k[step] = 0;
                } else {
                    switch (kind) {
                        case 1 -> { if (a[step] > v || Double.isNaN(a[step])) a[step] = v; }
                        case 2 -> { if (a[step] < v || Double.isNaN(a[step])) a[step] = v; }
                        case 3 -> {
                            c[0] = k[step];
                            a[step] = FloatMath.kahanInc(v, a[step], c);
                            k[step] = c[0];
                        }
                        default -> { }
                    }
                }
                n[step]++;
            }
        }
        double[] buf = null;
        for (int g = 0; g < groups; g++) {
            for (int step = 0; step < steps; step++) {
                int n = cnt[g][step];
                if (n == 0) continue;
                double r = switch (op) {
                    case "count" -> n;
                    case "group" -> 1;
                    case "sum" -> Double.isInfinite(acc[g][step]) ? acc[g][step] : acc[g][step] + comp[g][step];
                    case "avg" -> Double.isInfinite(acc[g][step]) ? Double.NaN : (acc[g][step] + comp[g][step]) / n;
                    default -> acc[g][step];
                };
                if (op.equals("avg") && Double.isNaN(r)) {
                    // Overflow or infinities: fall back to the exact fold over this group's values.
                    if (buf == null) buf = new double[in.size()];
                    int m = 0;
                    for (int i = 0; i < gi.length; i++) {
                        if (gi[i] == g && in.get(i).has[step]) buf[m++] = in.get(i).v[step];
                    }
                    r = avg(buf, m);
                }
                os[g].set(step, r);
            }
        }
    }

    private static boolean groupHasName(AggregateExpr a) {
        return !a.without() && a.grouping().contains(Labels.METRIC_NAME);
    }

    static Labels groupingKey(Labels l, AggregateExpr a) {
        if (a.without()) {
            return LabelSets.project(l, new java.util.HashSet<>(a.grouping()), false);
        }
        Labels.Builder b = new Labels.Builder();
        for (String n : a.grouping()) {
            String v = l.get(n);
            if (!v.isEmpty()) b.set(n, v);
        }
        return b.build();
    }

    private static List<StepSeries> select(Evaluator ev, AggregateExpr a, List<StepSeries> in, Labels[] keys,
                                           double[] param) {
        String op = a.op();
        Map<Labels, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) groups.computeIfAbsent(keys[i], k -> new ArrayList<>()).add(i);
        // Output per input series; instant queries keep Prometheus's order (group by group, best first).
        Map<Integer, StepSeries> outs = new LinkedHashMap<>();
        for (int step = 0; step < ev.steps; step++) {
            ev.ctx.checkDeadline();
            double p = param[step];
            if (op.equals("limit_ratio")) {
                if (Double.isNaN(p)) throw QueryException.execution("Ratio value is NaN");
                if (p < -1 || p > 1) {
                    ev.annotations.warn("ratio value should be between -1 and 1, got " + Printer.formatFloat(p)
                            + ", capping to " + Printer.formatFloat(p < 0 ? -1 : 1));
                    p = p < 0 ? -1 : 1;
                }
            } else {
                if (Double.isNaN(p)) throw QueryException.execution("Parameter value is NaN");
                if (p > 9.2e18) p = 9.2e18;
                if (p < -9.2e18) p = -9.2e18;
            }
            for (List<Integer> members : groups.values()) {
                List<Integer> present = new ArrayList<>();
                for (int idx : members) if (in.get(idx).has[step]) present.add(idx);
                if (present.isEmpty()) continue;
                List<Integer> chosen;
                final int st = step;
                switch (op) {
                    case "topk", "bottomk" -> {
                        long k = (long) p;
                        if (k < 1) continue;
                        boolean top = op.equals("topk");
                        present.sort((x, y) -> {
                            double vx = in.get(x).v[st], vy = in.get(y).v[st];
                            // NaN sorts last for both directions.
                            if (Double.isNaN(vx)) return Double.isNaN(vy) ? 0 : 1;
                            if (Double.isNaN(vy)) return -1;
                            return top ? Double.compare(vy, vx) : Double.compare(vx, vy);
                        });
                        chosen = present.subList(0, (int) Math.min(k, present.size()));
                    }
                    case "limitk" -> {
                        long k = (long) p;
                        if (k < 1) continue;
                        chosen = present.subList(0, (int) Math.min(k, present.size()));
                    }
                    default -> {
                        chosen = new ArrayList<>();
                        for (int idx : present) {
                            double r = ratioOf(in.get(idx).labels);
                            if ((p >= 0 && r < p) || (p < 0 && r >= 1 + p)) chosen.add(idx);
                        }
                    }
                }
                for (int idx : chosen) {
                    StepSeries s = in.get(idx);
                    outs.computeIfAbsent(idx, k -> new StepSeries(s.labels, ev.steps, s.dropName)).set(step, s.v[step]);
                }
            }
        }
        return new ArrayList<>(outs.values());
    }

    /** A stable value in [0, 1) from the series' labels, so limit_ratio picks the same series each step. */
    static double ratioOf(Labels l) {
        long h = l.hash();
        return (double) (h >>> 11) / (double) (1L << 53);
    }

    private static List<StepSeries> countValues(Evaluator ev, AggregateExpr a, List<StepSeries> in, String label) {
        if (!LabelFunctions.validLabelName(label)) {
            throw QueryException.execution("invalid label name \"" + label + "\"");
        }
        Out out = new Out(ev.steps);
        for (int step = 0; step < ev.steps; step++) {
            Map<Labels, double[]> counts = new LinkedHashMap<>();
            for (StepSeries s : in) {
                if (!s.has[step]) continue;
                Labels.Builder b = groupingKey(s.labels, a).toBuilder();
                b.set(label, formatValue(s.v[step]));
                counts.computeIfAbsent(b.build(), k -> new double[1])[0]++;
            }
            for (Map.Entry<Labels, double[]> e : counts.entrySet()) out.add(e.getKey(), false, step, e.getValue()[0]);
        }
        return out.series();
    }

    private static boolean isValidUtf8Name(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 && c <= 0xFF && !Character.isLetter(c)) return false;
        }
        return true;
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64). */
    static String formatValue(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (1 / v < 0) ? "-0" : "0";
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}

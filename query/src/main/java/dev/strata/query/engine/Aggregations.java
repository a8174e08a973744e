package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
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

    /** Operators folded from all of a group's values at once; the streamed ones are {@link #FOLDED}. */
    static final Map<String, Fold> FOLDS = new HashMap<>();

    static {
        FOLDS.put("stdvar", (v, n, p) -> stdvar(v, n));
        FOLDS.put("stddev", (v, n, p) -> Math.sqrt(stdvar(v, n)));
        FOLDS.put("quantile", (v, n, p) -> quantile(p, Arrays.copyOf(v, n)));
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
        if (FOLDED.contains(op)) return fold(ev, a);
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
        double[] buf = new double[Math.max(1, in.size())];
        for (int step = 0; step < ev.steps; step++) {
            ev.ctx.checkDeadline();
            double p = param == null ? 0 : param[step];
            for (int g = 0; g < groups; g++) {
                int n = 0;
                for (int idx : members[g]) {
                    StepSeries s = in.get(idx);
                    if (s.hist(step) != null) {
                        ev.annotations.info("ignored histogram in " + op + " aggregation" + ev.ctx.position(a.expr()));
                    } else if (s.has[step]) {
                        buf[n++] = s.v[step];
                    }
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

    /** Operators folded as their input streams in (see {@link #fold}). */
    static final java.util.Set<String> FOLDED = java.util.Set.of("sum", "count", "group", "min", "max", "avg");

    /** One output group of a folded aggregation: per-step accumulators. */
    private static final class Group {
        final StepSeries out;
        /** sum/avg: the running sum (avg: until it would overflow); min/max: the extreme so far. */
        final double[] value;
        /** Kahan compensation of value (avg after switching: of mean). */
        final double[] comp;
        final double[] count;
        /** avg only: the incremental mean and whether the step switched to it. */
        final double[] mean;
        final boolean[] incremental;
        /** sum/avg over native histograms: per step the running sum (null until one is seen), their count, state. */
        HistogramMath.Accumulator[] hist;
        double[] histCount;
        boolean[] incompatible;
        boolean[] resetSeen;
        boolean[] notResetSeen;

        /**
         * Partial mode ({@link #partials}) only: per step the first member of each histogram kind and
         * whether custom bounds were reconciled, reported instead of the annotations they cause.
         */
        Labels[] firstExponential;
        Labels[] firstCustom;
        boolean[] reconciled;

        void addHistogram(Evaluator ev, AggregateExpr a, int i, FloatHistogram h, Labels member, boolean partial) {
            int steps = value.length;
            if (hist == null) {
                hist = new HistogramMath.Accumulator[steps];
                histCount = new double[steps];
                incompatible = new boolean[steps];
                resetSeen = new boolean[steps];
                notResetSeen = new boolean[steps];
                if (partial) {
                    firstExponential = new Labels[steps];
                    firstCustom = new Labels[steps];
                    reconciled = new boolean[steps];
                }
            }
            histCount[i]++;
            if (h.resetHint() == FloatHistogram.ResetHint.YES) resetSeen[i] = true;
            if (h.resetHint() == FloatHistogram.ResetHint.NO) notResetSeen[i] = true;
            if (partial) {
                Labels[] first = h.usesCustomBuckets() ? firstCustom : firstExponential;
                if (first[i] == null || member.compareTo(first[i]) < 0) first[i] = member;
            }
            if (incompatible[i]) return;
            if (hist[i] == null) {
                hist[i] = new HistogramMath.Accumulator(h, mean != null); // mean is allocated for avg only
                return;
            }
            try {
                if (hist[i].add(h) == HistogramMath.AddOutcome.RECONCILED_CUSTOM) {
                    if (partial) reconciled[i] = true;
                    else ev.annotations.info(reconciledInfo(ev, a));
                }
            } catch (HistogramMath.IncompatibleException e) {
                incompatible[i] = true;
                if (!partial) ev.annotations.warn(incompatibleWarning(member, ev.ctx.position(a.expr())));
            }
        }

        Group(Labels labels, int steps, boolean avg) {
            out = new StepSeries(labels, steps, false);
            value = new double[steps];
            comp = new double[steps];
            count = new double[steps];
            mean = avg ? new double[steps] : null;
            incremental = avg ? new boolean[steps] : null;
        }
    }

    /**
     * sum, count, group, min, max and avg, folded series by series as the input streams in
     * ({@link Evaluator#streamVector}): per group and step a running accumulator, so the input is
     * never held. The folds are Prometheus's: Kahan-compensated sums; avg sums directly (compensated)
     * until the sum would overflow and from then on keeps an incremental mean; groups in order of
     * first appearance.
     */
    private static List<StepSeries> fold(Evaluator ev, AggregateExpr a) {
        return finish(ev, a, accumulate(ev, a, false));
    }

    /**
     * {@link #fold}'s streaming part: the groups with their per-step accumulators, in order of first
     * appearance. In partial mode the histogram annotations are not raised but recorded in the groups.
     */
    private static Map<Labels, Group> accumulate(Evaluator ev, AggregateExpr a, boolean partial) {
        String op = a.op();
        int steps = ev.steps;
        // Resolve the operator once: a String switch per sample costs more than the fold itself.
        final int kind = kindOf(op);
        boolean nameKept = groupHasName(a);
        Map<Labels, Group> groups = new LinkedHashMap<>();
        GroupingKeys keys = new GroupingKeys(a);
        double[] c = new double[1];
        ev.streamVector(a.expr(), s -> {
            Labels key = keys.of(s.labels);
            Group g = groups.get(key);
            if (g == null) {
                g = new Group(key, steps, kind == 4);
                groups.put(key, g);
            }
            if (s.dropName && nameKept) g.out.dropName = true;
            double[] val = g.value, k = g.comp, n = g.count;
            boolean[] has = s.has;
            if (s.h != null && kind != 0) {
                // Native histograms: summed apart by sum/avg, ignored (with an info) by min/max.
                has = has.clone();
                for (int i = 0; i < steps; i++) {
                    FloatHistogram h = s.h[i];
                    if (h == null) continue;
                    has[i] = false;
                    if (kind == 3 || kind == 4) g.addHistogram(ev, a, i, h, s.labels, partial);
                    else ev.annotations.info("ignored histogram in " + op + " aggregation" + ev.ctx.position(a.expr()));
                }
            }
            double[] v = s.v;
            if (kind == 3) {
                sumInto(val, k, n, has, v, steps);
                return false;
            }
            for (int i = 0; i < steps; i++) {
                if (!has[i]) continue;
                double f = v[i];
                if (n[i] == 0) {
                    val[i] = f;
                    k[i] = 0;
                    n[i] = 1;
                    if (kind == 4) {
                        g.mean[i] = f;
                        g.incremental[i] = false;
                    }
                    continue;
                }
                n[i]++;
                switch (kind) {
                    case 1 -> { if (val[i] > f || Double.isNaN(val[i])) val[i] = f; }
                    case 2 -> { if (val[i] < f || Double.isNaN(val[i])) val[i] = f; }
                    case 3 -> {
                        c[0] = k[i];
                        val[i] = FloatMath.kahanInc(f, val[i], c);
                        k[i] = c[0];
                    }
                    case 4 -> avgInc(g, i, f, c);
                    default -> { }
                }
            }
            return false;
        });
        return groups;
    }

    /** One group of a partial {@code sum} ({@link #partials}): its series and, per step, its histogram partial or null. */
    record PartialGroup(StepSeries out, HistogramPartial[] partials) {}

    /**
     * {@code sum} over part of the input, to be merged with the other parts' ({@link HistogramPartialMerge}):
     * per group and step the float sum where the group had floats only, else a {@link HistogramPartial}
     * (its sum, when there is one, also as the step's histogram, a NaN float otherwise; a float sum of the
     * same step is not needed: floats with histograms drop the step). Raises none of
     * the annotations of combining histograms (mixes, counter-reset conflicts, custom bounds): only the
     * merge of all parts knows whether one evaluation would raise them.
     */
    static List<PartialGroup> partials(Evaluator ev, AggregateExpr a) {
        if (!a.op().equals("sum")) throw new IllegalArgumentException("partial aggregation of " + a.op() + ", only sum has one");
        Map<Labels, Group> groups = accumulate(ev, a, true);
        List<PartialGroup> out = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            HistogramPartial[] parts = null;
            boolean any = false;
            for (int i = 0; i < ev.steps; i++) {
                double n = g.count[i];
                if (g.hist != null && g.histCount[i] > 0) {
                    boolean bothKinds = g.firstExponential[i] != null && g.firstCustom[i] != null;
                    FloatHistogram sum = bothKinds ? null : g.hist[i].result().build(false);
                    if (parts == null) parts = new HistogramPartial[ev.steps];
                    parts[i] = new HistogramPartial((long) g.histCount[i], n > 0, g.resetSeen[i], g.notResetSeen[i], g.reconciled[i],
                            g.firstExponential[i], g.firstCustom[i], sum);
                    if (sum != null) g.out.setHistogram(i, sum);
                    else g.out.set(i, Double.NaN); // both kinds: no sum, the step is dropped
                    any = true;
                } else if (n > 0) {
                    g.out.set(i, g.value[i] + g.comp[i]);
                    any = true;
                }
            }
            if (any) out.add(new PartialGroup(g.out, parts));
        }
        return out;
    }

    /**
     * The folded operator as a number (a String switch per sample costs more than the fold itself):
     * 1 min, 2 max, 3 sum, 4 avg, 0 count/group.
     */
    private static int kindOf(String op) {
        return switch (op) {
            case "min" -> 1;
            case "max" -> 2;
            case "sum" -> 3;
            case "avg" -> 4;
            default -> 0;
        };
    }

    /** {@link #fold}'s result from the accumulated groups: Prometheus's values and histogram annotations. */
    private static List<StepSeries> finish(Evaluator ev, AggregateExpr a, Map<Labels, Group> groups) {
        String op = a.op();
        int steps = ev.steps;
        final int kind = kindOf(op);
        List<StepSeries> out = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            boolean any = false;
            for (int i = 0; i < steps; i++) {
                double n = g.count[i];
                if (g.hist != null && g.histCount[i] > 0) {
                    if (n > 0) {
                        ev.annotations.warn(mixedWarning(ev.ctx.position(a.expr())));
                        continue;
                    }
                    if (g.resetSeen[i] && g.notResetSeen[i]) {
                        ev.annotations.warn(counterResetWarning(ev.ctx.position(a.expr())));
                    }
                    if (g.incompatible[i]) continue;
                    g.out.setHistogram(i, g.hist[i].result().build());
                    any = true;
                    continue;
                }
                if (n == 0) continue;
                double r = switch (kind) {
                    case 0 -> op.equals("count") ? n : 1;
                    case 3 -> g.value[i] + g.comp[i];
                    case 4 -> g.incremental[i] ? g.mean[i] + g.comp[i] : g.value[i] / n + g.comp[i] / n;
                    default -> g.value[i];
                };
                g.out.set(i, r);
                any = true;
            }
            if (any) out.add(g.out);
        }
        return out;
    }

    /**
     * sum's fold of one series into a group's per-step accumulators: the first value of a step is
     * taken as is, later ones are added with {@link FloatMath#kahanInc}'s compensated step (the same
     * operations in the same order, with the compensation kept in a local instead of a holder array).
     */
    private static void sumInto(double[] val, double[] comp, double[] count, boolean[] has, double[] v, int steps) {
        for (int i = 0; i < steps; i++) {
            if (!has[i]) continue;
            double f = v[i];
            if (count[i] == 0) {
                val[i] = f;
                comp[i] = 0;
                count[i] = 1;
                continue;
            }
            count[i]++;
            double sum = val[i];
            double t = sum + f;
            // Both candidate corrections, then a selection: no branch on the magnitudes.
            double d = Math.abs(sum) >= Math.abs(f) ? (sum - t) + f : (f - t) + sum;
            val[i] = t;
            comp[i] = Double.isInfinite(t) ? 0 : comp[i] + d;
        }
    }

    /**
     * Adds {@code f} to avg's accumulator at step i (the group's count already includes it): the
     * compensated sum while it stays finite; once it would overflow, the mean so far is carried on
     * incrementally, mean' = mean * (n-1)/n + f/n (compensated), which cannot overflow.
     */
    private static void avgInc(Group g, int i, double f, double[] c) {
        double n = g.count[i];
        if (!g.incremental[i]) {
            c[0] = g.comp[i];
            double sum = FloatMath.kahanInc(f, g.value[i], c);
            if (!Double.isInfinite(sum)) {
                g.value[i] = sum;
                g.comp[i] = c[0];
                return;
            }
            g.incremental[i] = true;
            g.mean[i] = g.value[i] / (n - 1);
            g.comp[i] /= n - 1;
        }
        double q = (n - 1) / n;
        c[0] = q * g.comp[i];
        g.mean[i] = FloatMath.kahanInc(f / n, q * g.mean[i], c);
        g.comp[i] = c[0];
    }

    /** Prometheus's warning for a group and step with both float and histogram samples (the step is dropped). */
    static String mixedWarning(String position) {
        return "encountered a mix of histograms and floats for aggregation" + position;
    }

    /** Prometheus's warning for histograms with reset hints "reset" and "not reset" in one group and step. */
    static String counterResetWarning(String position) {
        return "conflicting counter resets during histogram aggregation" + position;
    }

    /** Prometheus's warning naming the metric of the first series whose histogram kind differs from the group's first. */
    static String incompatibleWarning(Labels member, String position) {
        return "vector contains a mix of histograms with exponential and custom buckets schemas for metric name \""
                + member.get(Labels.METRIC_NAME) + "\"" + position;
    }

    static String reconciledInfo(String position) {
        return "mismatched custom buckets were reconciled during aggregation" + position;
    }

    private static String reconciledInfo(Evaluator ev, AggregateExpr a) {
        return reconciledInfo(ev.ctx.position(a.expr()));
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
                            + ", capping to " + Printer.formatFloat(p < 0 ? -1 : 1) + ev.ctx.position(a.param()));
                    p = p < 0 ? -1 : 1;
                }
            } else {
                if (Double.isNaN(p)) throw QueryException.execution("Parameter value is NaN");
                if (p > 9.2e18) p = 9.2e18;
                if (p < -9.2e18) p = -9.2e18;
            }
            for (List<Integer> members : groups.values()) {
                List<Integer> present = new ArrayList<>();
                boolean ranks = op.equals("topk") || op.equals("bottomk");
                for (int idx : members) {
                    if (!in.get(idx).has[step]) continue;
                    if (ranks && in.get(idx).hist(step) != null) {
                        ev.annotations.info("ignored histogram in " + op + " aggregation" + ev.ctx.position(a));
                        continue;
                    }
                    present.add(idx);
                }
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
                    StepSeries o = outs.computeIfAbsent(idx, k -> new StepSeries(s.labels, ev.steps, s.dropName));
                    if (s.hist(step) != null) o.setHistogram(step, s.hist(step));
                    else o.set(step, s.v[step]);
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
            // Quoted as Go's %q, as Prometheus does: an invalid UTF-8 byte prints as \xNN.
            throw QueryException.execution("invalid label name " + dev.strata.query.ast.GoQuote.quote(label));
        }
        Out out = new Out(ev.steps);
        for (int step = 0; step < ev.steps; step++) {
            Map<Labels, double[]> counts = new LinkedHashMap<>();
            for (StepSeries s : in) {
                if (!s.has[step]) continue;
                Labels.Builder b = groupingKey(s.labels, a).toBuilder();
                b.set(label, s.hist(step) != null ? HistogramMath.format(s.hist(step)) : formatValue(s.v[step]));
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

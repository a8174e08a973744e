package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.Printer;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * histogram_quantile, histogram_quantiles and histogram_fraction over classic (le-labelled) bucket
 * series and native histograms (each native sample on its own, {@link HistogramMath}), and the
 * functions of native histograms only (histogram_count/sum/avg/stddev/stdvar).
 */
public final class HistogramFunctions {
    private HistogramFunctions() {}

    private record Bucket(double upper, double count) {}

    interface BucketFn {
        double apply(int step, List<Bucket> buckets, String metricName);
    }

    interface NativeFn {
        double apply(int step, FloatHistogram h, String metricName);
    }

    /** histogram_count/sum/avg/stddev/stdvar: a float per histogram sample, float samples ignored. */
    static Object simple(Evaluator ev, Call c) {
        String name = c.function().name();
        List<StepSeries> in = ev.evalVector(c.args().get(0));
        List<StepSeries> out = new ArrayList<>();
        for (StepSeries s : in) {
            if (s.h == null) continue;
            StepSeries o = new StepSeries(s.labels, ev.steps, true);
            boolean any = false;
            for (int i = 0; i < ev.steps; i++) {
                FloatHistogram h = s.hist(i);
                if (h == null) continue;
                o.set(i, switch (name) {
                    case "histogram_count" -> h.count();
                    case "histogram_sum" -> h.sum();
                    case "histogram_avg" -> h.sum() / h.count();
                    case "histogram_stddev" -> Math.sqrt(HistogramMath.variance(h));
                    case "histogram_stdvar" -> HistogramMath.variance(h);
                    default -> throw new IllegalStateException(name);
                });
                any = true;
            }
            if (any) out.add(o);
        }
        return out;
    }

    static Object fraction(Evaluator ev, Call c) {
        double[] lower = ev.evalScalar(c.args().get(0));
        double[] upper = ev.evalScalar(c.args().get(1));
        List<StepSeries> in = ev.evalVector(c.args().get(2));
        dev.strata.query.ast.Expr arg = c.args().get(2);
        return perGroup(ev, c, arg, in, (step, b, name) -> bucketFraction(lower[step], upper[step], b), (step, h, name) -> {
            if (Double.isNaN(h.sum()) && HistogramMath.nanSkewed(h)) {
                ev.annotations.info("input to histogram_fraction has NaN observations, which are excluded from all fractions"
                        + " for metric name \"" + name + "\"" + ev.ctx.position(arg));
            }
            return HistogramMath.fraction(lower[step], upper[step], h);
        });
    }

    static double bucketFraction(double lower, double upper, List<Bucket> buckets) {
        buckets.sort((a, b) -> Double.compare(a.upper, b.upper));
        if (buckets.get(buckets.size() - 1).upper != Double.POSITIVE_INFINITY) return Double.NaN;
        buckets = coalesce(buckets);
        double count = buckets.get(buckets.size() - 1).count;
        if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) return Double.NaN;
        if (lower >= upper) return 0;
        double rank = 0, lowerRank = 0, upperRank = 0;
        boolean lowerSet = false, upperSet = false;
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            double lowerBound = i > 0 ? buckets.get(i - 1).upper : (b.upper > 0 ? 0 : Double.NEGATIVE_INFINITY);
            double upperBound = b.upper;
            if (!lowerSet && lowerBound >= lower) {
                lowerRank = rank;
                lowerSet = true;
            }
            if (!upperSet && lowerBound >= upper) {
                upperRank = rank;
                upperSet = true;
            }
            if (lowerSet && upperSet) break;
            if (!lowerSet && lowerBound < lower && upperBound > lower) {
                lowerRank = interpolate(rank, b.count, lowerBound, upperBound, lower);
                lowerSet = true;
            }
            if (!upperSet && lowerBound < upper && upperBound > upper) {
                upperRank = interpolate(rank, b.count, lowerBound, upperBound, upper);
                upperSet = true;
            }
            if (lowerSet && upperSet) break;
            rank = b.count;
        }
        if (!lowerSet || lowerRank > count) lowerRank = count;
        if (!upperSet || upperRank > count) upperRank = count;
        return (upperRank - lowerRank) / count;
    }

    private static double interpolate(double rank, double bucketCount, double lb, double ub, double v) {
        if (Double.isInfinite(lb)) return bucketCount;
        if (Double.isInfinite(ub)) return rank;
        return rank + (bucketCount - rank) * (v - lb) / (ub - lb);
    }

    private static List<Bucket> coalesce(List<Bucket> buckets) {
        List<Bucket> co = new ArrayList<>();
        for (Bucket b : buckets) {
            if (!co.isEmpty() && co.get(co.size() - 1).upper == b.upper) {
                Bucket last = co.remove(co.size() - 1);
                co.add(new Bucket(b.upper, last.count + b.count));
            } else {
                co.add(b);
            }
        }
        return co;
    }

    static Object quantile(Evaluator ev, Call c) {
        double[] q = ev.evalScalar(c.args().get(0));
        List<StepSeries> in = ev.evalVector(c.args().get(1));
        for (double x : q) {
            if (Double.isNaN(x) || x < 0 || x > 1) {
                ev.annotations.warn("quantile value should be between 0 and 1, got " + Printer.formatFloat(x)
                        + ev.ctx.position(c.args().get(0)));
                break;
            }
        }
        return perGroup(ev, c, c.args().get(1), in, (step, b, name) -> bucketQuantile(ev, q[step], b, name, c.args().get(1)),
                (step, h, name) -> nativeQuantile(ev, q[step], h, name, c.args().get(1)));
    }

    private static double nativeQuantile(Evaluator ev, double q, FloatHistogram h, String name, dev.strata.query.ast.Expr arg) {
        double v = HistogramMath.quantile(q, h);
        if (Double.isNaN(h.sum()) && h.count() > 0 && q >= 0 && q <= 1) {
            if (Double.isNaN(v)) {
                ev.annotations.info("input to histogram_quantile has NaN observations, result is NaN for metric name \"" + name + "\""
                        + ev.ctx.position(arg));
            } else if (HistogramMath.nanSkewed(h)) {
                ev.annotations.info("input to histogram_quantile has NaN observations, result is skewed higher for metric name \""
                        + name + "\"" + ev.ctx.position(arg));
            }
        }
        return v;
    }

    private static Object perGroup(Evaluator ev, Call c, dev.strata.query.ast.Expr arg, List<StepSeries> in, BucketFn fn,
                                   NativeFn nativeFn) {
        // Group bucket series by their labels without le and __name__.
        Map<Labels, List<Integer>> groups = new LinkedHashMap<>();
        double[] upper = new double[in.size()];
        for (int i = 0; i < in.size(); i++) {
            StepSeries s = in.get(i);
            boolean anyFloat = s.h == null;
            for (int step = 0; step < ev.steps && !anyFloat; step++) anyFloat = s.hasFloat(step);
            if (!anyFloat) {
                upper[i] = Double.NaN;
                continue;
            }
            String le = s.labels.get("le");
            double ub;
            try {
                ub = parseLe(le);
            } catch (NumberFormatException e) {
                ev.annotations.warn("bucket label \"le\" is missing or has a malformed value of \"" + le
                        + "\" for metric name \"" + annotatedName(ev, s.labels) + "\"" + ev.ctx.position(arg));
                upper[i] = Double.NaN;
                continue;
            }
            upper[i] = ub;
            // The name stays in the key (delayed name removal): two metrics with equal other labels
            // stay apart and collide only when names are dropped at the end.
            Labels key = s.labels.without("le");
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        Out out = new Out(ev.steps);
        // Native histograms: each sample on its own, keeping its labels (le included); added after the
        // classic groups, as a classic group with the same labels at the same step drops both.
        Map<Labels, boolean[]> nativeAt = new java.util.HashMap<>();
        for (StepSeries s : in) {
            if (s.h == null) continue;
            for (int step = 0; step < ev.steps; step++) {
                if (s.hist(step) != null) nativeAt.computeIfAbsent(s.labels.without("le"), k -> new boolean[ev.steps])[step] = true;
            }
        }
        Map<Labels, boolean[]> clashed = new java.util.HashMap<>();
        for (Map.Entry<Labels, List<Integer>> g : groups.entrySet()) {
            boolean[] clash = nativeAt.get(g.getKey());
            for (int step = 0; step < ev.steps; step++) {
                List<Bucket> buckets = new ArrayList<>();
                String name = "";
                for (int idx : g.getValue()) {
                    StepSeries s = in.get(idx);
                    if (!s.hasFloat(step)) continue;
                    buckets.add(new Bucket(upper[idx], s.v[step]));
                    name = annotatedName(ev, s.labels);
                }
                if (buckets.isEmpty()) continue;
                if (clash != null && clash[step]) {
                    // A classic and a native histogram of the same labels: Prometheus drops both.
                    clashed.computeIfAbsent(g.getKey(), k -> new boolean[ev.steps])[step] = true;
                    ev.annotations.warn("vector contains a mix of classic and native histograms for metric name \"" + name + "\""
                            + ev.ctx.position(arg));
                    continue;
                }
                double v = fn.apply(step, buckets, name);
                out.add(g.getKey(), true, step, v);
            }
        }
        for (StepSeries s : in) {
            if (s.h == null) continue;
            boolean[] gone = clashed.get(s.labels.without("le"));
            for (int step = 0; step < ev.steps; step++) {
                FloatHistogram h = s.hist(step);
                if (h == null || gone != null && gone[step]) continue;
                out.add(s.labels, true, step, nativeFn.apply(step, h, annotatedName(ev, s.labels)));
            }
        }
        return out.series();
    }

    /** The metric name annotations name: none with immediate name dropping, as Prometheus does. */
    private static String annotatedName(Evaluator ev, Labels l) {
        return ev.delayedNames ? l.get(Labels.METRIC_NAME) : "";
    }

    /** histogram_quantiles(v, "label", q1, q2, ...): one output series per quantile, labelled. */
    static Object quantiles(Evaluator ev, Call c) {
        List<StepSeries> in = ev.evalVector(c.args().get(0));
        String label = (String) ev.eval(c.args().get(1));
        Out out = new Out(ev.steps);
        for (int k = 2; k < c.args().size(); k++) {
            double[] q = ev.evalScalar(c.args().get(k));
            for (double x : q) {
                if (Double.isNaN(x) || x < 0 || x > 1) {
                    ev.annotations.warn("quantile value should be between 0 and 1, got " + Printer.formatFloat(x)
                            + ev.ctx.position(c.args().get(k)));
                    break;
                }
            }
            @SuppressWarnings("unchecked")
            List<StepSeries> res = (List<StepSeries>) perGroup(ev, c, c.args().get(0), in,
                    (step, b, name) -> bucketQuantile(ev, q[step], b, name, c.args().get(0)),
                    (step, h, name) -> nativeQuantile(ev, q[step], h, name, c.args().get(0)));
            for (StepSeries s : res) {
                for (int i = 0; i < ev.steps; i++) {
                    if (s.has[i]) out.add(s.labels.with(label, quantileLabel(q[i])), true, i, s.v[i]);
                }
            }
        }
        return out.series();
    }

    private static String quantileLabel(double q) {
        String s = Aggregations.formatValue(q);
        if (s.matches("-?[0-9]+")) s += ".0";
        return s;
    }

    public static double parseLe(String le) {
        if (le.isEmpty()) throw new NumberFormatException("empty");
        String l = le.trim();
        switch (l.toLowerCase()) {
            case "+inf", "inf" -> { return Double.POSITIVE_INFINITY; }
            case "-inf" -> { return Double.NEGATIVE_INFINITY; }
            case "nan" -> { return Double.NaN; }
            default -> { }
        }
        if (l.startsWith("0x") || l.startsWith("0X")) return Long.parseLong(l.substring(2), 16);
        return Double.parseDouble(l);
    }

    static double bucketQuantile(Evaluator ev, double q, List<Bucket> buckets, String name, dev.strata.query.ast.Expr c) {
        if (Double.isNaN(q)) return Double.NaN;
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        buckets.sort((a, b) -> Double.compare(a.upper, b.upper));
        if (!Double.isInfinite(buckets.get(buckets.size() - 1).upper) || buckets.get(buckets.size() - 1).upper < 0) {
            return Double.NaN;
        }
        // Coalesce equal upper bounds.
        List<Bucket> co = new ArrayList<>();
        for (Bucket b : buckets) {
            if (!co.isEmpty() && co.get(co.size() - 1).upper == b.upper) {
                Bucket last = co.remove(co.size() - 1);
                co.add(new Bucket(b.upper, last.count + b.count));
            } else {
                co.add(b);
            }
        }
        buckets = co;
        // Force monotonicity, ignoring tiny floating-point deltas.
        double max = Double.NEGATIVE_INFINITY;
        boolean forced = false;
        double[] counts = new double[buckets.size()];
        for (int i = 0; i < buckets.size(); i++) {
            double cnt = buckets.get(i).count;
            if (cnt < max) {
                if (Math.abs(max - cnt) > 1e-12 * Math.abs(max)) forced = true;
                cnt = max;
            } else {
                max = cnt;
            }
            counts[i] = cnt;
        }
        if (forced) {
            ev.annotations.info("input to histogram_quantile needed to be fixed for monotonicity (see "
                    + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \""
                    + name + "\"" + ev.ctx.position(c));
        }
        int n = buckets.size();
        if (n < 2) return Double.NaN;
        double observations = counts[n - 1];
        if (observations == 0) return Double.NaN;
        double rank = q * observations;
        int b = 0;
        while (b < n - 1 && !(counts[b] >= rank)) b++;
        if (b == n - 1) return buckets.get(n - 2).upper;
        if (b == 0 && buckets.get(0).upper <= 0) return buckets.get(0).upper;
        double start = 0, end = buckets.get(b).upper, count = counts[b];
        if (b > 0) {
            start = buckets.get(b - 1).upper;
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return start + (end - start) * (rank / count);
    }
}

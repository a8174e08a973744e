package dev.strata.query.engine;

import dev.strata.query.ast.Call;
import dev.strata.query.ast.Printer;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** histogram_quantile over classic (le-labelled) bucket series. */
final class HistogramFunctions {
    private HistogramFunctions() {}

    private record Bucket(double upper, double count) {}

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
        // Group bucket series by their labels without le and __name__.
        Map<Labels, List<Integer>> groups = new LinkedHashMap<>();
        double[] upper = new double[in.size()];
        for (int i = 0; i < in.size(); i++) {
            StepSeries s = in.get(i);
            String le = s.labels.get("le");
            double ub;
            try {
                ub = parseLe(le);
            } catch (NumberFormatException e) {
                ev.annotations.warn("bucket label \"le\" is missing or has a malformed value of \"" + le
                        + "\" for metric name \"" + s.labels.get(Labels.METRIC_NAME) + "\"" + ev.ctx.position(c.args().get(1)));
                upper[i] = Double.NaN;
                continue;
            }
            upper[i] = ub;
            Labels key = s.labels.without("le", Labels.METRIC_NAME);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        Out out = new Out(ev.steps);
        for (Map.Entry<Labels, List<Integer>> g : groups.entrySet()) {
            for (int step = 0; step < ev.steps; step++) {
                List<Bucket> buckets = new ArrayList<>();
                String name = "";
                for (int idx : g.getValue()) {
                    StepSeries s = in.get(idx);
                    if (!s.has[step]) continue;
                    buckets.add(new Bucket(upper[idx], s.v[step]));
                    name = s.labels.get(Labels.METRIC_NAME);
                }
                if (buckets.isEmpty()) continue;
                double v = bucketQuantile(ev, q[step], buckets, name, c);
                out.add(g.getKey(), true, step, v);
            }
        }
        return out.series();
    }

    static double parseLe(String le) {
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

    static double bucketQuantile(Evaluator ev, double q, List<Bucket> buckets, String name, Call c) {
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

package dev.strata.query.promqltest;

import dev.strata.query.engine.HistogramFunctions;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code load_with_nhcb}: besides the classic series, each classic histogram ({@code <name>_bucket} with
 * {@code le}, {@code <name>_count}, {@code <name>_sum} of the same other labels) becomes a native histogram
 * with custom buckets named {@code <name>} (Prometheus's util/convertnhcb, as its test harness uses it):
 * per timestamp, the bucket bounds but +Inf become the custom bounds, the cumulative counts are
 * de-accumulated, the count is {@code _count} (else the +Inf bucket's). A timestamp whose buckets are not
 * cumulative, or whose count differs from the +Inf bucket, gets no histogram.
 */
final class NhcbConversion {
    private NhcbConversion() {}

    /** Per timestamp: bucket bound -> cumulative count, count and sum when given. */
    private static final class Temp {
        final TreeMap<Double, Double> buckets = new TreeMap<>();
        Double count;
        double sum;
        boolean bad;
    }

    /** The converted series of one load: base labels -> time -> histogram. */
    static Map<Labels, TreeMap<Long, FloatHistogram>> convert(Map<Labels, TreeMap<Long, Object>> samples) {
        Map<Labels, TreeMap<Long, Temp>> temps = new LinkedHashMap<>();
        samples.forEach((labels, points) -> {
            String name = labels.get(Labels.METRIC_NAME);
            int kind = name.endsWith("_bucket") ? 0 : name.endsWith("_count") ? 1 : name.endsWith("_sum") ? 2 : -1;
            if (kind < 0) return;
            String base = name.substring(0, name.length() - (kind == 0 ? 7 : kind == 1 ? 6 : 4));
            double le = 0;
            if (kind == 0) {
                try {
                    le = HistogramFunctions.parseLe(labels.get("le"));
                } catch (NumberFormatException e) {
                    return;
                }
                if (Double.isNaN(le)) return;
            }
            Labels key = labels.with(Labels.METRIC_NAME, base).without("le");
            TreeMap<Long, Temp> byTime = temps.computeIfAbsent(key, k -> new TreeMap<>());
            for (Map.Entry<Long, Object> e : points.entrySet()) {
                if (!(e.getValue() instanceof Double f)) continue;
                Temp t = byTime.computeIfAbsent(e.getKey(), k -> new Temp());
                switch (kind) {
                    case 0 -> {
                        if (f < 0) t.bad = true;
                        t.buckets.putIfAbsent(le, f);
                    }
                    case 1 -> {
                        if (f < 0) t.bad = true;
                        t.count = f;
                    }
                    default -> t.sum = f;
                }
            }
        });
        Map<Labels, TreeMap<Long, FloatHistogram>> out = new LinkedHashMap<>();
        temps.forEach((labels, byTime) -> byTime.forEach((t, temp) -> {
            FloatHistogram h = build(temp);
            if (h != null) out.computeIfAbsent(labels, k -> new TreeMap<>()).put(t, h);
        }));
        return out;
    }

    private static FloatHistogram build(Temp t) {
        if (t.bad) return null;
        List<double[]> buckets = new ArrayList<>();
        double prev = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Double, Double> b : t.buckets.entrySet()) {
            if (b.getValue() < prev) return null; // not cumulative
            prev = b.getValue();
            buckets.add(new double[] {b.getKey(), b.getValue()});
        }
        double count = t.count != null ? t.count : buckets.isEmpty() ? 0 : buckets.get(buckets.size() - 1)[1];
        if (buckets.isEmpty() || buckets.get(buckets.size() - 1)[0] != Double.POSITIVE_INFINITY) {
            buckets.add(new double[] {Double.POSITIVE_INFINITY, count});
        }
        if (count != buckets.get(buckets.size() - 1)[1]) return null;
        double[] custom = new double[buckets.size() - 1];
        double[] counts = new double[buckets.size()];
        double cumulative = 0;
        for (int i = 0; i < buckets.size(); i++) {
            counts[i] = buckets.get(i)[1] - cumulative;
            cumulative = buckets.get(i)[1];
            if (i < custom.length) custom[i] = buckets.get(i)[0];
        }
        return new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, FloatHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, count, t.sum,
                new int[] {0}, new int[] {counts.length}, counts, null, null, null, custom);
    }
}

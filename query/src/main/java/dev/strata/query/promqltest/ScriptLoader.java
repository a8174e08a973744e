package dev.strata.query.promqltest;

import dev.strata.query.engine.HistogramMath;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code load} command: expands each series line and appends its samples to the {@link TestStorage}.
 * Native histogram samples ({@code {{...}}}) are stored as histograms; {@code load_with_nhcb} also stores
 * the classic histograms converted to native ones with custom buckets ({@link NhcbConversion}).
 */
final class ScriptLoader {
    private ScriptLoader() {}

    static void load(TestStorage storage, Script.Load l, List<Labels> histogramSeries) {
        // A later line for the same series and time overrides an earlier one (as in Prometheus's
        // harness); the store keeps the first write, so resolve duplicates before appending.
        Map<Labels, java.util.TreeMap<Long, Object>> samples = new java.util.LinkedHashMap<>();
        // "name@st" lines: each sample's start timestamp as an offset from the sample's time.
        Map<Labels, Map<Long, Long>> starts = new HashMap<>();
        for (SeriesSpec s : l.series()) {
            if (s.startTimestamps()) {
                Map<Long, Long> st = starts.computeIfAbsent(s.labels(), k -> new HashMap<>());
                List<Long> offsets = SeriesSpec.expandOffsets(s.valuesText());
                for (int i = 0; i < offsets.size(); i++) {
                    if (offsets.get(i) == null) continue;
                    long t = i * l.stepMs();
                    st.put(t, t + offsets.get(i));
                }
                continue;
            }
            List<SeriesSpec.Point> pts = SeriesSpec.expand(s.valuesText());
            for (int i = 0; i < pts.size(); i++) {
                SeriesSpec.Point p = pts.get(i);
                if (p.missing()) continue;
                Object v = p.histogram() != null ? p.histogram() : (Object) p.value();
                if (p.histogram() != null && !histogramSeries.contains(s.labels())) histogramSeries.add(s.labels());
                samples.computeIfAbsent(s.labels(), k -> new java.util.TreeMap<>()).put(i * l.stepMs(), v);
            }
        }
        if (l.withNhcb()) {
            NhcbConversion.convert(samples).forEach((labels, byTime) -> {
                if (!histogramSeries.contains(labels)) histogramSeries.add(labels);
                java.util.TreeMap<Long, Object> points = samples.computeIfAbsent(labels, k -> new java.util.TreeMap<>());
                points.putAll(byTime);
            });
        }
        samples.forEach((labels, points) -> {
            Map<Long, Long> st = starts.getOrDefault(labels, Map.of());
            // In time order, as a scrape would deliver them (the index records the first sample's time).
            Object[] prev = {null};
            points.forEach((t, v) -> {
                if (v instanceof FloatHistogram h) storage.append(labels, t, st.getOrDefault(t, 0L), storedHint(h, prev[0]));
                else storage.append(labels, t, st.getOrDefault(t, 0L), (Double) v);
                prev[0] = v;
            });
        });
    }

    /**
     * The counter-reset hint a histogram reads back with from Prometheus's TSDB, which the scripts
     * expect: a histogram without a hint that follows another histogram of its series and is not a
     * counter reset is stored as "not a reset" (it shares the TSDB chunk of its predecessor); a detected
     * reset starts a new chunk there, whose first sample reads back as "unknown" (prometheus/prometheus#15346),
     * so it keeps "unknown". Gauges and explicit hints stay. Queries that read only count and sum derive
     * hints again ({@code HistogramStatsSelectors}), as Prometheus's HistogramStatsIterator does.
     */
    private static FloatHistogram storedHint(FloatHistogram h, Object prev) {
        if (h.resetHint() != FloatHistogram.ResetHint.UNKNOWN || !(prev instanceof FloatHistogram p)) return h;
        return HistogramMath.detectReset(h, p) ? h : h.withResetHint(FloatHistogram.ResetHint.NO);
    }
}

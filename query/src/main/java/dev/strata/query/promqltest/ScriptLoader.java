package dev.strata.query.promqltest;

import dev.strata.store.model.Labels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code load} command: expands each series line and appends its samples to the {@link TestStorage}.
 * Native histogram samples are not stored; their series are listed so that evals reading them are skipped.
 */
final class ScriptLoader {
    private ScriptLoader() {}

    static void load(TestStorage storage, Script.Load l, List<Labels> histogramSeries) {
        // A later line for the same series and time overrides an earlier one (as in Prometheus's
        // harness); the store keeps the first write, so resolve duplicates before appending.
        Map<Labels, java.util.TreeMap<Long, Double>> samples = new java.util.LinkedHashMap<>();
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
            boolean hist = false;
            for (int i = 0; i < pts.size(); i++) {
                SeriesSpec.Point p = pts.get(i);
                if (p.missing()) continue;
                if (p.histogram()) {
                    hist = true;
                    continue;
                }
                samples.computeIfAbsent(s.labels(), k -> new java.util.TreeMap<>()).put(i * l.stepMs(), p.value());
            }
            if (hist) histogramSeries.add(s.labels());
            if (l.withNhcb()) addNhcbNames(s, histogramSeries);
        }
        samples.forEach((labels, points) -> {
            Map<Long, Long> st = starts.getOrDefault(labels, Map.of());
            points.forEach((t, v) -> storage.append(labels, t, st.getOrDefault(t, 0L), v));
        });
    }

    /** load_with_nhcb also makes native histograms named without the classic suffixes. */
    private static void addNhcbNames(SeriesSpec s, List<Labels> histogramSeries) {
        String name = s.labels().get(Labels.METRIC_NAME);
        for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
            if (name.endsWith(suffix)) {
                histogramSeries.add(s.labels().with(Labels.METRIC_NAME, name.substring(0, name.length() - suffix.length()))
                        .without("le"));
            }
        }
    }
}

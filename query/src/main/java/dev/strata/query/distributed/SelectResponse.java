package dev.strata.query.distributed;

import dev.strata.query.engine.HistogramPartial;
import dev.strata.query.storage.Series;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answer to a {@link SelectRequest} or a {@link PushdownRequest}: which of the asked shards the node
 * served (open and caught up there) and their series; for a pushed-down query also the warnings and
 * infos of its evaluation there and, when the asker asked for them, the samples it scanned
 * ({@code samples}, null when not reported: a select, or an owner that predates response version 4).
 * Shards asked but not served must be read elsewhere.
 *
 * <p>{@code histogramPartials}: for a pushed-down {@code sum} asked for partials (response version 6),
 * parallel to {@code series}: null for a series of float sums only, else an array parallel to its
 * samples with the {@link HistogramPartial} of each step that had native histograms (whose sum, if
 * any, is the sample's histogram). Null for every other answer.
 */
public record SelectResponse(List<Integer> served, List<Series> series, List<String> warnings, List<String> infos,
                             SampleCounts samples, List<HistogramPartial[]> histogramPartials) {
    public SelectResponse {
        served = List.copyOf(served);
        series = List.copyOf(series);
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
        if (histogramPartials != null) {
            if (histogramPartials.size() != series.size()) {
                throw new IllegalArgumentException(histogramPartials.size() + " histogram partial arrays for " + series.size() + " series");
            }
            for (int i = 0; i < series.size(); i++) {
                HistogramPartial[] p = histogramPartials.get(i);
                if (p != null && p.length != series.get(i).size()) {
                    throw new IllegalArgumentException("series " + i + ": " + p.length + " partials for " + series.get(i).size() + " samples");
                }
            }
            histogramPartials = Collections.unmodifiableList(new ArrayList<>(histogramPartials));
        }
    }

    public SelectResponse(List<Integer> served, List<Series> series, List<String> warnings, List<String> infos,
                          SampleCounts samples) {
        this(served, series, warnings, infos, samples, null);
    }

    /** Whether some series carries a histogram partial (the answer is then written as response version 6). */
    public boolean hasHistogramPartials() {
        if (histogramPartials == null) return false;
        for (HistogramPartial[] p : histogramPartials) {
            if (p == null) continue;
            for (HistogramPartial x : p) if (x != null) return true;
        }
        return false;
    }

    /** The partials of series i (null when it has none). */
    public HistogramPartial[] partialsOf(int i) {
        return histogramPartials == null ? null : histogramPartials.get(i);
    }

    public SelectResponse(List<Integer> served, List<Series> series, List<String> warnings, List<String> infos) {
        this(served, series, warnings, infos, null);
    }

    public SelectResponse(List<Integer> served, List<Series> series) {
        this(served, series, List.of(), List.of());
    }

    /** This answer without its sample counts (for an asker that did not ask for them). */
    public SelectResponse withoutSamples() {
        return new SelectResponse(served, series, warnings, infos, null, histogramPartials);
    }
}

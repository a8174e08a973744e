package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;

/**
 * One series of a matrix: labels and points in ascending time order. {@code histograms} is null when
 * every point is a float; otherwise parallel to {@code timestamps}, a non-null entry making that
 * point a native histogram (its {@code values} entry is then unspecified).
 */
public record SeriesPoints(Labels metric, long[] timestamps, double[] values, FloatHistogram[] histograms) {
    public SeriesPoints(Labels metric, long[] timestamps, double[] values) {
        this(metric, timestamps, values, null);
    }

    public int size() {
        return timestamps.length;
    }

    /** The histogram at point i, or null when it is a float. */
    public FloatHistogram histogram(int i) {
        return histograms == null ? null : histograms[i];
    }
}

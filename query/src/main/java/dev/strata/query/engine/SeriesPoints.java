package dev.strata.query.engine;

import dev.strata.store.model.Labels;

/** One series of a matrix: labels and float points in ascending time order. */
public record SeriesPoints(Labels metric, long[] timestamps, double[] values) {
    public int size() {
        return timestamps.length;
    }
}

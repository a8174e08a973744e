package dev.strata.query.storage;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;

/**
 * One series as read from storage for a time range: labels plus its float samples in ascending time
 * order ({@code timestamps.length == values.length}). Staleness markers are included as stored.
 *
 * <p>{@code startTimestamps} is null when no sample in the range has a start timestamp (the usual
 * case); otherwise it is parallel to {@code timestamps}, 0 meaning "unknown" for that sample. A
 * start timestamp is the time the sample's counter started counting from zero (OpenTelemetry's and
 * Prometheus's "created"/"start" time).
 *
 * <p>{@code histograms} is null when no sample in the range is a native histogram; otherwise it is
 * parallel to {@code timestamps}, a non-null entry making that sample a histogram sample (its
 * {@code values} entry is then unspecified).
 */
public record Series(Labels labels, long[] timestamps, double[] values, long[] startTimestamps, FloatHistogram[] histograms) {
    public Series(Labels labels, long[] timestamps, double[] values) {
        this(labels, timestamps, values, null, null);
    }

    public Series(Labels labels, long[] timestamps, double[] values, long[] startTimestamps) {
        this(labels, timestamps, values, startTimestamps, null);
    }

    public Series {
        if (startTimestamps != null && startTimestamps.length != timestamps.length) {
            throw new IllegalArgumentException("start timestamps (" + startTimestamps.length + ") not parallel to timestamps (" + timestamps.length + ")");
        }
        if (histograms != null && histograms.length != timestamps.length) {
            throw new IllegalArgumentException("histograms (" + histograms.length + ") not parallel to timestamps (" + timestamps.length + ")");
        }
    }

    public int size() {
        return timestamps.length;
    }
}

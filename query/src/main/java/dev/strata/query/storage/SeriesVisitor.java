package dev.strata.query.storage;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;

/**
 * Receives selected series one at a time from {@link Queryable#select(java.util.List, long, long, SeriesVisitor)}.
 * {@code timestamps[0..n)} and {@code values[0..n)} hold the series' samples in ascending time order
 * (staleness markers included as stored); {@code startTimestamps[0..n)} their start timestamps (0 =
 * unknown), or null when none is known (see {@link Series}); {@code histograms[0..n)} the native
 * histogram of each histogram sample (null entries for float samples, whose value is in
 * {@code values}), or null when the series has no histogram sample in the range. The arrays belong
 * to the producer and are valid only during the call: they may be longer than {@code n} and are
 * reused for the next series, so copy what must be kept and never write into them.
 */
@FunctionalInterface
public interface SeriesVisitor {
    void visit(Labels labels, long[] timestamps, double[] values, long[] startTimestamps, FloatHistogram[] histograms, int n);
}

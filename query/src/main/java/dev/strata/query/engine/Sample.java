package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;

/** One element of an instant vector: a float {@code value}, or a native {@code histogram} when that is non-null. */
public record Sample(Labels metric, long timestampMs, double value, FloatHistogram histogram) {
    public Sample(Labels metric, long timestampMs, double value) {
        this(metric, timestampMs, value, null);
    }
}

package dev.strata.query.engine;

import dev.strata.query.storage.Series;
import java.util.List;

/**
 * A {@code sum} evaluated over part of the input for merging ({@link Engine#partialAggregation}): one
 * series per group (final labels) with a sample at each step where the group had input, and
 * {@code partials} parallel to {@code series}: null for a series whose samples are all float sums,
 * else an array parallel to its samples holding the {@link HistogramPartial} of each step that had
 * histograms (null at float steps). The evaluation's own annotations (its argument's) and statistics.
 */
public record PartialAggregation(List<Series> series, List<HistogramPartial[]> partials, List<String> warnings,
                                 List<String> infos, QueryStats stats) {
    public PartialAggregation {
        if (series.size() != partials.size()) {
            throw new IllegalArgumentException(partials.size() + " partial arrays for " + series.size() + " series");
        }
        series = List.copyOf(series);
        partials = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(partials));
    }
}

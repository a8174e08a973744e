package dev.strata.query.engine;

import dev.strata.store.model.Labels;

/**
 * A series feeding a range-vector function: points in time order, staleness markers removed.
 * {@code st}: the points' start timestamps (0 = unknown), or null when the series has none or comes
 * from a subquery (subqueries do not propagate start timestamps).
 */
final class RangeSeries {
    final Labels labels;
    final long[] t;
    final double[] v;
    final long[] st;
    final boolean dropName;

    RangeSeries(Labels labels, long[] t, double[] v, boolean dropName) {
        this(labels, t, v, null, dropName);
    }

    RangeSeries(Labels labels, long[] t, double[] v, long[] st, boolean dropName) {
        this.labels = labels;
        this.t = t;
        this.v = v;
        this.st = st;
        this.dropName = dropName;
    }
}

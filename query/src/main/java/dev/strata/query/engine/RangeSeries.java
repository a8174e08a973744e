package dev.strata.query.engine;

import dev.strata.store.model.Labels;

/** A series feeding a range-vector function: points in time order, staleness markers removed. */
final class RangeSeries {
    final Labels labels;
    final long[] t;
    final double[] v;
    final boolean dropName;

    RangeSeries(Labels labels, long[] t, double[] v, boolean dropName) {
        this.labels = labels;
        this.t = t;
        this.v = v;
        this.dropName = dropName;
    }
}

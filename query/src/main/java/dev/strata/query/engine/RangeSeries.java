package dev.strata.query.engine;

import dev.strata.store.model.Labels;

/**
 * A series feeding a range-vector function: points {@code t[0..n)}, {@code v[0..n)} in time order,
 * staleness markers removed. The arrays may be longer than {@code n}. A {@link RangeInput} hands
 * these out one at a time and may reuse the object and its arrays for the next series.
 */
final class RangeSeries {
    Labels labels;
    long[] t;
    double[] v;
    int n;
    boolean dropName;

    RangeSeries(Labels labels, long[] t, double[] v, int n, boolean dropName) {
        set(labels, t, v, n, dropName);
    }

    RangeSeries set(Labels labels, long[] t, double[] v, int n, boolean dropName) {
        this.labels = labels;
        this.t = t;
        this.v = v;
        this.n = n;
        this.dropName = dropName;
        return this;
    }
}

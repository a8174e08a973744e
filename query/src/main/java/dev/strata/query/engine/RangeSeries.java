package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;

import dev.strata.store.model.Labels;

/**
 * A series feeding a range-vector function: points {@code t[0..n)}, {@code v[0..n)} in time order,
 * staleness markers removed. The arrays may be longer than {@code n}. A {@link RangeInput} hands
 * these out one at a time and may reuse the object and its arrays for the next series.
 * {@code st}: the points' start timestamps (0 = unknown), or null when the series has none or comes
 * from a subquery (subqueries do not propagate start timestamps).
 */
final class RangeSeries {
    Labels labels;
    long[] t;
    double[] v;
    long[] st;
    /** The points' histograms (non-null entry = histogram point), or null when every point is a float. */
    FloatHistogram[] h;
    int n;
    boolean dropName;

    RangeSeries(Labels labels, long[] t, double[] v, long[] st, int n, boolean dropName) {
        set(labels, t, v, st, n, dropName);
    }

    RangeSeries set(Labels labels, long[] t, double[] v, long[] st, int n, boolean dropName) {
        this.labels = labels;
        this.t = t;
        this.v = v;
        this.st = st;
        this.h = null;
        this.n = n;
        this.dropName = dropName;
        return this;
    }

    RangeSeries withHistograms(FloatHistogram[] h) {
        this.h = h;
        return this;
    }

    /** The histogram of point i, or null when it is a float. */
    FloatHistogram hist(int i) {
        return h == null ? null : h[i];
    }
}

package dev.strata.query.engine;

import dev.strata.store.model.Labels;

/**
 * A series of an instant-vector result over the evaluator's steps: value {@code v[i]} exists at step
 * i when {@code has[i]}. {@code dropName}: the metric name is to be removed when the query finishes
 * (Prometheus's delayed name removal), so functions further up still see it.
 */
final class StepSeries {
    Labels labels;
    final double[] v;
    final boolean[] has;
    boolean dropName;
    /** Sample timestamps (ms) per step, kept only by selectors for timestamp(); null otherwise. */
    long[] ts;
    /** Start timestamps (ms, 0 = unknown) of the samples per step, kept only for start_timestamp(); null otherwise. */
    long[] st;

    StepSeries(Labels labels, int steps, boolean dropName) {
        this.labels = labels;
        this.v = new double[steps];
        this.has = new boolean[steps];
        this.dropName = dropName;
    }

    /** Makes this an empty series with new labels, for a producer that reuses it. */
    void reset(Labels labels, boolean dropName) {
        this.labels = labels;
        this.dropName = dropName;
        java.util.Arrays.fill(has, false);
    }

    void set(int step, double value) {
        v[step] = value;
        has[step] = true;
    }

    int count() {
        int n = 0;
        for (boolean b : has) if (b) n++;
        return n;
    }
}

package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;

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
    /**
     * Native histograms per step (a non-null entry makes that step's sample a histogram, {@code v}
     * then unspecified); null while the series holds floats only, allocated by {@link #setHistogram}.
     */
    FloatHistogram[] h;

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
        if (h != null) java.util.Arrays.fill(h, null);
    }

    /** The histogram at step i, or null when the step holds a float (or nothing). */
    FloatHistogram hist(int i) {
        return h == null ? null : h[i];
    }

    /** Whether step i holds a float sample. */
    boolean hasFloat(int i) {
        return has[i] && (h == null || h[i] == null);
    }

    void setHistogram(int step, FloatHistogram hist) {
        if (h == null) h = new FloatHistogram[v.length];
        h[step] = hist;
        v[step] = 0;
        has[step] = true;
    }

    void set(int step, double value) {
        v[step] = value;
        has[step] = true;
        if (h != null) h[step] = null;
    }

    int count() {
        int n = 0;
        for (boolean b : has) if (b) n++;
        return n;
    }
}

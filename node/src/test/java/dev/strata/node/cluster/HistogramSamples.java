package dev.strata.node.cluster;

import dev.strata.store.model.FloatHistogram;

/**
 * Native histogram samples for the real-Prometheus remote read and federation tests, a function of the
 * step {@code i}: positive and negative buckets over two spans each (with a gap), a zero bucket, counts that
 * grow with {@code i} (a counter) or go up and down (a gauge), whole or not.
 */
final class HistogramSamples {
    private HistogramSamples() {}

    /** A counter histogram with whole counts (what Prometheus scrapes and remote-writes as an integer histogram). */
    static FloatHistogram counter(int i) {
        double[] pos = {1 + i, 2 * i, 3 + i, i % 4};
        double[] neg = {2, i};
        double zero = i % 3;
        return new FloatHistogram(FloatHistogram.ResetHint.NO, 1, 0.001, zero, total(pos, neg, zero), 12.5 * i - 3.25,
                new int[] {-1, 2}, new int[] {2, 2}, pos, new int[] {0}, new int[] {2}, neg, null);
    }

    /** A gauge histogram with whole counts that go up and down. */
    static FloatHistogram gauge(int i) {
        double[] pos = {5 - i % 5, i % 7};
        return new FloatHistogram(FloatHistogram.ResetHint.GAUGE, -1, 0, 0, total(pos, new double[0], 0), 0.75 * (i % 5),
                new int[] {3}, new int[] {2}, pos, null, null, null, null);
    }

    /** A counter histogram with counts that are not whole numbers (a float histogram). */
    static FloatHistogram floatCounts(int i) {
        double[] pos = {0.5 + i, 1.25 * i};
        return new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, 0, 0.01, 0.25, total(pos, new double[0], 0.25), 2.5 * i,
                new int[] {0}, new int[] {2}, pos, null, null, null, null);
    }

    private static double total(double[] pos, double[] neg, double zero) {
        double t = zero;
        for (double c : pos) t += c;
        for (double c : neg) t += c;
        return t;
    }
}

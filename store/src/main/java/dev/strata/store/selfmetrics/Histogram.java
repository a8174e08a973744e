package dev.strata.store.selfmetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Observations counted in fixed buckets (upper bounds inclusive, as Prometheus's {@code le}), plus
 * their sum and count. Thread safe. A scrape concurrent with observations may see a count and sum
 * that differ by the observations in flight; each bucket is exact.
 */
public final class Histogram {
    /** Latency buckets in seconds, 1 ms to 10 s. */
    public static final double[] DEFAULT_SECONDS_BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final double[] bounds;
    private final LongAdder[] counts; // per bucket, not cumulative; last is +Inf
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    static double[] checkBounds(String metric, double[] bounds) {
        if (bounds.length == 0) {
            throw new IllegalArgumentException(metric + ": a histogram needs at least one bucket");
        }
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
                throw new IllegalArgumentException(metric + ": bucket bounds must be finite and increasing: "
                        + Arrays.toString(bounds));
            }
        }
        return bounds.clone();
    }

    public void observe(double value) {
        int i = Arrays.binarySearch(bounds, value);
        if (i < 0) {
            i = -i - 1; // first bound > value; == value lands on its own bucket (le is inclusive)
        }
        counts[i].increment();
        sum.add(value);
    }

    /** Observes the time since {@code startNanos} (from {@link System#nanoTime()}) in seconds. */
    public void observeSince(long startNanos) {
        observe((System.nanoTime() - startNanos) / 1e9);
    }

    public long count() {
        long c = 0;
        for (LongAdder a : counts) {
            c += a.sum();
        }
        return c;
    }

    public double sum() {
        return sum.sum();
    }

    void samples(String name, List<String> labelNames, List<String> labelValues, List<Sample> out) {
        List<String> names = new ArrayList<>(labelNames);
        names.add("le");
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i].sum();
            List<String> values = new ArrayList<>(labelValues);
            values.add(i < bounds.length ? PrometheusTextFormat.formatValue(bounds[i]) : "+Inf");
            out.add(new Sample(name + "_bucket", names, values, cumulative));
        }
        out.add(new Sample(name + "_sum", labelNames, labelValues, sum.sum()));
        out.add(new Sample(name + "_count", labelNames, labelValues, cumulative));
    }
}

package dev.strata.store.tools;

import dev.strata.store.model.FloatHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Synthetic data (codec tests, the size report, the decode benchmark): a cumulative native histogram
 * as a client library exposes it, scraped every 15 s. Observations are log-normal (a latency), a few exactly 0 (the zero bucket) and, when asked, some
 * negative; bucket index of v > 0 for schema s: ceil(log2(v) * 2^s), as Prometheus's
 * {@code (base^(i-1), base^i]}. Spans merge gaps of up to two empty buckets, as the Go and Java clients
 * do. Seeded: the same seed gives the same series.
 */
public final class HistogramSamples {
    /** The client libraries' default zero threshold, 2^-128. */
    public static final double ZERO_THRESHOLD = Math.scalb(1.0, -128);
    /** Prometheus client libraries' default classic buckets (upper bounds; +Inf implicit). */
    public static final double[] CLASSIC_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private final long[] classic = new long[CLASSIC_BOUNDS.length];
    private final Random rnd;
    private final int schema;
    private final boolean negatives;
    private final TreeMap<Integer, Long> pos = new TreeMap<>();
    private final TreeMap<Integer, Long> neg = new TreeMap<>();
    private long zero;
    private long count;
    private double sum;

    public HistogramSamples(long seed, int schema, boolean negatives) {
        this.rnd = new Random(seed);
        this.schema = schema;
        this.negatives = negatives;
    }

    /** Adds {@code n} observations and returns the histogram after them. */
    public FloatHistogram next(int n, FloatHistogram.ResetHint hint) {
        for (int i = 0; i < n; i++) {
            double v = rnd.nextDouble() < 0.01 ? 0 : Math.exp(-3 + 0.8 * rnd.nextGaussian());
            if (negatives && rnd.nextDouble() < 0.2) v = -v;
            count++;
            sum += v;
            for (int b = 0; b < CLASSIC_BOUNDS.length; b++) if (v <= CLASSIC_BOUNDS[b]) classic[b]++;
            if (v == 0) zero++;
            else (v > 0 ? pos : neg).merge(index(Math.abs(v)), 1L, Long::sum);
        }
        int[][] ps = spans(pos);
        int[][] ns = spans(neg);
        return new FloatHistogram(hint, schema, ZERO_THRESHOLD, zero, count, sum, ps[0], ps[1], buckets(pos, ps), ns[0], ns[1], buckets(neg, ns), null);
    }

    /**
     * The same observations as a classic histogram after the last {@link #next}: the cumulative
     * {@code _bucket} counts of {@link #CLASSIC_BOUNDS}, then {@code +Inf} (= count), {@code _count}, {@code _sum}.
     */
    public double[] classicSeries() {
        double[] out = new double[classic.length + 3];
        for (int i = 0; i < classic.length; i++) out[i] = classic[i];
        out[classic.length] = count;
        out[classic.length + 1] = count;
        out[classic.length + 2] = sum;
        return out;
    }

    /** Forgets every observation (a process restart). */
    public void reset() {
        java.util.Arrays.fill(classic, 0);
        pos.clear();
        neg.clear();
        zero = 0;
        count = 0;
        sum = 0;
    }

    private int index(double v) {
        return (int) Math.ceil(Math.log(v) / Math.log(2) * Math.pow(2, schema));
    }

    private static int[][] spans(TreeMap<Integer, Long> m) {
        List<int[]> spans = new ArrayList<>();
        Integer prevEnd = null;
        for (int idx : m.keySet()) {
            if (prevEnd != null && idx - prevEnd <= 3) {
                spans.get(spans.size() - 1)[1] += idx - prevEnd + 1;
            } else {
                spans.add(new int[] {prevEnd == null ? idx : idx - prevEnd - 1, 1});
            }
            prevEnd = idx;
        }
        int[] off = new int[spans.size()];
        int[] len = new int[spans.size()];
        for (int i = 0; i < off.length; i++) {
            off[i] = spans.get(i)[0];
            len[i] = spans.get(i)[1];
        }
        return new int[][] {off, len};
    }

    private static double[] buckets(TreeMap<Integer, Long> m, int[][] spans) {
        int total = 0;
        for (int l : spans[1]) total += l;
        double[] out = new double[total];
        int k = 0;
        int idx = 0;
        for (int s = 0; s < spans[0].length; s++) {
            idx += spans[0][s];
            for (int j = 0; j < spans[1][s]; j++, idx++) out[k++] = m.getOrDefault(idx, 0L);
        }
        return out;
    }
}

package dev.strata.store.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Test data: a cumulative native histogram as a client library exposes it, scraped every 15 s.
 * Observations are log-normal (a latency), a few exactly 0 (the zero bucket) and, when asked, some
 * negative; bucket index of v > 0 for schema s: ceil(log2(v) * 2^s), as Prometheus's
 * {@code (base^(i-1), base^i]}. Spans merge gaps of up to two empty buckets, as the Go and Java clients
 * do. Seeded: the same seed gives the same series.
 */
public final class HistogramSamples {
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
            if (v == 0) zero++;
            else (v > 0 ? pos : neg).merge(index(Math.abs(v)), 1L, Long::sum);
        }
        int[][] ps = spans(pos);
        int[][] ns = spans(neg);
        return new FloatHistogram(hint, schema, 1e-128, zero, count, sum, ps[0], ps[1], buckets(pos, ps), ns[0], ns[1], buckets(neg, ns), null);
    }

    /** Forgets every observation (a process restart). */
    public void reset() {
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

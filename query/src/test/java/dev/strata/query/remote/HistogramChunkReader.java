package dev.strata.query.remote;

import dev.strata.store.model.FloatHistogram;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side reader of Prometheus's histogram chunks ("histogram" and "floathistogram"), written from
 * prometheus/tsdb/docs/format/chunks.md: it returns each sample with the counter-reset hint Prometheus's
 * reader reports (a gauge chunk: GAUGE; a counter chunk: the first sample UNKNOWN, the others NO) and keeps
 * the chunk's header bits apart.
 */
final class HistogramChunkReader {
    record Sample(long t, FloatHistogram h) {}

    private final byte[] b;
    private int bit;
    final int header;
    final List<Sample> samples = new ArrayList<>();

    HistogramChunkReader(byte[] data, boolean floatChunk) {
        b = data;
        int count = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        header = b[2] & 0xc0;
        bit = 24;
        int thresholdByte = (int) bits(8);
        double threshold = thresholdByte == 0 ? 0 : thresholdByte == 255 ? Double.longBitsToDouble(bits(64)) : Math.scalb(0.5, thresholdByte - 243);
        int schema = (int) varbitInt();
        int[][] pos = spans(), neg = spans();
        double[] custom = null;
        if (schema == FloatHistogram.CUSTOM_BUCKETS_SCHEMA) {
            custom = new double[(int) varbitUint()];
            for (int i = 0; i < custom.length; i++) {
                long v = varbitUint();
                custom[i] = v == 0 ? Double.longBitsToDouble(bits(64)) : (double) (v - 1) / 1000;
            }
        }
        int np = sum(pos[1]), nn = sum(neg[1]);
        long t = 0, tDelta = 0;
        // integer state
        long cnt = 0, cntDelta = 0, zero = 0, zeroDelta = 0;
        long[] pb = new long[np], pbDelta = new long[np], nb = new long[nn], nbDelta = new long[nn];
        // float state: values and XOR windows (leading, trailing) per stream: count, zero, sum, buckets
        double[] vals = new double[3 + np + nn];
        int[][] win = new int[vals.length][];
        for (int i = 0; i < count; i++) {
            if (i == 0) {
                t = varbitInt();
            } else {
                long dod = varbitInt();
                tDelta += dod;
                t += tDelta;
            }
            if (!floatChunk) {
                if (i == 0) {
                    cnt = varbitUint();
                    zero = varbitUint();
                    vals[2] = Double.longBitsToDouble(bits(64));
                    for (int k = 0; k < np; k++) pb[k] = varbitInt();
                    for (int k = 0; k < nn; k++) nb[k] = varbitInt();
                } else {
                    cntDelta += varbitInt();
                    cnt += cntDelta;
                    zeroDelta += varbitInt();
                    zero += zeroDelta;
                    vals[2] = xor(vals[2], win, 2);
                    for (int k = 0; k < np; k++) {
                        pbDelta[k] += varbitInt();
                        pb[k] += pbDelta[k];
                    }
                    for (int k = 0; k < nn; k++) {
                        nbDelta[k] += varbitInt();
                        nb[k] += nbDelta[k];
                    }
                }
                vals[0] = cnt;
                vals[1] = zero;
                double[] p = absolute(pb), n = absolute(nb);
                System.arraycopy(p, 0, vals, 3, np);
                System.arraycopy(n, 0, vals, 3 + np, nn);
            } else if (i == 0) {
                for (int k = 0; k < vals.length; k++) vals[k] = Double.longBitsToDouble(bits(64));
            } else {
                for (int k = 0; k < vals.length; k++) vals[k] = xor(vals[k], win, k);
            }
            FloatHistogram.ResetHint hint = header == 0xc0 ? FloatHistogram.ResetHint.GAUGE
                    : i == 0 ? FloatHistogram.ResetHint.UNKNOWN : FloatHistogram.ResetHint.NO;
            double[] p = new double[np], n = new double[nn];
            System.arraycopy(vals, 3, p, 0, np);
            System.arraycopy(vals, 3 + np, n, 0, nn);
            samples.add(new Sample(t, new FloatHistogram(hint, schema, threshold, vals[1], vals[0], vals[2],
                    pos[0], pos[1], p, neg[0], neg[1], n, custom)));
        }
    }

    private static double[] absolute(long[] deltas) {
        double[] out = new double[deltas.length];
        long c = 0;
        for (int i = 0; i < deltas.length; i++) out[i] = c += deltas[i];
        return out;
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int x : a) s += x;
        return s;
    }

    /** {offsets, lengths}: n, then n x (length varbit_uint, offset varbit_int). */
    private int[][] spans() {
        int n = (int) varbitUint();
        int[][] out = {new int[n], new int[n]};
        for (int i = 0; i < n; i++) {
            out[1][i] = (int) varbitUint();
            out[0][i] = (int) varbitInt();
        }
        return out;
    }

    private double xor(double prev, int[][] windows, int k) {
        if (bits(1) == 0) return prev;
        if (bits(1) == 1) {
            int leading = (int) bits(5);
            int sig = (int) bits(6);
            if (sig == 0) sig = 64;
            windows[k] = new int[] {leading, 64 - leading - sig};
        }
        int[] w = windows[k];
        long x = bits(64 - w[0] - w[1]) << w[1];
        return Double.longBitsToDouble(Double.doubleToRawLongBits(prev) ^ x);
    }

    private static final int[] SIZES = {0, 3, 6, 9, 12, 18, 25, 56, 64};

    /** The number of 1 bits before a 0 (at most 8), read as Prometheus's varbit prefix. */
    private int prefixOnes() {
        int ones = 0;
        while (ones < 8 && bits(1) == 1) ones++;
        return ones;
    }

    long varbitInt() {
        int size = SIZES[prefixOnes()];
        if (size == 0) return 0;
        long v = bits(size);
        if (size < 64 && v > (1L << (size - 1))) v -= 1L << size;
        return v;
    }

    long varbitUint() {
        int size = SIZES[prefixOnes()];
        return size == 0 ? 0 : bits(size);
    }

    private long bits(int n) {
        long r = 0;
        for (int i = 0; i < n; i++) {
            if ((bit >>> 3) >= b.length) throw new IllegalStateException("read past the chunk's end");
            r = (r << 1) | ((b[bit >>> 3] >>> (7 - (bit & 7))) & 1);
            bit++;
        }
        return r;
    }
}

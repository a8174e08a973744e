package dev.strata.query.remote;

import dev.strata.store.model.FloatHistogram;
import java.util.Arrays;

/**
 * A series' float samples without its native-histogram samples: remote read answers floats only
 * (its histogram messages are not written yet), so histogram samples are left out of the answer.
 */
record FloatSamples(long[] t, double[] v, int n) {
    static FloatSamples of(long[] t, double[] v, FloatHistogram[] h, int n) {
        if (h == null) return new FloatSamples(t, v, n);
        long[] ft = new long[n];
        double[] fv = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (h[i] != null) continue;
            ft[k] = t[i];
            fv[k++] = v[i];
        }
        return new FloatSamples(Arrays.copyOf(ft, k), Arrays.copyOf(fv, k), k);
    }
}

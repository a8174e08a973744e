package dev.strata.query.remote;

import dev.strata.store.model.FloatHistogram;
import java.util.Arrays;

/**
 * A series' float samples without its native-histogram samples, for {@code STREAMED_XOR_CHUNKS}
 * responses: Strata writes only XOR chunks, not Prometheus's HISTOGRAM / FLOAT_HISTOGRAM chunk encodings,
 * so streamed answers leave histogram samples out (a series with nothing else is left out whole).
 * {@code SAMPLES} answers carry them ({@link HistogramProto}).
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

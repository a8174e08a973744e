package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.tools.HistogramSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bytes per native histogram sample on a seeded, realistic dataset: 40 series of latency histograms
 * (log-normal observations, about 100 per 15-s scrape, schema 3 as the Go client's default bucket
 * factor 1.1 gives, zero threshold 2^-128), 2 hours each (480 samples). Compared: Strata's histogram
 * chunks as the store cuts them (at most 480 samples per 2-h window; spans may change within a chunk),
 * Prometheus's histogram chunk layout (PrometheusHistogramChunkSize, cut at 120 samples, its
 * default), and the same observations as a classic histogram (11 default buckets + +Inf, _count,
 * _sum: 14 float series) in Strata's float chunks. Prints the numbers; fails if Strata's chunks are
 * not smaller than Prometheus's.
 */
class HistogramChunkSizeReport {
    @Test
    void bytesPerHistogramSample() {
        long seed = Long.getLong("seed", 20261207L);
        Random rnd = new Random(seed);
        int series = 40;
        int samples = 480;
        long strata = 0, strata120 = 0, prometheus = 0, classic = 0;
        int strataChunks = 0;
        HistogramChunkWriter writer = new HistogramChunkWriter();
        ChunkWriter floatWriter = new ChunkWriter();
        ByteArrayBuilder out = new ByteArrayBuilder();
        for (int s = 0; s < series; s++) {
            HistogramSamples gen = new HistogramSamples(rnd.nextLong(), 3, false);
            long[] ts = new long[samples];
            FloatHistogram[] hs = new FloatHistogram[samples];
            double[][] cls = new double[14][samples];
            for (int i = 0; i < samples; i++) {
                ts[i] = 1_765_000_000_000L + 15_000L * i + rnd.nextInt(3); // a little scrape jitter
                hs[i] = gen.next(50 + rnd.nextInt(101), ResetHint.NO);
                double[] c = gen.classicSeries();
                for (int k = 0; k < c.length; k++) cls[k][i] = c[k];
            }
            for (int max : new int[] {480, 120}) {
                for (int i = 0; i < samples; ) {
                    int j = i + 1;
                    while (j < samples && j - i < max && HistogramChunkFormat.shareChunk(hs[i], hs[j])) j++;
                    out.reset();
                    long b = writer.write(ts, null, hs, i, j - i, out);
                    if (max == 480) {
                        strata += b;
                        strataChunks++;
                    } else {
                        strata120 += b;
                    }
                    i = j;
                }
            }
            for (int i = 0; i < samples; i += 120) {
                int n = Math.min(120, samples - i);
                prometheus += PrometheusHistogramChunkSize.bytes(java.util.Arrays.copyOfRange(ts, i, i + n), List.of(hs).subList(i, i + n));
            }
            for (double[] col : cls) {
                out.reset();
                classic += floatWriter.write(ts, col, samples, out);
            }
        }
        double n = (double) series * samples;
        System.out.printf("histogram bytes/sample (seed=%d, %d series x %d samples, schema 3, ~100 observations/scrape):%n", seed, series, samples);
        System.out.printf("  strata histogram chunks (<=480 per 2-h window; %d chunks):            %.2f%n", strataChunks, strata / n);
        System.out.printf("  strata histogram chunks (<=120 samples per chunk):                   %.2f%n", strata120 / n);
        System.out.printf("  prometheus histogram chunk layout (120 samples per chunk):           %.2f%n", prometheus / n);
        System.out.printf("  classic histogram (14 float series) in strata float chunks:          %.2f%n", classic / n);
        assertTrue(strata < prometheus, "strata " + strata + " bytes vs prometheus " + prometheus);
    }
}

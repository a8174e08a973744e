package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Native-histogram arithmetic against values worked out by hand and a seeded brute-force check. */
class HistogramMathTest {
    private static FloatHistogram exp(int schema, double zt, double zc, double count, double sum, int offset, double... buckets) {
        return new FloatHistogram(ResetHint.UNKNOWN, schema, zt, zc, count, sum, new int[] {offset}, new int[] {buckets.length},
                buckets, null, null, null, null);
    }

    @Test
    void boundsOfExponentialBuckets() {
        assertEquals(1, HistogramMath.bound(0, 0));
        assertEquals(2, HistogramMath.bound(1, 0));
        assertEquals(Math.sqrt(2), HistogramMath.bound(1, 1), 1e-15);
        assertEquals(16, HistogramMath.bound(1, -2));
        assertEquals(Double.MAX_VALUE, HistogramMath.bound(1024, 0));
    }

    @Test
    void addReducesToTheCoarserSchemaAndWidensTheZeroBucket() {
        // schema 1 buckets 1 (1,√2] 2 (√2,2] 3 (2,2√2]; schema 0 bucket 1 (1,2], 2 (2,4].
        FloatHistogram fine = exp(1, 0, 0, 6, 10, 1, 1, 2, 3);
        FloatHistogram coarse = exp(0, 0, 0, 1, 1, 2, 1);
        FloatHistogram sum = HistogramMath.add(fine, coarse).h();
        assertEquals(0, sum.schema());
        assertEquals(7, sum.count());
        assertEquals(11, sum.sum());
        // (1,2] = 1 + 2, (2,4] = 3 + 1
        assertEquals(1, sum.positiveSpanOffsets()[0]);
        assertEquals(3, sum.positiveBuckets()[0]);
        assertEquals(4, sum.positiveBuckets()[1]);
        // A zero bucket of width 1.5 swallows (0.5,1] and moves its threshold to that bucket's bound... 1 < 1.5 < 2: to 2.
        FloatHistogram wide = exp(0, 1.5, 1, 1, 0, 0);
        FloatHistogram merged = HistogramMath.add(exp(0, 0, 0, 3, 3, 0, 1, 2), wide).h();
        assertEquals(2, merged.zeroThreshold());
        assertEquals(1 + 1 + 2, merged.zeroCount());
        assertEquals(0, merged.positiveBuckets().length);
    }

    @Test
    void customAndExponentialDoNotMix() {
        FloatHistogram custom = new FloatHistogram(ResetHint.UNKNOWN, -53, 0, 0, 1, 1, new int[] {0}, new int[] {1},
                new double[] {1}, null, null, null, new double[] {1});
        assertThrows(HistogramMath.IncompatibleException.class, () -> HistogramMath.add(custom, exp(0, 0, 0, 1, 1, 0, 1)));
    }

    @Test
    void resetDetectionFollowsHintsThenBuckets() {
        FloatHistogram a = exp(0, 0, 0, 4, 5, 0, 1, 2, 1);
        FloatHistogram b = exp(0, 0, 0, 5, 6, 0, 1, 1, 3); // count up, one bucket down
        assertTrue(HistogramMath.detectReset(b, a));
        assertFalse(HistogramMath.detectReset(a, a));
        assertFalse(HistogramMath.detectReset(b.withResetHint(ResetHint.NO), a));
        assertFalse(HistogramMath.detectReset(b.withResetHint(ResetHint.GAUGE), a));
        assertTrue(HistogramMath.detectReset(a.withResetHint(ResetHint.YES), a));
        // A finer schema after a coarser one is a reset; the same buckets at a coarser schema are not.
        assertTrue(HistogramMath.detectReset(exp(1, 0, 0, 4, 5, 1, 1, 1, 1, 1), a));
    }

    @Test
    void quantileAndFractionInterpolateExponentially() {
        // 4 observations in (1,2] (schema 0): the median is 2^0.5.
        FloatHistogram h = exp(0, 0, 0, 4, 6, 1, 4);
        assertEquals(Math.sqrt(2), HistogramMath.quantile(0.5, h), 1e-12);
        assertEquals(0.5, HistogramMath.fraction(0, Math.sqrt(2), h), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, HistogramMath.quantile(-1, h));
        assertEquals(0, HistogramMath.fraction(3, 2, h));
    }

    /**
     * q = 0 answers the lower bound of the lowest populated bucket: empty buckets listed below it are skipped
     * (Prometheus 3, prometheus/prometheus#13794; 2.42 stopped in the empty bucket and answered 0/0 = NaN).
     * At schema 3 that bound is -2^(33/8) = -17.45 here; -19.027 (= -2^(34/8)) seen once in the differential
     * test is such a bound too. A zero bucket with no negative bucket at all starts at 0.
     */
    @Test
    void quantileZeroSkipsEmptyBucketsToTheLowestPopulatedOne() {
        // Negative buckets 32 (-2^(32/8), -2^(31/8)]: 1, 33: 3, 34: 0 (listed, empty); positive (1, 2^(1/8)]: 2.
        FloatHistogram h = new FloatHistogram(ResetHint.UNKNOWN, 3, 0.001, 0, 6, 1, new int[] {1}, new int[] {1},
                new double[] {2}, new int[] {32}, new int[] {3}, new double[] {1, 3, 0}, null);
        assertEquals(-Math.pow(2, 33 / 8.0), HistogramMath.quantile(0, h), 1e-9);
        // Only the zero bucket and positive buckets populated, the positive side starting with an empty bucket.
        FloatHistogram positive = exp(3, 0.001, 2, 5, 3, 0, 0, 3);
        assertEquals(0, HistogramMath.quantile(0, positive));
        FloatHistogram noZero = exp(3, 0.001, 0, 3, 3, 0, 0, 3);
        assertEquals(1, HistogramMath.quantile(0, noZero), 1e-12); // (1, 2^(1/8)], not the empty (2^(-1/8), 1]
    }

    @Test
    void trimCutsTheBucketHoldingTheBound() {
        FloatHistogram h = exp(0, 0, 0, 3, 4, 0, 1, 2); // (0.5,1]:1 (1,2]:2
        FloatHistogram t = HistogramMath.trim(h, 1, true);
        assertEquals(1, t.count());
        assertEquals(Math.sqrt(0.5), t.sum(), 1e-12);
        assertEquals(h, HistogramMath.trim(h, 2, true), "nothing above 2: unchanged");
    }

    /** sub(add(a, b), b) gives a back (same schema, no zero bucket): seeded, the seed printed. */
    @Test
    void addThenSubtractRoundTrips() {
        long seed = System.nanoTime();
        System.out.println("HistogramMathTest seed=" + seed);
        Random rnd = new Random(seed);
        for (int k = 0; k < 200; k++) {
            int schema = rnd.nextInt(4);
            FloatHistogram a = random(rnd, schema), b = random(rnd, schema);
            FloatHistogram back = HistogramMath.sub(HistogramMath.add(a, b).h(), b).h();
            assertEquals(a.count(), back.count(), 1e-9, "seed=" + seed);
            assertEquals(a.sum(), back.sum(), 1e-9, "seed=" + seed);
            var ab = HistogramMath.allBuckets(a);
            var bb = HistogramMath.allBuckets(back);
            assertEquals(ab.size(), bb.size(), "seed=" + seed);
            for (int i = 0; i < ab.size(); i++) {
                assertEquals(ab.get(i).upper(), bb.get(i).upper(), "seed=" + seed);
                assertEquals(ab.get(i).count(), bb.get(i).count(), 1e-9, "seed=" + seed);
            }
        }
    }

    private static FloatHistogram random(Random rnd, int schema) {
        int n = 1 + rnd.nextInt(6);
        double[] b = new double[n];
        double count = 0;
        for (int i = 0; i < n; i++) count += b[i] = 1 + rnd.nextInt(10);
        return exp(schema, 0, 0, count, rnd.nextDouble() * 100, rnd.nextInt(10) - 5, b);
    }
}

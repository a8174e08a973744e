package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decimal codec's specialised decode paths: no residual bits (constants, perfectly steady
 * counters), fixed widths fused with integration per order, bucket widths up to 61 (windowed) and
 * over 61 (field by field). Seeded; the seed is printed and in every message (rerun with -Dseed=N).
 */
class DecimalDecodePathsTest {
    private final long seed = Long.getLong("seed", System.nanoTime());
    private final Random rnd = new Random(seed);

    private void roundTrip(DecimalValueCodec c, double[] v, int n, String ctx) {
        ByteArrayBuilder buf = new ByteArrayBuilder();
        BitWriter w = new BitWriter().reset(buf);
        assertTrue(c.encode(v, n, w), "declined " + ctx);
        long written = w.bitsWritten();
        w.finish();
        BitReader r = new BitReader().reset(buf.array(), 0, buf.length());
        double[] out = new double[n];
        new DecimalValueCodec().decode(r, n, out);
        assertFalse(r.overrun(), "overrun " + ctx);
        assertEquals(written, r.bitsRead(), "bits consumed " + ctx);
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(out[i]), "value " + i + " " + ctx);
        }
    }

    private double scaled(long m, int e) {
        return e == 0 ? (double) m : m / Math.pow(10, e);
    }

    @Test
    void constantsAndSteadyCountersAtEveryOrder() {
        System.out.println("DecimalDecodePathsTest seed=" + seed);
        for (int round = 0; round < 200; round++) {
            int n = 1 + rnd.nextInt(500);
            int e = rnd.nextInt(4) == 0 ? rnd.nextInt(7) : 0;
            long m0 = rnd.nextInt(3) == 0 ? rnd.nextLong() >> 24 : rnd.nextInt(1000);
            long step = rnd.nextBoolean() ? 0 : rnd.nextInt(10_000) - 100;
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = scaled(m0 + step * i, e);
                if (v[i] == 0) v[i] = 0.0;
            }
            for (int order = -1; order <= 2; order++) {
                roundTrip(new DecimalValueCodec(order), v, n, "order=" + order + " n=" + n + " e=" + e + " m0=" + m0 + " step=" + step + " seed=" + seed);
            }
        }
    }

    @Test
    void fixedAndBucketWidthsAtEveryOrder() {
        System.out.println("DecimalDecodePathsTest seed=" + seed);
        for (int round = 0; round < 300; round++) {
            int n = 1 + rnd.nextInt(500);
            int bits = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 53 : 20);
            boolean spiky = rnd.nextBoolean(); // mostly small residuals with rare large ones: bucket packing
            long m = rnd.nextLong() >> (64 - bits);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                long jump = spiky && rnd.nextInt(20) != 0 ? rnd.nextInt(3) - 1 : rnd.nextLong() >> (64 - bits);
                m = Math.max(-(1L << 52), Math.min(1L << 52, rnd.nextBoolean() ? m + jump : jump));
                v[i] = (double) m;
                if (v[i] == 0) v[i] = 0.0;
            }
            for (int order = -1; order <= 2; order++) {
                roundTrip(new DecimalValueCodec(order), v, n, "order=" + order + " n=" + n + " bits=" + bits + " spiky=" + spiky + " seed=" + seed);
            }
        }
    }
}

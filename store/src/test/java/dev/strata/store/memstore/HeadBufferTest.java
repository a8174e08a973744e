package dev.strata.store.memstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadBufferTest {
    private final long seed = Long.getLong("seed", System.nanoTime());

    @Test
    void randomSamplesRoundTripBitExact() {
        System.out.println("HeadBufferTest seed=" + seed);
        Random rnd = new Random(seed);
        for (int round = 0; round < 300; round++) {
            int n = 1 + rnd.nextInt(600);
            long[] ts = new long[n];
            double[] vals = new double[n];
            long[] sts = rnd.nextInt(3) == 0 ? new long[n] : null;
            long t = rnd.nextLong() >> (12 + rnd.nextInt(52)); // room for 600 steps below 2^58
            double v = rnd.nextInt(1000);
            for (int i = 0; i < n; i++) {
                t += switch (rnd.nextInt(6)) {
                    case 0 -> 15_000;
                    case 1 -> 15_000 + rnd.nextInt(200) - 100;
                    case 2 -> 1 + rnd.nextInt(100_000);
                    case 3 -> 1 + (rnd.nextLong() >>> 15);
                    default -> 15_000;
                };
                ts[i] = t;
                v = switch (rnd.nextInt(8)) {
                    case 0 -> v;
                    case 1 -> v + rnd.nextInt(1000) / 10.0;
                    case 2 -> Double.longBitsToDouble(rnd.nextLong());
                    case 3 -> Double.NaN;
                    case 4 -> Double.longBitsToDouble(0x7ff0000000000002L); // Prometheus stale marker
                    case 5 -> -0.0;
                    case 6 -> rnd.nextInt(2_000_000) / 100.0; // a decimal with 2 digits
                    default -> v + 1;
                };
                vals[i] = v;
                if (sts != null && i > n / 3) sts[i] = rnd.nextInt(4) == 0 ? rnd.nextLong() : (i > 0 ? sts[i - 1] : 0);
            }
            HeadBuffer b = new HeadBuffer();
            for (int i = 0; i < n; i++) b.append(ts[i], sts == null ? 0 : sts[i], vals[i]);
            HeadBuffer.Samples s = b.decode();
            assertArrayEquals(ts, s.ts(), "seed " + seed + " round " + round);
            assertBitsEqual(vals, s.vals(), round);
            boolean anySt = sts != null && Arrays.stream(sts).anyMatch(x -> x != 0);
            if (anySt) assertArrayEquals(sts, s.sts(), "round " + round);
            else assertNull(s.sts(), "no start timestamps known: no column");
            assertEquals(ts[0], b.firstT());
            assertEquals(ts[n - 1], b.lastT());
            int k = rnd.nextInt(n);
            assertEquals(ts[k], b.timestampAt(k));
            int from = rnd.nextInt(n);
            HeadBuffer rest = HeadBuffer.of(ts, sts, vals, from, n);
            assertArrayEquals(Arrays.copyOfRange(ts, from, n), rest.decode().ts());
            assertBitsEqual(Arrays.copyOfRange(vals, from, n), rest.decode().vals(), round);
        }
    }

    @Test
    void scrapedSeriesTakeAFewBytesPerSample() {
        HeadBuffer b = new HeadBuffer();
        long t = 1_795_294_290_010L;
        double v = 123_456;
        Random rnd = new Random(seed);
        for (int i = 0; i < 480; i++) {
            b.append(t + 15_000L * i, 0, v);
            v = (Math.round(v * 10) + rnd.nextInt(1000)) / 10.0; // a decimal counter, as NodeExporterWorkload moves one
        }
        // raw long[] + double[] took 16 B per sample; here: 1 bit of timestamp, ~17 bits of value, growth slack
        assertTrue(b.heapBytes() - HeadBuffer.OVERHEAD_BYTES < 480 * 4, "bytes " + b.heapBytes());
    }

    @Test
    void appendMustBeNewest() {
        HeadBuffer b = new HeadBuffer();
        b.append(10, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> b.append(10, 0, 2));
    }

    private void assertBitsEqual(double[] want, double[] got, int round) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), "seed " + seed + " round " + round + " sample " + i);
        }
    }
}

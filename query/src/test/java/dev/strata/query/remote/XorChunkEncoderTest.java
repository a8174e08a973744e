package dev.strata.query.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** XOR chunks decode (with the reader in {@link XorChunkReader}, written from the format description) to what was appended. */
class XorChunkEncoderTest {
    @Test
    void roundTripsRandomSeries() {
        long seed = System.nanoTime();
        System.out.println("XorChunkEncoderTest seed " + seed);
        Random rnd = new Random(seed);
        for (int round = 0; round < 500; round++) {
            int n = 1 + rnd.nextInt(200);
            long[] t = new long[n];
            double[] v = new double[n];
            long ts = rnd.nextLong() >> rnd.nextInt(64);
            for (int i = 0; i < n; i++) {
                // steady intervals, jitter, and the odd huge jump exercise every delta-of-delta bucket
                ts += switch (rnd.nextInt(6)) {
                    case 0 -> 15_000;
                    case 1 -> 15_000 + rnd.nextInt(8000) - 4000;
                    case 2 -> rnd.nextInt(60_000);
                    case 3 -> rnd.nextInt(500_000);
                    case 4 -> rnd.nextInt(Integer.MAX_VALUE);
                    default -> 0;
                };
                t[i] = ts;
                v[i] = switch (rnd.nextInt(5)) {
                    case 0 -> i > 0 ? v[i - 1] : 1;
                    case 1 -> rnd.nextInt(1000);
                    case 2 -> rnd.nextGaussian() * 1e6;
                    case 3 -> Double.longBitsToDouble(rnd.nextLong());
                    default -> Double.longBitsToDouble(0x7ff0000000000002L); // stale marker
                };
            }
            XorChunkEncoder enc = new XorChunkEncoder();
            for (int i = 0; i < n; i++) enc.append(t[i], v[i]);
            XorChunkReader r = new XorChunkReader(enc.bytes());
            assertEquals(n, r.count(), "seed " + seed);
            long[] gotT = new long[n];
            long[] gotV = new long[n];
            for (int i = 0; i < n; i++) {
                r.next();
                gotT[i] = r.t;
                gotV[i] = Double.doubleToRawLongBits(r.v);
            }
            long[] wantV = new long[n];
            for (int i = 0; i < n; i++) wantV[i] = Double.doubleToRawLongBits(v[i]);
            assertArrayEquals(t, gotT, "seed " + seed);
            assertArrayEquals(wantV, gotV, "seed " + seed);
        }
    }

    @Test
    void bytesOfAShortSeriesEncodedByHand() {
        // 1.0 at 1000, 1.0 at 16000, 2.0 at 31000: count 0003; zigzag varint(1000) = d0 0f; 1.0 = 3ff0..00;
        // uvarint(15000) = 98 75; equal value '0'; dod 0 '0'; xor(1.0, 2.0) = 0x7ff0000000000000 ->
        // '1' '1' leading 1 (00001) significant 11 (001011) then 11 one-bits: 0011 0000 1001 0111 1111 1111 11(00 0000).
        XorChunkEncoder enc = new XorChunkEncoder();
        enc.append(1000, 1);
        enc.append(16000, 1);
        enc.append(31000, 2);
        assertEquals("0003d00f3ff000000000000098753097ffc0", hex(enc.bytes()));
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x));
        return s.toString();
    }
}

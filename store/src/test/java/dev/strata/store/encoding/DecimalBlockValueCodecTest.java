package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DecimalBlockValueCodecTest extends ValueCodecRoundTripTestCase {
    @Override protected ValueCodec codec() { return new DecimalBlockValueCodec(); }
    @Override protected boolean mustAccept(Kind kind, boolean regular) { return kind == Kind.DECIMAL || kind == Kind.COUNTER || kind == Kind.HUGE; }

    /** Encodes with decimal-blocks, decodes, asserts bit-identity and exact consumption; returns the payload bits. */
    private long roundTripExact(double[] v, int n, String ctx) {
        DecimalBlockValueCodec c = new DecimalBlockValueCodec();
        ByteArrayBuilder buf = new ByteArrayBuilder();
        BitWriter w = new BitWriter().reset(buf);
        assertTrue(c.encode(v, n, w), "declined " + ctx);
        long written = w.bitsWritten();
        w.finish();
        // decode at a non-zero offset in a larger array, with garbage around it
        byte[] arr = new byte[buf.length() + 37];
        java.util.Arrays.fill(arr, (byte) 0xA5);
        System.arraycopy(buf.array(), 0, arr, 11, buf.length());
        BitReader r = new BitReader().reset(arr, 11, buf.length());
        double[] out = new double[n + 3];
        c.decode(r, n, out);
        assertFalse(r.overrun(), "overrun " + ctx);
        assertEquals(written, r.bitsRead(), "bits consumed " + ctx);
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(out[i]), "value " + i + " of " + n + " " + ctx);
        }
        return written;
    }

    /** Every length around block boundaries, with blocks of zero width next to wide ones, at every order's natural input. */
    @Test
    void blockBoundariesAndMixedWidths() {
        for (int n = 1; n <= 70; n++) {
            for (int shape = 0; shape < 4; shape++) {
                double[] v = new double[n];
                long m = rnd.nextInt(1_000_000);
                long d = rnd.nextInt(5000);
                for (int i = 0; i < n; i++) {
                    boolean quiet = (i / 16) % 2 == 0; // alternate flat and noisy stretches
                    switch (shape) {
                        case 0 -> m = quiet ? m : rnd.nextInt(1 << 20);                        // gauge: order 0
                        case 1 -> m += quiet ? 0 : rnd.nextInt(2001) - 1000;                   // wandering: order 1
                        case 2 -> m += d + (quiet ? 0 : rnd.nextInt(7) - 3);                   // counter: order 2
                        default -> m = rnd.nextBoolean() ? rnd.nextLong() >> 11 : rnd.nextInt(3); // up to 2^52
                    }
                    v[i] = shape == 3 || rnd.nextBoolean() ? (double) m : m / 1000.0; // 2^52 / 1000 is not exact: shape 3 stays integral
                    if (v[i] == 0) v[i] = 0.0;
                }
                boolean scaled = false;
                for (double x : v) scaled |= x != Math.rint(x);
                if (scaled && shape != 3) for (int i = 0; i < n; i++) v[i] = Math.rint(v[i] * 1000) / 1000.0; // one scale for the chunk
                roundTripExact(v, n, "n=" + n + " shape=" + shape + " seed=" + seed);
            }
        }
    }

    /** Byte counts in whole pages: the common trailing zero bits are not stored. */
    @Test
    void commonTrailingZerosAreShiftedOut() {
        int n = 1 + rnd.nextInt(480);
        double[] pages = new double[n];
        double[] odd = new double[n];
        long m = 4096L * rnd.nextInt(100_000);
        for (int i = 0; i < n; i++) {
            m += 4096L * (rnd.nextInt(200) - 100);
            pages[i] = Math.abs(m);
            odd[i] = Math.abs(m) + rnd.nextInt(2); // same magnitudes, no common factor
        }
        String ctx = "n=" + n + " seed=" + seed;
        long pageBits = roundTripExact(pages, n, ctx);
        long oddBits = roundTripExact(odd, n, ctx);
        assertTrue(pageBits < oddBits || n < 3, "page-aligned values should pack smaller: " + pageBits + " vs " + oddBits + " " + ctx);
    }

    @Test
    void widthOverSixtyFourIsCorruption() {
        ByteArrayBuilder buf = new ByteArrayBuilder();
        BitWriter w = new BitWriter().reset(buf);
        w.write(0, 5);   // e
        w.write(0, 2);   // order 0
        w.write(0, 6);   // shift
        Zigzag.writeLengthPrefixed(w, 5); // base
        w.write(100, 7); // block width 100
        w.write(0, 64);
        w.finish();
        BitReader r = new BitReader().reset(buf.array(), 0, buf.length());
        CorruptChunkException e = org.junit.jupiter.api.Assertions.assertThrows(CorruptChunkException.class, () -> new DecimalBlockValueCodec().decode(r, 3, new double[3]));
        assertTrue(e.getMessage().contains("width 100"), e.getMessage());
    }
}

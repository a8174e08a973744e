package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** decimal-patched (value codec id 6): the shared seeded suite, outliers at every position, and refused malformed blocks. */
class DecimalPatchedValueCodecTest extends ValueCodecRoundTripTestCase {
    @Override protected ValueCodec codec() { return DecimalBlockValueCodec.patched(); }
    @Override protected boolean mustAccept(Kind kind, boolean regular) { return kind == Kind.DECIMAL || kind == Kind.COUNTER || kind == Kind.HUGE; }

    /** Encodes, decodes at an offset amid garbage, asserts bit identity and exact consumption; returns the payload bits. */
    static long roundTripExact(ValueCodec c, double[] v, int n, String ctx) {
        ByteArrayBuilder buf = new ByteArrayBuilder();
        BitWriter w = new BitWriter().reset(buf);
        assertTrue(c.encode(v, n, w), "declined " + ctx);
        long written = w.bitsWritten();
        w.finish();
        byte[] arr = new byte[buf.length() + 37];
        Arrays.fill(arr, (byte) 0x5A);
        System.arraycopy(buf.array(), 0, arr, 9, buf.length());
        BitReader r = new BitReader().reset(arr, 9, buf.length());
        double[] out = new double[n + 3];
        ChunkFormat.valueCodec(c.id()).decode(r, n, out);
        assertFalse(r.overrun(), "overrun " + ctx);
        assertEquals(written, r.bitsRead(), "bits consumed " + ctx);
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(out[i]), "value " + i + " of " + n + " " + ctx);
        }
        return written;
    }

    /**
     * Quiet stretches with 0 to 9 outliers per block (more than the 7 exceptions a block holds, so
     * some blocks must widen instead), of every width up to 50 bits, at every order's natural input,
     * for every length around the block boundaries.
     */
    @Test
    void outliersAtEveryPositionAndWidth() {
        for (int n = 1; n <= 70; n++) {
            for (int shape = 0; shape < 3; shape++) {
                double[] v = new double[n];
                long m = 1_000_000 + rnd.nextInt(1_000_000);
                long d = rnd.nextInt(5000);
                int outliers = rnd.nextInt(10);
                for (int i = 0; i < n; i++) {
                    boolean out = rnd.nextInt(16) < outliers;
                    long jump = out ? (rnd.nextLong() >>> 14) >>> rnd.nextInt(50) : rnd.nextInt(8); // up to 2^50: |m| stays <= 2^53
                    switch (shape) {
                        case 0 -> v[i] = Math.min(1L << 53, m + jump);                     // gauge near a level: order 0
                        case 1 -> v[i] = m += rnd.nextBoolean() ? jump : -jump;             // wandering: order 1
                        default -> v[i] = m += d + (out ? jump : rnd.nextInt(3));           // counter with bursts: order 2
                    }
                    if (Math.abs(m) > 1L << 50) m = 0;
                }
                roundTripExact(codec(), v, n, "n=" + n + " shape=" + shape + " outliers=" + outliers + " seed=" + seed);
            }
        }
    }

    /** A flat block with one outlier is width 0 plus one exception: the outlier alone costs bits. */
    @Test
    void aFlatBlockWithOneOutlierIsWidthZeroPlusAnException() {
        for (int n = 2; n <= 40; n++) {
            double[] v = new double[n];
            Arrays.fill(v, 5);
            int at = rnd.nextInt(n);
            v[at] = 5 + (double) (1L << (1 + rnd.nextInt(50)));
            long bits = roundTripExact(codec(), v, n, "n=" + n + " at=" + at + " seed=" + seed);
            assertTrue(bits < 5 + 2 + 6 + 7 + 3 + 3 * 17 + 7 + 4 + 51 + 2 * 64, bits + " bits, n=" + n + " seed=" + seed);
        }
    }

    /** A heap gauge that drops at each GC: the drops cost their own bits, not a wide block each. */
    @Test
    void aFewOutliersPackSmallerThanDecimalBlocks() {
        int n = 480;
        double[] v = new double[n];
        long heap = 50_000_000;
        for (int i = 0; i < n; i++) {
            heap = i % 37 == 36 ? 20_000_000 + rnd.nextInt(1000) : heap + 100_000 + rnd.nextInt(64);
            v[i] = heap;
        }
        String ctx = "seed=" + seed;
        long patched = roundTripExact(codec(), v, n, ctx);
        long blocks = roundTripExact(new DecimalBlockValueCodec(), v, n, ctx);
        assertTrue(patched * 10 < blocks * 8, "decimal-patched " + patched + " bits vs decimal-blocks " + blocks + " " + ctx);
        ChunkWriter w = new ChunkWriter();
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) ts[i] = 1_795_294_290_000L + 15_000L * i;
        w.write(ts, v, n, new ByteArrayBuilder());
        assertEquals(DecimalBlockValueCodec.PATCHED_ID, w.lastValueCodec(), ctx);
    }

    /** The payload head of an order-0 chunk of {@code n} values with base 5, then one block head. */
    private static BitReader block(int n, int w, int exceptions, int wx, int... positions) {
        ByteArrayBuilder buf = new ByteArrayBuilder();
        BitWriter out = new BitWriter().reset(buf);
        out.write(0, 5);   // e
        out.write(0, 2);   // order 0
        out.write(0, 6);   // shift
        Zigzag.writeLengthPrefixed(out, 5);
        out.write(w, 7);
        out.write(exceptions, 3);
        if (exceptions > 0) out.write(wx, 7);
        for (int i = 0; i < n; i++) out.write(0, Math.min(w, 64));
        for (int p : positions) {
            out.write(p, 4);
            out.write(1, Math.max(1, Math.min(wx, 64)));
        }
        out.write(0, 64);
        out.finish();
        return new BitReader().reset(buf.array(), 0, buf.length());
    }

    private static String refused(int n, BitReader r) {
        return assertThrows(CorruptChunkException.class, () -> DecimalBlockValueCodec.patched().decode(r, n, new double[n])).getMessage();
    }

    @Test
    void malformedBlocksAreCorruption() {
        assertTrue(refused(3, block(3, 100, 0, 0)).contains("residual width 100 > 64"));
        assertTrue(refused(3, block(3, 4, 4, 2, 0, 1, 2, 2)).contains("4 exceptions in a block of 3"));
        assertTrue(refused(3, block(3, 4, 1, 0, 1)).contains("exception width 0 with residual width 4"));
        assertTrue(refused(3, block(3, 60, 1, 5, 1)).contains("exception width 5 with residual width 60"));
        assertTrue(refused(8, block(8, 4, 2, 3, 5, 5)).contains("exception at 5 after 5"));
        assertTrue(refused(8, block(8, 4, 2, 3, 1, 0)).contains("exception at 0 after 1"));
        assertTrue(refused(3, block(3, 4, 1, 3, 3)).contains("exception at 3 after -1 in a block of 3"));
        // the same layout with valid fields decodes: base 5, residual 1 << 4 patched in at position 1
        double[] out = new double[3];
        DecimalBlockValueCodec.patched().decode(block(3, 4, 1, 1, 1), 3, out);
        assertEquals(5.0, out[0]);
        assertEquals(5.0 + 16, out[1]);
        assertEquals(5.0, out[2]);
    }
}

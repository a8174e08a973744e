package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkWriterChoiceTest {
    private final long seed = Long.getLong("seed", System.nanoTime());

    /**
     * The chosen encoding is never larger than any single applicable codec forced on the same
     * chunk, except decimal-blocks or decimal-patched, kept for decode speed when at most
     * {@link ChunkWriter#FAST_DECODE_SLACK_PERCENT}% larger (in value payload, so less in total).
     */
    @Test
    void encoderKeepsTheSmallestCandidate() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        ChunkWriter writer = new ChunkWriter();
        ValueCodec[] forced = {new XorValueCodec(), new ConstValueCodec(), new DecimalValueCodec(0), new DecimalValueCodec(1), new DecimalValueCodec(2),
            new DecimalBlockValueCodec(), DecimalBlockValueCodec.patched()};
        for (int round = 0; round < 300; round++) {
            int n = 1 + rnd.nextInt(500);
            long[] ts = new long[n];
            double[] vs = new double[n];
            int kind = rnd.nextInt(5);
            long m = rnd.nextInt(100_000);
            for (int i = 0; i < n; i++) {
                ts[i] = 1_000_000L + 15_000L * i;
                vs[i] = switch (kind) {
                    case 0 -> rnd.nextGaussian();
                    case 1 -> 7.25;
                    case 2 -> (m += rnd.nextInt(50)) / 1000.0;
                    case 3 -> (m += rnd.nextInt(30) == 0 ? rnd.nextInt(5000) : 0); // mostly flat, rare steps
                    default -> rnd.nextInt(10) == 0 ? Double.NaN : rnd.nextInt(3);
                };
            }
            ByteArrayBuilder out = new ByteArrayBuilder();
            int chosen = writer.write(ts, vs, n, out);
            boolean blocks = writer.lastValueCodec() == DecimalBlockValueCodec.ID || writer.lastValueCodec() == DecimalBlockValueCodec.PATCHED_ID;
            for (ValueCodec c : forced) {
                ByteArrayBuilder o = new ByteArrayBuilder();
                int len = writer.write(ts, vs, n, c, o);
                if (len < 0) continue;
                String ctx = "chosen " + chosen + " (decimal-blocks: " + blocks + ") vs " + c.name() + " " + len + " kind=" + kind + " n=" + n + " seed=" + seed;
                if (blocks) {
                    assertTrue(chosen * 100L <= len * (100L + ChunkWriter.FAST_DECODE_SLACK_PERCENT), ctx);
                } else {
                    assertTrue(chosen <= len, ctx);
                }
            }
        }
    }

    /**
     * Noisy gauges: decimal's bucket packing is usually smallest, decimal-blocks and decimal-patched
     * decode faster and the smaller of them is kept when its payload is within the slack; the chunk
     * still round-trips.
     */
    @Test
    void fastDecodingBlocksReplaceBucketPackingWithinTheSlack() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        ChunkWriter writer = new ChunkWriter();
        DecimalValueCodec decimal = new DecimalValueCodec();
        int kept = 0;
        for (int round = 0; round < 100; round++) {
            int n = 60 + rnd.nextInt(421);
            long[] ts = new long[n];
            double[] vs = new double[n];
            long base = rnd.nextInt(1_000_000);
            double sigma = 10 + rnd.nextInt(10_000);
            for (int i = 0; i < n; i++) {
                ts[i] = 15_000L * i;
                vs[i] = base + Math.round(Math.abs(rnd.nextGaussian()) * sigma);
            }
            ByteArrayBuilder out = new ByteArrayBuilder();
            int chosen = writer.write(ts, vs, n, out);
            int fixed = ChunkHeader.read(out.array(), 0, out.length()).payloadOffset() + 4; // header + crc; regular timestamps have no payload
            int dec = writer.write(ts, vs, n, decimal, new ByteArrayBuilder()) - fixed;
            boolean bucketed = decimal.lastEncodingBucketed();
            int plain = writer.write(ts, vs, n, new DecimalBlockValueCodec(), new ByteArrayBuilder()) - fixed;
            int patched = writer.write(ts, vs, n, DecimalBlockValueCodec.patched(), new ByteArrayBuilder()) - fixed;
            int blk = Math.min(plain, patched);
            int fastId = patched < plain ? DecimalBlockValueCodec.PATCHED_ID : DecimalBlockValueCodec.ID;
            String ctx = "chosen " + (chosen - fixed) + " decimal " + dec + " (bucketed " + bucketed + ") blocks " + plain + " patched " + patched
                    + " n=" + n + " seed=" + seed;
            if (bucketed && blk * 100L <= dec * (100L + ChunkWriter.FAST_DECODE_SLACK_PERCENT)) {
                assertEquals(fastId, ChunkHeader.read(out.array(), 0, out.length()).valueCodec(), ctx);
                if (blk > dec) kept++;
            }
            long[] t2 = new long[n];
            double[] v2 = new double[n];
            new ChunkReader().decode(out.array(), 0, out.length(), t2, v2);
            for (int i = 0; i < n; i++) assertEquals(Double.doubleToRawLongBits(vs[i]), Double.doubleToRawLongBits(v2[i]), "value " + i + " " + ctx);
        }
        assertTrue(kept > 0, "decimal-blocks/patched never kept over a smaller bucket packing in 100 rounds, seed=" + seed);
    }

    @Test
    void badInputIsRejectedWithAClearError() {
        ChunkWriter writer = new ChunkWriter();
        ByteArrayBuilder out = new ByteArrayBuilder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.write(new long[] {5, 5}, new double[] {1, 2}, 2, out));
        assertTrue(e.getMessage().contains("not strictly increasing at 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> writer.write(new long[0], new double[0], 0, out));
        assertTrue(e.getMessage().contains("sample count 0"), e.getMessage());
        assertEquals(0, out.length(), "nothing written on rejection");
    }
}

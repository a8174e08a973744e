package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkWriterChoiceTest {
    private final long seed = Long.getLong("seed", System.nanoTime());

    /** The chosen encoding is never larger than any single applicable codec forced on the same chunk. */
    @Test
    void encoderKeepsTheSmallestCandidate() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        ChunkWriter writer = new ChunkWriter();
        ValueCodec[] forced = {new XorValueCodec(), new ConstValueCodec(), new DecimalValueCodec(0), new DecimalValueCodec(1), new DecimalValueCodec(2)};
        for (int round = 0; round < 300; round++) {
            int n = 1 + rnd.nextInt(500);
            long[] ts = new long[n];
            double[] vs = new double[n];
            int kind = rnd.nextInt(4);
            long m = rnd.nextInt(100_000);
            for (int i = 0; i < n; i++) {
                ts[i] = 1_000_000L + 15_000L * i;
                vs[i] = switch (kind) {
                    case 0 -> rnd.nextGaussian();
                    case 1 -> 7.25;
                    case 2 -> (m += rnd.nextInt(50)) / 1000.0;
                    default -> rnd.nextInt(10) == 0 ? Double.NaN : rnd.nextInt(3);
                };
            }
            ByteArrayBuilder out = new ByteArrayBuilder();
            int chosen = writer.write(ts, vs, n, out);
            for (ValueCodec c : forced) {
                ByteArrayBuilder o = new ByteArrayBuilder();
                int len = writer.write(ts, vs, n, c, o);
                if (len >= 0) assertTrue(chosen <= len, "chosen " + chosen + " > " + c.name() + " " + len + " kind=" + kind + " n=" + n + " seed=" + seed);
            }
        }
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

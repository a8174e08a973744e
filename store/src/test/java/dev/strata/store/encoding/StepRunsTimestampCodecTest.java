package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared round-trip suite for ts-step-runs, plus the jittered-scrape shape it exists for. */
class StepRunsTimestampCodecTest extends TimestampCodecRoundTripTestCase {
    @Override protected TimestampCodec codec() { return new StepRunsTimestampCodec(); }
    @Override protected boolean mustAccept(Kind kind, boolean regular) { return true; }

    /**
     * 1 s scrapes where {@code late} samples (at random places, possibly the same) land 1-9 ms late,
     * a single sample off the grid each, as in the node-1s dataset (about one per 480 samples).
     */
    static long[] jittered(Random rnd, int n, int late) {
        long[] ts = new long[n];
        long grid = 1_795_294_290_174L;
        for (int i = 0; i < n; i++) ts[i] = grid + 1000L * i;
        for (int k = 0; k < late; k++) {
            int i = rnd.nextInt(n);
            if (ts[i] % 1000 == 174) ts[i] += 1 + rnd.nextInt(9);
        }
        return ts;
    }

    private static byte[] encode(TimestampCodec c, long[] ts) {
        ByteArrayBuilder buf = new ByteArrayBuilder();
        BitWriter w = new BitWriter().reset(buf);
        assertTrue(c.encode(ts, ts.length, w));
        w.finish();
        return buf.toByteArray();
    }

    @Test
    void jitteredScrapesRoundTripInAFractionOfTsDodBytes() {
        Random rnd = new Random(seed);
        long[] ts = jittered(rnd, 480, 3);
        byte[] runs = encode(codec(), ts);
        byte[] dod = encode(new DodTimestampCodec(), ts);
        long[] out = new long[ts.length];
        codec().decode(new BitReader().reset(runs, 0, runs.length), ts[0], ts[ts.length - 1], ts.length, out);
        assertArrayEquals(ts, out, "seed=" + seed);
        // ts-dod pays >= 1 bit per sample (60 bytes for 480); runs pay ~6 bytes per late sample only.
        assertTrue(runs.length * 3 < dod.length, "runs " + runs.length + " B vs dod " + dod.length + " B seed=" + seed);
    }

    @Test
    void theChunkWriterPicksStepRunsForJitteredScrapesAndTheChunkReadsBack() {
        Random rnd = new Random(seed);
        long[] ts = jittered(rnd, 480, 1 + rnd.nextInt(5));
        double[] v = new double[ts.length];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(100) / 10.0;
        ChunkWriter w = new ChunkWriter();
        ByteArrayBuilder out = new ByteArrayBuilder();
        w.write(ts, v, ts.length, out);
        assertEquals(StepRunsTimestampCodec.ID, w.lastTimestampCodec(), "seed=" + seed);
        byte[] c = out.toByteArray();
        long[] rt = new long[ts.length];
        double[] rv = new double[ts.length];
        assertEquals(ts.length, new ChunkReader().decode(c, 0, c.length, rt, rv));
        assertArrayEquals(ts, rt, "seed=" + seed);
        assertArrayEquals(v, rv, "seed=" + seed);
    }

    @Test
    void aRunPastTheCountIsNamed() {
        long[] ts = {0, 1000, 2000, 3000};
        byte[] b = encode(codec(), ts); // step 1000, gamma(4): a run of 3
        long[] out = new long[3];
        CorruptChunkException e = assertThrows(CorruptChunkException.class,
                () -> codec().decode(new BitReader().reset(b, 0, b.length), 0, 2000, 3, out));
        assertTrue(e.getMessage().contains("run of 3 past sample count 3"), e.getMessage());
    }

    @Test
    void aNonPositiveDeltaIsNamed() {
        long[] ts = {0, 1000, 2000, 3000, 2500, 3500}; // the codec encodes any sequence; the writer rejects these
        byte[] b = encode(codec(), ts);
        long[] out = new long[ts.length];
        CorruptChunkException e = assertThrows(CorruptChunkException.class,
                () -> codec().decode(new BitReader().reset(b, 0, b.length), 0, 3500, ts.length, out));
        assertTrue(e.getMessage().contains("ts-step-runs: timestamps not increasing at sample 4"), e.getMessage());
    }

    @Test
    void aStepOfZeroIsNamed() {
        byte[] b = new byte[8]; // len 0, step bit 0
        long[] out = new long[5];
        CorruptChunkException e = assertThrows(CorruptChunkException.class,
                () -> codec().decode(new BitReader().reset(b, 0, b.length), 0, 4000, 5, out));
        assertTrue(e.getMessage().contains("step 0 ms is not positive"), e.getMessage());
    }

    @Test
    void zeroBitsAfterTheStepAreAGammaCodeTooLong() {
        byte[] b = {0b0000_0010, 0, 0, 0, 0, 0, 0, 0}; // len 0, step 1, then zeros only
        long[] out = new long[5];
        CorruptChunkException e = assertThrows(CorruptChunkException.class,
                () -> codec().decode(new BitReader().reset(b, 0, b.length), 0, 4000, 5, out));
        assertTrue(e.getMessage().contains("gamma code with 64 leading zero bits"), e.getMessage());
    }
}

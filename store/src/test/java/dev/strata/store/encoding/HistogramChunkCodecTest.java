package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.tools.HistogramSamples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Histogram chunk codec: seeded round trips, every bit flip detected, truncation, layouts. */
class HistogramChunkCodecTest {
    private final long seed = Long.getLong("seed", System.nanoTime());
    private final HistogramChunkWriter writer = new HistogramChunkWriter();
    private final HistogramChunkReader reader = new HistogramChunkReader();

    /** Runs of samples that can share a chunk, as the store cuts them. */
    private static List<List<FloatHistogram>> runs(List<FloatHistogram> hs) {
        List<List<FloatHistogram>> out = new ArrayList<>();
        for (FloatHistogram h : hs) {
            if (out.isEmpty() || !HistogramChunkFormat.shareChunk(out.get(out.size() - 1).get(0), h)) out.add(new ArrayList<>());
            out.get(out.size() - 1).add(h);
        }
        return out;
    }

    private byte[] encode(long[] ts, long[] sts, FloatHistogram[] hs) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        out.append(0x77); // the chunk need not start at offset 0 of the builder
        int len = writer.write(ts, sts, hs, 0, hs.length, out);
        assertEquals(out.length() - 1, len);
        return Arrays.copyOfRange(out.array(), 1, out.length());
    }

    private void roundTrip(long[] ts, long[] sts, FloatHistogram[] hs) {
        byte[] b = encode(ts, sts, hs);
        assertTrue(HistogramChunkFormat.isHistogramChunk(b, 0, b.length));
        HistogramChunkReader.Decoded d = reader.decode(b, 0, b.length);
        assertEquals(hs.length, d.count(), "seed=" + seed);
        assertArrayEquals(ts, d.timestamps(), "seed=" + seed);
        if (sts == null || Arrays.stream(sts).allMatch(x -> x == 0)) assertNull(d.startTimestamps());
        else assertArrayEquals(sts, d.startTimestamps(), "seed=" + seed);
        assertArrayEquals(hs, d.histograms(), "seed=" + seed);
    }

    @Test
    void seededRealisticSeriesRoundTrip() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        for (int round = 0; round < 20; round++) {
            int schema = rnd.nextInt(13) - 4;
            HistogramSamples gen = new HistogramSamples(rnd.nextLong(), schema, rnd.nextBoolean());
            List<FloatHistogram> all = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                if (rnd.nextInt(100) == 0) gen.reset();
                ResetHint hint = ResetHint.values()[rnd.nextInt(100) < 90 ? 2 : rnd.nextInt(4)];
                all.add(gen.next(rnd.nextInt(50), hint));
            }
            long t = rnd.nextLong() >> 20;
            for (List<FloatHistogram> run : runs(all)) {
                FloatHistogram[] hs = run.toArray(new FloatHistogram[0]);
                long[] ts = new long[hs.length];
                long[] sts = rnd.nextBoolean() ? null : new long[hs.length];
                for (int i = 0; i < hs.length; i++) {
                    t += rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(30_000) : 15_000;
                    ts[i] = t;
                    if (sts != null) sts[i] = rnd.nextInt(3) == 0 ? 0 : t - rnd.nextInt(1_000_000);
                }
                roundTrip(ts, sts, hs);
            }
        }
    }

    @Test
    void floatCountsNaNSumsNhcbAndSpecialValues() {
        double[] custom = {0.1, 0.5, 1, 5};
        FloatHistogram[] hs = {
                new FloatHistogram(ResetHint.GAUGE, -53, 0, 0, 3.5, Double.NaN, new int[] {0}, new int[] {5}, new double[] {0.5, 1, 0, 2, 0}, null, null, null, custom),
                new FloatHistogram(ResetHint.YES, -53, 0, 0, 7.25, -0.0, new int[] {0}, new int[] {5}, new double[] {1.5, 1e300, Double.MIN_VALUE, 2, 1}, null, null, null, custom),
                new FloatHistogram(ResetHint.UNKNOWN, -53, 0, 0, Double.POSITIVE_INFINITY, 1e-300, new int[] {0}, new int[] {5}, new double[] {-1, 0.1, 0.2, 0.3, 4}, null, null, null, custom),
        };
        roundTrip(new long[] {-5, 0, 7}, null, hs);
        // integer counts, count not derived (NaN observations), empty buckets, one sample
        FloatHistogram h = new FloatHistogram(ResetHint.NO, 0, 0.001, 2, 10, 3, null, null, null, null, null, null, null);
        roundTrip(new long[] {1000}, new long[] {900}, new FloatHistogram[] {h});
        FloatHistogram big = new FloatHistogram(ResetHint.NO, 8, 0, 0, 9_007_199_254_740_991.0, 1,
                new int[] {-1000, 3}, new int[] {1, 1}, new double[] {9_007_199_254_740_990.0, 1}, null, null, null, null);
        FloatHistogram small = new FloatHistogram(ResetHint.NO, 8, 0, 0, 1, 1,
                new int[] {-1000, 3}, new int[] {1, 1}, new double[] {0, 1}, null, null, null, null);
        roundTrip(new long[] {1, 2, 3}, null, new FloatHistogram[] {big, small, big});
    }

    @Test
    void everyBitFlipAndTruncationIsDetected() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        HistogramSamples gen = new HistogramSamples(rnd.nextLong(), 3, true);
        List<FloatHistogram> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) all.add(gen.next(20, ResetHint.NO));
        List<FloatHistogram> run = runs(all).get(runs(all).size() - 1);
        FloatHistogram[] hs = run.toArray(new FloatHistogram[0]);
        long[] ts = new long[hs.length];
        long[] sts = new long[hs.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = 1_000_000 + 15_000L * i + rnd.nextInt(10);
            sts[i] = 1_000;
        }
        byte[] good = encode(ts, sts, hs);
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            int b = bit;
            assertThrows(CorruptChunkException.class, () -> reader.decode(bad, 0, bad.length), "bit " + b + " seed=" + seed);
        }
        for (int len = 0; len < good.length; len++) {
            int l = len;
            assertThrows(CorruptChunkException.class, () -> reader.decode(good, 0, l), "len " + l + " seed=" + seed);
        }
    }

    @Test
    void schemaChangesAreRefusedAndSpanChangesShareTheChunk() {
        FloatHistogram a = new FloatHistogram(ResetHint.NO, 3, 0, 0, 1, 1, new int[] {0}, new int[] {1}, new double[] {1}, null, null, null, null);
        FloatHistogram otherSchema = new FloatHistogram(ResetHint.NO, 2, 0, 0, 1, 1, new int[] {0}, new int[] {1}, new double[] {1}, null, null, null, null);
        FloatHistogram otherSpans = new FloatHistogram(ResetHint.NO, 3, 0, 0, 1, 1, new int[] {1}, new int[] {1}, new double[] {1}, null, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> encode(new long[] {1, 2}, null, new FloatHistogram[] {a, otherSchema}));
        FloatHistogram empty = new FloatHistogram(ResetHint.NO, 3, 0, 0, 0, 0, null, null, null, null, null, null, null);
        FloatHistogram zeroLengthSpan = new FloatHistogram(ResetHint.NO, 3, 0, 0, 1, 1, new int[] {0, 0, 2}, new int[] {1, 0, 1}, new double[] {1, 0}, null, null, null, null);
        // spans may change within a chunk: the chunk holds the union of the buckets, each sample keeps its own spans
        roundTrip(new long[] {1, 2, 3, 4, 5, 6}, null, new FloatHistogram[] {otherSpans, a, a, empty, zeroLengthSpan, otherSpans});
        assertThrows(IllegalArgumentException.class, () -> encode(new long[] {2, 2}, null, new FloatHistogram[] {a, a}));
        roundTrip(new long[] {1, 2}, null, new FloatHistogram[] {a, a.withResetHint(ResetHint.YES)});
    }
}

package dev.strata.ingest.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Record version 3: native histogram samples mixed with float samples, with and without start timestamps. */
class ShardRecordHistogramTest {
    private final long seed = Long.getLong("seed", System.nanoTime());

    /** One sample: a histogram, or a float when h is null. */
    record Sample(long t, long st, double v, FloatHistogram h) {}

    record Entry(Labels labels, boolean withStart, List<Sample> samples) {}

    static FloatHistogram randomHistogram(Random rnd) {
        if (rnd.nextInt(4) == 0) {
            int n = 1 + rnd.nextInt(5);
            double[] bounds = new double[n];
            double[] counts = new double[n + 1];
            for (int i = 0; i < n; i++) bounds[i] = (i + 1) * 0.25;
            for (int i = 0; i <= n; i++) counts[i] = rnd.nextInt(100);
            return new FloatHistogram(ResetHint.values()[rnd.nextInt(4)], -53, 0, 0, 500, rnd.nextDouble(), new int[] {0}, new int[] {n + 1}, counts,
                    null, null, null, bounds);
        }
        int spans = rnd.nextInt(4);
        int[] off = new int[spans];
        int[] len = new int[spans];
        int total = 0;
        for (int i = 0; i < spans; i++) {
            off[i] = i == 0 ? rnd.nextInt(200) - 100 : rnd.nextInt(5);
            len[i] = rnd.nextInt(6);
            total += len[i];
        }
        double[] b = new double[total];
        for (int i = 0; i < total; i++) b[i] = rnd.nextBoolean() ? rnd.nextInt(1000) : rnd.nextDouble() * 100;
        return new FloatHistogram(ResetHint.values()[rnd.nextInt(4)], rnd.nextInt(13) - 4, rnd.nextBoolean() ? 0 : 1e-128,
                rnd.nextInt(10), rnd.nextInt(100_000), rnd.nextGaussian(), off, len, b, new int[] {1}, new int[] {1}, new double[] {3}, null);
    }

    static byte[] write(ShardRecordWriter w, int shard, List<Entry> in) {
        w.reset(shard, true, true);
        for (Entry e : in) {
            boolean hist = e.samples().stream().anyMatch(s -> s.h() != null);
            w.beginSeries(e.labels().hash(), e.labels().size(), e.samples().size(), e.withStart(), hist);
            for (int i = 0; i < e.labels().size(); i++) w.label(e.labels().name(i), e.labels().value(i));
            for (Sample s : e.samples()) {
                if (s.h() != null) w.histogram(s.t(), s.st(), s.h());
                else if (e.withStart()) w.sample(s.t(), s.st(), s.v());
                else w.sample(s.t(), s.v());
            }
            w.endSeries();
        }
        return w.finish();
    }

    private List<Entry> randomEntries(Random rnd) {
        List<Entry> in = new ArrayList<>();
        for (int i = 0, n = 1 + rnd.nextInt(20); i < n; i++) {
            boolean withStart = rnd.nextBoolean();
            List<Sample> samples = new ArrayList<>();
            long t = rnd.nextLong() >> 20;
            for (int k = 0, m = 1 + rnd.nextInt(10); k < m; k++) {
                t += rnd.nextInt(30_000) - 1000;
                long st = withStart && rnd.nextBoolean() ? t - rnd.nextInt(100_000) : 0;
                samples.add(rnd.nextInt(3) == 0 ? new Sample(t, st, rnd.nextGaussian(), null) : new Sample(t, st, Double.NaN, randomHistogram(rnd)));
            }
            in.add(new Entry(Labels.of("__name__", "h" + rnd.nextInt(5), "i", Integer.toString(i)), withStart, samples));
        }
        return in;
    }

    @Test
    void randomMixedRoundTrips() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        ShardRecordWriter w = new ShardRecordWriter();
        ShardRecordReader r = new ShardRecordReader();
        long[] peek = new long[64];
        for (int round = 0; round < 200; round++) {
            List<Entry> in = randomEntries(rnd);
            byte[] rec = write(w, 7, in);
            assertEquals(ShardRecordFormat.VERSION_3, rec[2]);
            r.reset(rec, 0, rec.length);
            int n = r.peekHashes(peek, peek.length);
            assertEquals(in.size(), n, "peek reads over histogram samples, seed=" + seed);
            for (int i = 0; i < n; i++) assertEquals(in.get(i).labels().hash(), peek[i]);
            for (Entry e : in) {
                assertTrue(r.nextSeries());
                assertEquals(e.labels(), r.labels());
                assertEquals(e.samples().get(0).t(), r.peekFirstTimestamp());
                for (Sample s : e.samples()) {
                    assertTrue(r.nextSample());
                    assertEquals(s.t(), r.timestamp(), "seed=" + seed);
                    assertEquals(e.withStart() ? s.st() : 0, r.startTimestamp());
                    if (s.h() == null) {
                        assertNull(r.histogram());
                        assertEquals(Double.doubleToRawLongBits(s.v()), Double.doubleToRawLongBits(r.value()));
                    } else {
                        assertEquals(s.h(), r.histogram(), "seed=" + seed);
                    }
                }
                assertTrue(!r.nextSample());
            }
            assertTrue(!r.nextSeries());
        }
    }

    @Test
    void corruptionIsATypedErrorAndPeekNeverThrows() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        byte[] rec = write(new ShardRecordWriter(), 3, randomEntries(rnd));
        ShardRecordReader r = new ShardRecordReader();
        for (int cut = 0; cut < rec.length; cut++) {
            final int n = cut;
            assertThrows(CorruptRecordException.class, () -> ShardRecordTest.readAll(r, rec, n), "seed=" + seed + " cut " + n);
        }
        // bodies that are malformed but carry a valid checksum: reads throw the typed error or succeed, peeks never throw
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        long[] out = new long[64];
        for (int i = 0; i < 2000; i++) {
            byte[] bad = rec.clone();
            int at = ShardRecordFormat.HEADER_BYTES + rnd.nextInt(bad.length - ShardRecordFormat.HEADER_BYTES);
            bad[at] ^= (byte) (1 + rnd.nextInt(255));
            crc.reset();
            crc.update(bad, ShardRecordFormat.HEADER_BYTES, bad.length - ShardRecordFormat.HEADER_BYTES);
            int c = (int) crc.getValue();
            bad[8] = (byte) c; bad[9] = (byte) (c >>> 8); bad[10] = (byte) (c >>> 16); bad[11] = (byte) (c >>> 24);
            try {
                r.reset(bad, 0, bad.length);
                r.peekHashes(out, out.length);
                while (r.nextSeries()) {
                    r.peekHashes(out, out.length);
                    while (r.nextSample()) r.histogram();
                }
            } catch (CorruptRecordException expected) {
                // typed: the consumer skips the record
            }
        }
    }

    @Test
    void recordsWithoutHistogramsKeepTheirVersion() {
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(1, false, false);
        w.beginSeries(1, 1, 1);
        w.label("__name__", "x");
        w.sample(1, 1);
        w.endSeries();
        assertEquals(ShardRecordFormat.VERSION_1, w.finish()[2]);
        w.reset(1, true, false);
        assertThrows(IllegalStateException.class, () -> w.beginSeries(1, 1, 1, false, true));
    }
}

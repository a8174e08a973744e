package dev.strata.query.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.engine.HistogramPartial;
import dev.strata.query.storage.Series;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.model.Labels;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Response version 6 (histogram partials of a pushed-down sum, docs/format/select.md): seeded round
 * trips, every single-bit corruption refused by the CRC32C, contradictions refused with a valid CRC,
 * and answers without partials still written as before (versions 1 to 5).
 */
class SelectCodecPartialsTest {
    @Test
    void randomAnswersWithPartialsRoundTrip() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("SelectCodecPartialsTest seed=" + seed);
        Random random = new Random(seed);
        for (int trial = 0; trial < 200; trial++) {
            SelectResponse r = randomAnswer(random);
            byte[] bytes = SelectCodec.encodeResponse(r);
            assertEquals(r.hasHistogramPartials() ? 6 : bytes[4], bytes[4], "seed=" + seed);
            SelectResponse back = SelectCodec.decodeResponse(bytes);
            assertEquals(r.served(), back.served(), "seed=" + seed);
            assertEquals(r.warnings(), back.warnings(), "seed=" + seed);
            assertEquals(r.samples(), back.samples(), "seed=" + seed);
            assertEquals(r.series().size(), back.series().size(), "seed=" + seed);
            for (int i = 0; i < r.series().size(); i++) {
                Series a = r.series().get(i), b = back.series().get(i);
                assertEquals(a.labels(), b.labels(), "seed=" + seed);
                assertArrayEquals(a.timestamps(), b.timestamps(), "seed=" + seed);
                assertArrayEquals(a.histograms(), b.histograms(), "seed=" + seed);
                for (int k = 0; k < a.size(); k++) {
                    if (a.histograms() == null || a.histograms()[k] == null) {
                        assertEquals(Double.doubleToRawLongBits(a.values()[k]), Double.doubleToRawLongBits(b.values()[k]), "seed=" + seed);
                    }
                }
                if (r.hasHistogramPartials()) assertArrayEquals(r.partialsOf(i), back.partialsOf(i), "series " + i + " seed=" + seed);
            }
        }
    }

    @Test
    void everyBitFlipIsRefused() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("SelectCodecPartialsTest seed=" + seed);
        Random random = new Random(seed);
        SelectResponse r;
        do r = randomAnswer(random); while (!r.hasHistogramPartials());
        byte[] good = SelectCodec.encodeResponse(r);
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            if (bit / 8 == 4) continue; // the version byte: another version's layout, refused or not (below)
            int b = bit;
            SelectFormatException e = assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(bad),
                    "bit " + b + " of " + good.length * 8 + " seed=" + seed);
            assertTrue(e.getMessage().contains("select response"), e.getMessage());
        }
        assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(Arrays.copyOf(good, good.length - 1)));
    }

    @Test
    void contradictionsAreRefusedEvenWithAValidChecksum() {
        FloatHistogram h = exponential(new Random(1));
        Labels member = Labels.of("__name__", "h", "i", "1");
        HistogramPartial p = new HistogramPartial(3, false, false, false, false, member, null, h);
        Series s = new Series(Labels.of("job", "a"), new long[] {1000, 2000}, new double[] {5, 0}, null, new FloatHistogram[] {null, h});
        byte[] good = SelectCodec.encodeResponse(new SelectResponse(List.of(1), List.of(s), List.of(), List.of(), null,
                java.util.Arrays.asList(new HistogramPartial[][] {{null, p}})));
        assertEquals(6, good[4]);
        // The partial's flags: 0x10 (FirstExponential present), after its index 1.
        int flags = indexOf(good, new byte[] {1, 1, 0x10, 3, 0}); // PartialCount 1, Index 1, Flags, Count 3, member 0
        assertTrue(flags > 0);
        assertRefused(with(good, flags + 2, 0x50), "unknown flags 0x50");
        assertRefused(with(good, flags + 2, 0x30), "both histogram kinds carries a sum"); // FirstCustom too: then no sum may come
        assertRefused(with(good, flags + 2, 0x11), ""); // floats seen and a sum: still consistent, accepted below
        assertRefused(with(good, flags + 4, 2), "first exponential member 2 of 1");
        assertRefused(with(good, flags + 3, 0), "histogram partial of 0 histograms");
        assertRefused(with(good, flags + 1, 0), "histogram partial without a sum"); // the partial moved to the float sample
    }

    private static void assertRefused(byte[] bytes, String message) {
        if (message.isEmpty()) {
            SelectCodec.decodeResponse(bytes); // consistent: accepted
            return;
        }
        SelectFormatException e = assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(bytes), message);
        assertTrue(e.getMessage().contains(message), e.getMessage() + " should name " + message);
    }

    @Test
    void answersWithoutPartialsAreWrittenAsBefore() {
        FloatHistogram h = exponential(new Random(2));
        Series hist = new Series(Labels.of("job", "a"), new long[] {1000}, new double[] {0}, null, new FloatHistogram[] {h});
        Series floats = new Series(Labels.of("job", "b"), new long[] {1000}, new double[] {1});
        assertEquals(5, SelectCodec.encodeResponse(new SelectResponse(List.of(1), List.of(hist))).clone()[4]);
        assertEquals(1, SelectCodec.encodeResponse(new SelectResponse(List.of(1), List.of(floats))).clone()[4]);
        // A partial answer of float sums only (no histogram anywhere) is version 1, byte for byte as before.
        byte[] partialFloats = SelectCodec.encodeResponse(new SelectResponse(List.of(1), List.of(floats), List.of(), List.of(), null,
                java.util.Arrays.asList(new HistogramPartial[][] {null})));
        assertArrayEquals(SelectCodec.encodeResponse(new SelectResponse(List.of(1), List.of(floats))), partialFloats);
        // A version 5 answer still reads, without partials.
        assertEquals(null, SelectCodec.decodeResponse(SelectCodec.encodeResponse(new SelectResponse(List.of(1), List.of(hist))))
                .histogramPartials());
    }

    /** The bytes with one byte replaced and the CRC32C recomputed. */
    private static byte[] with(byte[] bytes, int at, int value) {
        byte[] out = bytes.clone();
        out[at] = (byte) value;
        CRC32C crc = new CRC32C();
        crc.update(out, 0, out.length - 4);
        ByteBuffer.wrap(out).putInt(out.length - 4, (int) crc.getValue());
        return out;
    }

    private static int indexOf(byte[] a, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= a.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (a[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** Series of float sums, histogram sums with partials, steps dropped (both kinds: no sum), member labels shared. */
    private static SelectResponse randomAnswer(Random random) {
        List<Labels> members = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(4); i++) members.add(Labels.of("__name__", "m" + random.nextInt(3), "i", "" + i));
        int n = random.nextInt(4);
        List<Series> series = new ArrayList<>();
        List<HistogramPartial[]> partials = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            int samples = 1 + random.nextInt(5);
            long[] ts = new long[samples];
            double[] vs = new double[samples];
            FloatHistogram[] hs = new FloatHistogram[samples];
            HistogramPartial[] ps = new HistogramPartial[samples];
            boolean any = false;
            for (int k = 0; k < samples; k++) {
                ts[k] = 1_700_000_000_000L + k * 15_000L;
                vs[k] = random.nextGaussian();
                if (random.nextInt(3) == 0) continue;
                any = true;
                int kind = random.nextInt(3); // 0 exponential, 1 custom, 2 both (no sum)
                Labels exp = kind != 1 ? members.get(random.nextInt(members.size())) : null;
                Labels custom = kind != 0 ? members.get(random.nextInt(members.size())) : null;
                FloatHistogram h = kind == 0 ? exponential(random) : kind == 1 ? custom(random) : null;
                hs[k] = h;
                if (h == null) vs[k] = Double.NaN;
                ps[k] = new HistogramPartial(1 + random.nextInt(1000), random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                        random.nextBoolean(), exp, custom, h);
            }
            boolean hasHist = false;
            for (FloatHistogram h : hs) hasHist |= h != null;
            series.add(new Series(Labels.of("job", "j" + s), ts, vs, null, hasHist ? hs : null));
            partials.add(any ? ps : null);
        }
        return new SelectResponse(List.of(random.nextInt(8)), series, random.nextBoolean() ? List.of("PromQL warning: w") : List.of(),
                List.of(), random.nextBoolean() ? new SampleCounts(3, new long[] {3}) : null, partials);
    }

    private static FloatHistogram exponential(Random random) {
        int n = random.nextInt(4);
        double[] buckets = new double[n];
        for (int i = 0; i < n; i++) buckets[i] = random.nextInt(50) / 3.0;
        return new FloatHistogram(ResetHint.values()[random.nextInt(4)], random.nextInt(13) - 4, 0.001, random.nextInt(5), 100,
                random.nextGaussian(), n == 0 ? null : new int[] {random.nextInt(21) - 10}, n == 0 ? null : new int[] {n}, buckets,
                new int[] {-2, 1}, new int[] {1, 1}, new double[] {0, 2.5}, null);
    }

    private static FloatHistogram custom(Random random) {
        return new FloatHistogram(ResetHint.values()[random.nextInt(4)], FloatHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 7, 3.5,
                new int[] {0, 1}, new int[] {1, 2}, new double[] {1, 2, 4}, null, null, null, new double[] {0.5, 1, 2, 4});
    }
}

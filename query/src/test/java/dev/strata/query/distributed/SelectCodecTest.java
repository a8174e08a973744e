package dev.strata.query.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.index.Matcher;
import dev.strata.query.storage.Series;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelectCodecTest {

    @Test
    void requestRoundTrips() {
        SelectRequest r = new SelectRequest(List.of(0, 3, 70000),
                List.of(Matcher.eq("__name__", "up"), Matcher.neq("job", ""), Matcher.re("instance", "h.*"),
                        Matcher.nre("zone", "eu-[0-9]+"), Matcher.eq("ü", "ß\"\n")),
                Long.MIN_VALUE + 1, Long.MAX_VALUE);
        SelectRequest back = SelectCodec.decodeRequest(SelectCodec.encodeRequest(r));
        assertEquals(r, back);
    }

    @Test
    void responseRoundTripsRandomSeries() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = rnd.nextInt(200);
            long[] ts = new long[n];
            double[] vs = new double[n];
            long t = rnd.nextLong() >> 20;
            for (int k = 0; k < n; k++) {
                t += rnd.nextInt(30_000) - (rnd.nextInt(10) == 0 ? 5_000 : 0);
                ts[k] = t;
                vs[k] = switch (rnd.nextInt(4)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.longBitsToDouble(0x7ff0000000000002L); // a staleness-like NaN payload
                    case 2 -> rnd.nextGaussian() * 1e12;
                    default -> k;
                };
            }
            series.add(new Series(Labels.of("__name__", "m" + i, "job", "j" + rnd.nextInt(3)), ts, vs));
        }
        SelectResponse r = new SelectResponse(List.of(1, 5), series);
        SelectResponse back = SelectCodec.decodeResponse(SelectCodec.encodeResponse(r));
        assertEquals(r.served(), back.served(), "seed=" + seed);
        assertEquals(series.size(), back.series().size(), "seed=" + seed);
        for (int i = 0; i < series.size(); i++) {
            Series a = series.get(i), b = back.series().get(i);
            assertEquals(a.labels(), b.labels(), "seed=" + seed);
            assertArrayEquals(a.timestamps(), b.timestamps(), "seed=" + seed);
            long[] ab = Arrays.stream(a.values()).mapToLong(Double::doubleToRawLongBits).toArray();
            long[] bb = Arrays.stream(b.values()).mapToLong(Double::doubleToRawLongBits).toArray();
            assertArrayEquals(ab, bb, "values bit-exact, seed=" + seed);
        }
    }

    @Test
    void histogramsTravelInVersion5BitExactWithFloatsOfTheSameSeries() {
        FloatHistogram exp = new FloatHistogram(FloatHistogram.ResetHint.GAUGE, 3, 0.001, 2, 10.5, -3.25,
                new int[] {-2, 3}, new int[] {2, 1}, new double[] {1, 2.5, 3}, new int[] {0}, new int[] {1}, new double[] {2}, null);
        FloatHistogram custom = new FloatHistogram(FloatHistogram.ResetHint.NO, -53, 0, 0, 4, Double.NaN,
                new int[] {0}, new int[] {3}, new double[] {1, 0, 3}, null, null, null, new double[] {0.5, 1});
        Series mixed = new Series(Labels.of("__name__", "h"), new long[] {1000, 2000, 3000}, new double[] {7, 0, 0},
                null, new FloatHistogram[] {null, exp, custom});
        Series plain = new Series(Labels.of("__name__", "f"), new long[] {1000}, new double[] {1});
        SampleCounts counts = new SampleCounts(3, new long[] {3});
        for (SampleCounts c : java.util.Arrays.asList(null, counts)) {
            byte[] bytes = SelectCodec.encodeResponse(new SelectResponse(List.of(2), List.of(plain, mixed), List.of(), List.of("i"), c));
            assertEquals(5, bytes[4]);
            SelectResponse back = SelectCodec.decodeResponse(bytes);
            assertEquals(null, back.series().get(0).histograms());
            FloatHistogram[] hs = back.series().get(1).histograms();
            assertEquals(null, hs[0]);
            assertEquals(7, back.series().get(1).values()[0]);
            assertEquals(exp, hs[1]);
            assertEquals(custom, hs[2]);
            assertEquals(c, back.samples());
            assertEquals(List.of("i"), back.infos());
        }
        // A histogram whose spans do not add up to its buckets is refused, naming the series.
        byte[] bytes = SelectCodec.encodeResponse(new SelectResponse(List.of(2), List.of(mixed)));
        byte[] bad = bytes.clone();
        int spans = indexOf(bytes, new byte[] {2, 3, 2, 6, 1, 3}); // SpanCount 2, (-2 -> 3, 2), (3 -> 6, 1), BucketCount 3
        assertTrue(spans > 0, "positive spans of the first histogram");
        bad[spans + 2] = 3; // the first span's length 2 -> 3: spans need 4 buckets, 3 given
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(bad)).getMessage()
                .contains("series 0 histogram 1"));
    }

    private static int indexOf(byte[] a, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= a.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (a[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void startTimestampsTravelInVersion2OnlyWhenPresent() {
        Series plain = new Series(Labels.of("__name__", "a"), new long[] {1000, 2000}, new double[] {1, 2});
        Series withStart = new Series(Labels.of("__name__", "b_total"), new long[] {1000, 2000, 3000}, new double[] {1, 2, 3},
                new long[] {990, 0, 2999});
        byte[] v1 = SelectCodec.encodeResponse(new SelectResponse(List.of(1), List.of(plain)));
        assertEquals(1, v1[4]);
        assertEquals(null, SelectCodec.decodeResponse(v1).series().get(0).startTimestamps());
        byte[] v2 = SelectCodec.encodeResponse(new SelectResponse(List.of(1), List.of(plain, withStart)));
        assertEquals(2, v2[4]);
        SelectResponse back = SelectCodec.decodeResponse(v2);
        assertEquals(null, back.series().get(0).startTimestamps());
        assertArrayEquals(new long[] {990, 0, 2999}, back.series().get(1).startTimestamps());
        assertArrayEquals(withStart.timestamps(), back.series().get(1).timestamps());
        byte[] badFlag = v2.clone();
        badFlag[badFlag.length - 5] = 7; // the second series' flag, before its deltas 10, 2000, 1 (1 + 2 + 1 bytes)
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(badFlag)).getMessage()
                .contains("start timestamp flag 7"));
    }

    @Test
    void sampleCountsTravelInVersion4WithAnnotationsAndStartTimestamps() {
        Series withStart = new Series(Labels.of("__name__", "b_total"), new long[] {1000, 2000}, new double[] {1, 2},
                new long[] {990, 0});
        SampleCounts counts = new SampleCounts(1_000_010, new long[] {5, 1_000_000, 5, 0});
        SelectResponse r = new SelectResponse(List.of(3), List.of(withStart), List.of("w"), List.of(), counts);
        byte[] v4 = SelectCodec.encodeResponse(r);
        assertEquals(4, v4[4]);
        SelectResponse back = SelectCodec.decodeResponse(v4);
        assertEquals(counts, back.samples());
        assertEquals(List.of("w"), back.warnings());
        assertArrayEquals(new long[] {990, 0}, back.series().get(0).startTimestamps());
        // Without counts the answer is what older askers read (versions 1 to 3), and decodes without counts.
        for (SelectResponse older : List.of(r.withoutSamples(), new SelectResponse(List.of(3), List.of()),
                new SelectResponse(List.of(), List.of(), List.of(), List.of("i")))) {
            byte[] bytes = SelectCodec.encodeResponse(older);
            assertTrue(bytes[4] <= 3, "version " + bytes[4]);
            assertEquals(null, SelectCodec.decodeResponse(bytes).samples());
        }
    }

    @Test
    void version4BytesAreAsDocumented() {
        // docs/format/select.md: no served shard, no series, no annotations, 5 samples: 2 at step 0, 3 at step 1.
        byte[] want = {'S', 'R', 'E', 'S', 4, 0, 0, 0, 0, 5, 2, 4, 2};
        SelectResponse r = new SelectResponse(List.of(), List.of(), List.of(), List.of(), new SampleCounts(5, new long[] {2, 3}));
        assertArrayEquals(want, SelectCodec.encodeResponse(r));
        assertEquals(r.samples(), SelectCodec.decodeResponse(want).samples());
        assertEquals(SampleCounts.NONE, SelectCodec.decodeResponse(SelectCodec.encodeResponse(
                new SelectResponse(List.of(), List.of(), List.of(), List.of(), SampleCounts.NONE))).samples());
    }

    @Test
    void badSampleCountsAreATypedError() {
        byte[] good = SelectCodec.encodeResponse(new SelectResponse(List.of(), List.of(), List.of(), List.of(),
                new SampleCounts(5, new long[] {2, 3})));
        byte[] wrongTotal = good.clone();
        wrongTotal[9] = 6;
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(wrongTotal)).getMessage()
                .contains("per-step sample counts add to 5 but the total is 6"));
        byte[] negative = good.clone();
        negative[12] = 7; // step 1 = 2 + zigzag(7) = 2 - 4
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(negative)).getMessage()
                .contains("negative per-step sample count -2"));
        byte[] manySteps = good.clone();
        manySteps[10] = 100;
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(manySteps)).getMessage()
                .contains("100 per-step sample counts but only 2 bytes remain"));
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(Arrays.copyOf(good, good.length - 1)))
                .getMessage().contains("2 per-step sample counts but only 1 bytes remain"));
    }

    @Test
    void pushdownRequestsCarryTheNameRemovalMode() {
        PushdownRequest delayed = new PushdownRequest(List.of(3, 1), "sum(m)", 1000, 2000, 0, 300_000, true, true);
        PushdownRequest immediate = new PushdownRequest(List.of(3, 1), "sum(m)", 1000, 2000, 0, 300_000, false, false);
        for (boolean names : new boolean[] {false, true}) {
            for (boolean starts : new boolean[] {false, true}) {
                PushdownRequest r = new PushdownRequest(List.of(3, 1), "sum(m)", 1000, 2000, 0, 300_000, names, starts);
                assertEquals(r, SelectCodec.decodePushdown(SelectCodec.encodePushdown(r)));
            }
        }
        // Both on: version 1, byte for byte what owners before version 2 read (their only modes).
        byte[] v1 = SelectCodec.encodePushdown(delayed);
        assertEquals(1, v1[4]);
        assertEquals(4 + 1 + 4 * 8 + 1 + 2 + 1 + 6, v1.length);
        // Otherwise version 2 with a Flags byte after Lookback; the rest as in version 1.
        byte[] v2 = SelectCodec.encodePushdown(immediate);
        assertEquals(2, v2[4]);
        assertEquals(0, v2[4 + 1 + 4 * 8]);
        assertEquals(v1.length + 1, v2.length);
        byte[] flagged = v2.clone();
        flagged[4 + 1 + 4 * 8] = 3;
        assertEquals(delayed, SelectCodec.decodePushdown(flagged));
        byte[] unknown = v2.clone();
        unknown[4 + 1 + 4 * 8] = 4;
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodePushdown(unknown)).getMessage()
                .contains("unknown flags 0x4"));
        // The example in docs/format/select.md.
        byte[] doc = {'S', 'Q', 'R', 'Y', 2, 0, 0, 0, 0, 0, 0, 0x03, (byte) 0xe8, 0, 0, 0, 0, 0, 0, 0x03, (byte) 0xe8,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x04, (byte) 0x93, (byte) 0xe0, 0, 2, 3, 1, 6, 's', 'u', 'm', '(', 'm', ')'};
        assertArrayEquals(doc, SelectCodec.encodePushdown(new PushdownRequest(List.of(3, 1), "sum(m)", 1000, 1000, 0, 300_000,
                false, false)));
        byte[] future = v2.clone();
        future[4] = 3;
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodePushdown(future)).getMessage()
                .contains("unsupported version 3"));
    }

    @Test
    void corruptInputIsATypedErrorNamingTheProblem() {
        byte[] good = SelectCodec.encodeResponse(new SelectResponse(List.of(2),
                List.of(new Series(Labels.of("__name__", "x"), new long[] {1, 2}, new double[] {1, 2}))));
        SelectFormatException e = assertThrows(SelectFormatException.class,
                () -> SelectCodec.decodeResponse(Arrays.copyOf(good, good.length - 3)));
        assertTrue(e.getMessage().contains("select response"), e.getMessage());
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(magic)).getMessage()
                .contains("magic"));
        byte[] version = good.clone();
        version[4] = 9;
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(version)).getMessage()
                .contains("version 9"));
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertTrue(assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(trailing)).getMessage()
                .contains("trailing"));
        assertThrows(SelectFormatException.class, () -> SelectCodec.decodeRequest(new byte[] {1, 2}));
    }
}

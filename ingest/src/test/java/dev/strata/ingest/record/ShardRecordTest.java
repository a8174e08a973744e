package dev.strata.ingest.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardRecordTest {
    record Series(Labels labels, long[] ts, double[] v) {}

    static List<Series> randomSeries(Random rnd) {
        List<Series> out = new ArrayList<>();
        int n = rnd.nextInt(50);
        for (int i = 0; i < n; i++) {
            Labels.Builder b = new Labels.Builder().set("__name__", "m" + rnd.nextInt(5));
            for (int k = rnd.nextInt(6); k > 0; k--) b.set("l" + rnd.nextInt(8), rnd.nextInt(3) == 0 ? "é\uD83D\uDE00" + k : "v" + rnd.nextInt(20));
            int samples = 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 200);
            long[] ts = new long[samples];
            double[] v = new double[samples];
            long t = rnd.nextLong() >> rnd.nextInt(64);
            for (int s = 0; s < samples; s++) {
                t += rnd.nextInt(3) == 0 ? -rnd.nextInt(1000) : rnd.nextInt(100_000);
                ts[s] = t;
                v[s] = switch (rnd.nextInt(5)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.longBitsToDouble(0x7ff0000000000002L);
                    case 2 -> rnd.nextGaussian() * 1e300;
                    default -> rnd.nextInt(1000);
                };
            }
            out.add(new Series(b.build(), ts, v));
        }
        return out;
    }

    static byte[] write(ShardRecordWriter w, int shard, List<Series> series) {
        w.reset(shard);
        for (Series s : series) {
            w.beginSeries(s.labels.hash(), s.labels.size(), s.ts.length);
            for (int i = 0; i < s.labels.size(); i++) w.label(s.labels.name(i), s.labels.value(i));
            for (int i = 0; i < s.ts.length; i++) w.sample(s.ts[i], s.v[i]);
            w.endSeries();
        }
        return w.finish();
    }

    @Test
    void version2CarriesStartTimestampsPerSeries() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("ShardRecordTest start timestamps seed=" + seed);
        Random rnd = new Random(seed);
        ShardRecordWriter w = new ShardRecordWriter();
        ShardRecordReader r = new ShardRecordReader();
        for (int iter = 0; iter < 200; iter++) {
            List<Series> series = randomSeries(rnd);
            long[][] st = new long[series.size()][];
            w.reset(7, true);
            for (int k = 0; k < series.size(); k++) {
                Series s = series.get(k);
                boolean with = rnd.nextBoolean();
                w.beginSeries(s.labels.hash(), s.labels.size(), s.ts.length, with);
                for (int i = 0; i < s.labels.size(); i++) w.label(s.labels.name(i), s.labels.value(i));
                st[k] = new long[s.ts.length];
                for (int i = 0; i < s.ts.length; i++) {
                    if (with) {
                        st[k][i] = rnd.nextInt(4) == 0 ? 0 : rnd.nextBoolean() ? s.ts[i] - rnd.nextInt(100_000) : rnd.nextLong();
                        w.sample(s.ts[i], st[k][i], s.v[i]);
                    } else {
                        w.sample(s.ts[i], s.v[i]);
                    }
                }
                w.endSeries();
            }
            byte[] rec = w.finish();
            r.reset(rec, 0, rec.length);
            assertEquals(ShardRecordFormat.VERSION_2, r.version());
            for (int k = 0; k < series.size(); k++) {
                assertTrue(r.nextSeries());
                assertEquals(series.get(k).labels, r.labels());
                for (int i = 0; i < st[k].length; i++) {
                    assertTrue(r.nextSample());
                    assertEquals(series.get(k).ts[i], r.timestamp(), "seed=" + seed);
                    assertEquals(st[k][i], r.startTimestamp(), "seed=" + seed);
                }
                assertFalse(r.nextSample());
            }
            assertFalse(r.nextSeries());
        }
        // Without start timestamps the record stays version 1.
        w.reset(7);
        w.beginSeries(1, 0, 1);
        w.sample(5, 1);
        w.endSeries();
        byte[] v1 = w.finish();
        assertEquals(ShardRecordFormat.VERSION_1, v1[2]);
        assertThrows(IllegalStateException.class, () -> {
            w.reset(7);
            w.beginSeries(1, 0, 1, true);
        });
    }

    @Test
    void badStartTimestampFlagIsCorrupt() {
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(1, true);
        w.beginSeries(1, 0, 1, true);
        w.sample(1000, 900, 1);
        w.endSeries();
        byte[] rec = w.finish();
        // Body: shard, 0 strings, 1 series, hash (8), 0 labels, 1 sample, then the flag.
        int flagAt = ShardRecordFormat.HEADER_BYTES + 3 + 8 + 1 + 1;
        assertEquals(1, rec[flagAt]);
        rec[flagAt] = 2;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(rec, ShardRecordFormat.HEADER_BYTES, rec.length - ShardRecordFormat.HEADER_BYTES);
        int c = (int) crc.getValue();
        for (int i = 0; i < 4; i++) rec[8 + i] = (byte) (c >>> (8 * i));
        ShardRecordReader r = new ShardRecordReader().reset(rec, 0, rec.length);
        CorruptRecordException e = assertThrows(CorruptRecordException.class, r::nextSeries);
        assertTrue(e.getMessage().contains("start-timestamp flag 2"), e.getMessage());
    }

    @Test
    void randomRoundTrips() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("ShardRecordTest seed=" + seed);
        Random rnd = new Random(seed);
        ShardRecordWriter w = new ShardRecordWriter();
        ShardRecordReader r = new ShardRecordReader();
        for (int iter = 0; iter < 300; iter++) {
            List<Series> in = randomSeries(rnd);
            int shard = rnd.nextInt(4096);
            byte[] rec = write(w, shard, in);
            assertTrue(rec.length <= w.sizeEstimate(), "seed=" + seed);
            r.reset(rec, 0, rec.length);
            assertEquals(shard, r.shard());
            assertEquals(in.size(), r.seriesCount());
            for (Series s : in) {
                assertTrue(r.nextSeries(), "seed=" + seed);
                assertEquals(s.labels.hash(), r.seriesHash(), "seed=" + seed);
                assertEquals(s.labels, r.labels(), "seed=" + seed);
                assertTrue(r.labelsEqual(s.labels), "seed=" + seed);
                if (rnd.nextInt(10) == 0) continue; // skipping unread samples must work
                for (int i = 0; i < s.ts.length; i++) {
                    assertTrue(r.nextSample());
                    assertEquals(s.ts[i], r.timestamp(), "seed=" + seed + " iter=" + iter);
                    assertEquals(Double.doubleToRawLongBits(s.v[i]), Double.doubleToRawLongBits(r.value()), "seed=" + seed);
                }
                assertFalse(r.nextSample());
            }
            assertFalse(r.nextSeries(), "seed=" + seed);
        }
    }

    @Test
    void stringsAreDeduplicated() {
        ShardRecordWriter w = new ShardRecordWriter();
        List<Series> in = new ArrayList<>();
        for (int i = 0; i < 100; i++) in.add(new Series(Labels.of("__name__", "up", "job", "node"), new long[] {i}, new double[] {1}));
        byte[] rec = write(w, 1, in);
        ShardRecordReader r = new ShardRecordReader().reset(rec, 0, rec.length);
        assertEquals(4, r.stringCount());
    }

    @Test
    void everyCorruptionIsATypedError() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        ShardRecordWriter w = new ShardRecordWriter();
        List<Series> in = randomSeries(new Random(seed));
        in.add(new Series(Labels.of("__name__", "x"), new long[] {1, 2}, new double[] {1, 2}));
        byte[] rec = write(w, 3, in);
        ShardRecordReader r = new ShardRecordReader();
        for (int i = 0; i < 500; i++) {
            byte[] bad = rec.clone();
            int at = rnd.nextInt(bad.length);
            bad[at] ^= (byte) (1 + rnd.nextInt(255));
            assertThrows(CorruptRecordException.class, () -> readAll(r, bad, bad.length), "seed=" + seed + " byte " + at);
        }
        for (int cut = 0; cut < rec.length; cut++) {
            final int n = cut;
            assertThrows(CorruptRecordException.class, () -> readAll(r, rec, n), "seed=" + seed + " cut " + n);
        }
        byte[] future = rec.clone();
        future[2] = 9;
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> readAll(r, future, future.length));
        assertTrue(e.getMessage().contains("unsupported version 9"), e.getMessage());
    }

    @Test
    void documentedExampleIsExact() {
        // docs/format/kafka-record.md, "Example": everything but the hash and the checksum is pinned.
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(5);
        Labels up = Labels.of("__name__", "up");
        w.beginSeries(up.hash(), 1, 2);
        w.label("__name__", "up");
        w.sample(1000, 1.0);
        w.sample(1015, 0.0);
        w.endSeries();
        String hex = java.util.HexFormat.of().formatHex(w.finish());
        String hash = java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(up.hash()).array());
        assertEquals("53540100" + "2e000000", hex.substring(0, 16));
        assertEquals("05" + "02" + "085f5f6e616d655f5f" + "027570" + "01" + hash + "01" + "0001"
                + "02" + "d00f" + "000000000000f03f" + "1e" + "0000000000000000", hex.substring(24));
    }

    static void readAll(ShardRecordReader r, byte[] b, int len) {
        r.reset(b, 0, len);
        while (r.nextSeries()) {
            while (r.nextSample()) {
                r.value();
            }
        }
    }
}

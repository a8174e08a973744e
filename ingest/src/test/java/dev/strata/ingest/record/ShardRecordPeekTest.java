package dev.strata.ingest.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.record.ShardRecordTest.Series;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** {@link ShardRecordReader#peekHashes}: the read-ahead names exactly the entries that follow and never throws. */
class ShardRecordPeekTest {
    @Test
    void peekNamesTheNextEntriesWhereverTheReaderIs() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("ShardRecordPeekTest seed=" + seed);
        Random rnd = new Random(seed);
        ShardRecordWriter w = new ShardRecordWriter();
        ShardRecordReader r = new ShardRecordReader();
        long[] out = new long[80];
        for (int iter = 0; iter < 150; iter++) {
            List<Series> in = ShardRecordTest.randomSeries(rnd);
            boolean v2 = rnd.nextBoolean();
            byte[] rec = write(w, v2, in, rnd);
            r.reset(rec, 0, rec.length);
            String where = "seed=" + seed + " iter=" + iter + " v2=" + v2;
            assertPeek(r, in, 0, out, rnd, where);
            for (int e = 0; e < in.size(); e++) {
                assertTrue(r.nextSeries(), where);
                assertEquals(in.get(e).labels().hash(), r.seriesHash(), where);
                int read = rnd.nextInt(in.get(e).ts().length + 1); // part of the samples read, or all, or none
                for (int s = 0; s < read; s++) assertTrue(r.nextSample(), where);
                assertPeek(r, in, e + 1, out, rnd, where + " after entry " + e + " (" + read + " samples read)");
                if (read > 0) assertEquals(in.get(e).ts()[read - 1], r.timestamp(), "peek moved the reader, " + where);
            }
            assertEquals(0, r.peekHashes(out, out.length), where);
        }
    }

    @Test
    void malformedBodiesWithValidChecksumsNeverThrow() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("ShardRecordPeekTest seed=" + seed);
        Random rnd = new Random(seed);
        ShardRecordWriter w = new ShardRecordWriter();
        ShardRecordReader r = new ShardRecordReader();
        long[] out = new long[64];
        int peeked = 0;
        for (int iter = 0; iter < 400; iter++) {
            List<Series> in = ShardRecordTest.randomSeries(rnd);
            byte[] rec = write(w, rnd.nextBoolean(), in, rnd);
            int at = ShardRecordFormat.HEADER_BYTES + rnd.nextInt(Math.max(1, rec.length - ShardRecordFormat.HEADER_BYTES));
            if (at < rec.length) rec[at] ^= (byte) (1 + rnd.nextInt(255));
            fixChecksum(rec);
            try {
                r.reset(rec, 0, rec.length);
            } catch (CorruptRecordException e) {
                continue; // broken before the first entry
            }
            try {
                do {
                    int n = r.peekHashes(out, 1 + rnd.nextInt(out.length));
                    assertTrue(n >= 0 && n <= out.length, "seed=" + seed + " iter=" + iter);
                    peeked++;
                } while (r.nextSeries() && consumeSome(r, rnd));
            } catch (CorruptRecordException expected) {
                // the regular reads report the corruption; peeking never did (it would have thrown elsewhere)
            }
        }
        assertTrue(peeked > 200, "seed=" + seed);
    }

    private static boolean consumeSome(ShardRecordReader r, Random rnd) {
        for (int k = rnd.nextInt(3); k > 0 && r.nextSample(); k--) r.value();
        return true;
    }

    private static void assertPeek(ShardRecordReader r, List<Series> in, int next, long[] out, Random rnd, String where) {
        int max = rnd.nextInt(out.length + 1);
        int n = r.peekHashes(out, max);
        assertEquals(Math.min(max, in.size() - next), n, where);
        for (int i = 0; i < n; i++) assertEquals(in.get(next + i).labels().hash(), out[i], where + " peeked #" + i);
    }

    private static byte[] write(ShardRecordWriter w, boolean v2, List<Series> in, Random rnd) {
        if (!v2) return ShardRecordTest.write(w, rnd.nextInt(4096), in);
        w.reset(rnd.nextInt(4096), true);
        for (Series s : in) {
            boolean withStart = rnd.nextBoolean();
            w.beginSeries(s.labels().hash(), s.labels().size(), s.ts().length, withStart);
            for (int i = 0; i < s.labels().size(); i++) w.label(s.labels().name(i), s.labels().value(i));
            for (int i = 0; i < s.ts().length; i++) {
                if (withStart) w.sample(s.ts()[i], rnd.nextBoolean() ? 0 : s.ts()[i] - rnd.nextInt(1 << 20), s.v()[i]);
                else w.sample(s.ts()[i], s.v()[i]);
            }
            w.endSeries();
        }
        return w.finish();
    }

    private static void fixChecksum(byte[] rec) {
        CRC32C crc = new CRC32C();
        crc.update(rec, ShardRecordFormat.HEADER_BYTES, rec.length - ShardRecordFormat.HEADER_BYTES);
        int c = (int) crc.getValue();
        for (int i = 0; i < 4; i++) rec[8 + i] = (byte) (c >>> (8 * i));
    }
}

package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chunks with the optional start-timestamp column: round trips, byte identity without it, corruption. */
class StartTimestampColumnTest {
    private final long seed = Long.getLong("seed", System.nanoTime());
    private static final long T0 = 1_795_294_290_010L;

    private static long[] timestamps(Random rnd, int n) {
        long[] ts = new long[n];
        long t = T0;
        for (int i = 0; i < n; i++) {
            t += 15_000 + (rnd.nextInt(4) == 0 ? rnd.nextInt(9) - 4 : 0);
            ts[i] = t;
        }
        return ts;
    }

    /** One of the shapes seen in practice, or noise. */
    private static long[] startTimestamps(Random rnd, long[] ts, int n) {
        long[] st = new long[n];
        int shape = rnd.nextInt(5);
        long created = ts[0] - rnd.nextInt(1_000_000);
        for (int i = 0; i < n; i++) {
            switch (shape) {
                case 0 -> { // cumulative, restarting now and then
                    if (rnd.nextInt(50) == 0) created = ts[i] - rnd.nextInt(15_000);
                    st[i] = created;
                }
                case 1 -> st[i] = i == 0 ? ts[0] - 15_000 : ts[i - 1]; // OTel delta
                case 2 -> st[i] = rnd.nextInt(3) == 0 ? 0 : created; // partly unknown
                case 3 -> st[i] = ts[i] - 1; // minimal range
                default -> st[i] = rnd.nextLong(); // anything at all
            }
        }
        if (!StartTimestampColumn.anyKnown(st, n)) st[n - 1] = created;
        return st;
    }

    @Test
    void roundTripsRandomShapes() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        ChunkWriter writer = new ChunkWriter();
        ChunkReader reader = new ChunkReader();
        for (int iter = 0; iter < 500; iter++) {
            int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 480);
            long[] ts = timestamps(rnd, n);
            long[] st = startTimestamps(rnd, ts, n);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = rnd.nextInt(3) == 0 ? rnd.nextGaussian() : i * 60;
            ByteArrayBuilder out = new ByteArrayBuilder();
            out.append(0x55); // chunks may live at an offset inside a larger buffer
            int len = writer.write(ts, st, v, n, out);
            long[] t2 = new long[n];
            double[] v2 = new double[n];
            long[] st2 = new long[n];
            assertEquals(n, reader.decode(out.array(), 1, len, t2, v2), "seed=" + seed + " iter=" + iter);
            ChunkHeader h = ChunkHeader.read(out.array(), 1, len);
            assertTrue(h.hasStartTimestamps(), "seed=" + seed);
            assertTrue(reader.decodeStartTimestamps(out.array(), 1, len, h, st2), "seed=" + seed);
            assertArrayEquals(ts, t2, "seed=" + seed + " iter=" + iter);
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(v2[i]), "value " + i + " seed=" + seed + " iter=" + iter);
            }
            assertArrayEquals(st, st2, "seed=" + seed + " iter=" + iter);
        }
    }

    @Test
    void withoutKnownStartTimestampsTheChunkIsByteIdentical() {
        Random rnd = new Random(seed);
        ChunkWriter writer = new ChunkWriter();
        for (int iter = 0; iter < 50; iter++) {
            int n = 1 + rnd.nextInt(480);
            long[] ts = timestamps(rnd, n);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = rnd.nextInt(100);
            ByteArrayBuilder plain = new ByteArrayBuilder();
            writer.write(ts, v, n, plain);
            ByteArrayBuilder withNull = new ByteArrayBuilder();
            writer.write(ts, null, v, n, withNull);
            ByteArrayBuilder withZeros = new ByteArrayBuilder();
            writer.write(ts, new long[n], v, n, withZeros);
            assertArrayEquals(plain.toByteArray(), withNull.toByteArray(), "seed=" + seed);
            assertArrayEquals(plain.toByteArray(), withZeros.toByteArray(), "seed=" + seed);
            byte[] c = plain.toByteArray();
            ChunkHeader h = ChunkHeader.read(c, 0, c.length);
            assertFalse(h.hasStartTimestamps());
            assertFalse(new ChunkReader().decodeStartTimestamps(c, 0, c.length, h, new long[n]));
        }
    }

    @Test
    void constantAndSteppingColumnsCostNoPayloadBits() {
        int n = 120;
        long[] ts = new long[n];
        long[] cumulative = new long[n];
        long[] delta = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = T0 + i * 15_000L;
            cumulative[i] = T0 - 3_600_000;
            delta[i] = ts[i] - 15_000;
            v[i] = i;
        }
        ChunkWriter writer = new ChunkWriter();
        ByteArrayBuilder plain = new ByteArrayBuilder();
        int base = writer.write(ts, v, n, plain);
        for (long[] st : new long[][] {cumulative, delta}) {
            ByteArrayBuilder out = new ByteArrayBuilder();
            int len = writer.write(ts, st, v, n, out);
            byte[] c = out.toByteArray();
            ChunkHeader h = ChunkHeader.read(c, 0, c.length);
            assertEquals(RegularTimestampCodec.ID, h.stCodec());
            assertEquals(0, h.stBytes());
            assertTrue(len - base <= 1 + 7 + 4 + 1, "ST header only: " + (len - base) + " extra bytes");
        }
    }

    @Test
    void everySingleBitFlipIsDetected() {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(200);
        long[] ts = timestamps(rnd, n);
        long[] st = startTimestamps(rnd, ts, n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt(1000) / 10.0;
        ByteArrayBuilder out = new ByteArrayBuilder();
        new ChunkWriter().write(ts, st, v, n, out);
        byte[] good = out.toByteArray();
        decodeAll(good, n);
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            int b = bit;
            assertThrows(CorruptChunkException.class, () -> decodeAll(bad, n), "bit " + b + " seed=" + seed);
        }
    }

    @Test
    void inconsistentColumnIsNamedEvenWithAFixedChecksum() {
        int n = 10;
        long[] ts = new long[n];
        long[] st = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = T0 + i * 1000L;
            st[i] = i % 3 == 0 ? 0 : ts[i] - 7; // irregular: ts-dod layout with payload bits
            v[i] = i;
        }
        ByteArrayBuilder out = new ByteArrayBuilder();
        new ChunkWriter().write(ts, st, v, n, out);
        byte[] c = out.toByteArray();
        ChunkHeader h = ChunkHeader.read(c, 0, c.length);
        assertEquals(DodTimestampCodec.ID, h.stCodec());
        // Flip a bit inside the ST column and recompute the CRC: the column's own checks must catch it.
        byte[] bad = c.clone();
        bad[c.length - 4 - h.stBytes()] ^= (byte) 0x80; // the first code's first bit
        fixCrc(bad);
        CorruptChunkException e = assertThrows(CorruptChunkException.class, () -> decodeAll(bad, n));
        assertTrue(e.getMessage().contains("start timestamp"), e.getMessage());
    }

    private static void fixCrc(byte[] c) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(c, 0, c.length - 4);
        int x = (int) crc.getValue();
        c[c.length - 4] = (byte) (x >>> 24);
        c[c.length - 3] = (byte) (x >>> 16);
        c[c.length - 2] = (byte) (x >>> 8);
        c[c.length - 1] = (byte) x;
    }

    private static void decodeAll(byte[] c, int n) {
        ChunkReader r = new ChunkReader();
        long[] t = new long[Math.max(n, 2000)];
        double[] v = new double[t.length];
        r.decode(c, 0, c.length, t, v);
        ChunkHeader h = ChunkHeader.read(c, 0, c.length);
        long[] st = new long[t.length];
        if (!r.decodeStartTimestamps(c, 0, c.length, h, st)) throw new CorruptChunkException("start timestamp column vanished");
        if (Arrays.stream(st).limit(h.count()).allMatch(x -> x == 0)) throw new CorruptChunkException("start timestamp column all unknown");
    }
}

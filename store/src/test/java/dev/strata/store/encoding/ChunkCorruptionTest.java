package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ChunkCorruptionTest {
    private final long seed = Long.getLong("seed", System.nanoTime());

    private byte[] chunk(Random rnd, int n) {
        long[] ts = new long[n];
        double[] v = new double[n];
        long t = 1_795_294_290_010L;
        for (int i = 0; i < n; i++) {
            t += 15_000 + (rnd.nextInt(5) == 0 ? rnd.nextInt(9) - 4 : 0);
            ts[i] = t;
            v[i] = rnd.nextInt(3) == 0 ? rnd.nextGaussian() : rnd.nextInt(1000) / 100.0;
        }
        ByteArrayBuilder out = new ByteArrayBuilder();
        new ChunkWriter().write(ts, v, n, out);
        return out.toByteArray();
    }

    private static void decode(byte[] c) {
        int n = 2000;
        new ChunkReader().decode(c, 0, c.length, new long[n], new double[n]);
    }

    @Test
    void everySingleBitFlipIsDetected() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        byte[] good = chunk(rnd, 1 + rnd.nextInt(300));
        assertEveryBitFlipDetected(good);
    }

    /** The same for a chunk whose timestamps are coded ts-step-runs (1 s scrapes with late samples). */
    @Test
    void everySingleBitFlipIsDetectedInAStepRunsChunk() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        int n = 20 + rnd.nextInt(400);
        long[] ts = StepRunsTimestampCodecTest.jittered(rnd, n, 1 + n / 200);
        if (ts[n / 2] % 1000 == 174) ts[n / 2] += 1 + rnd.nextInt(9); // at least one late sample
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextInt(3) == 0 ? rnd.nextGaussian() : rnd.nextInt(1000) / 100.0;
        ChunkWriter w = new ChunkWriter();
        ByteArrayBuilder out = new ByteArrayBuilder();
        w.write(ts, v, n, out);
        assertTrue(w.lastTimestampCodec() == StepRunsTimestampCodec.ID, "n=" + n + " seed=" + seed);
        byte[] good = out.toByteArray();
        assertEveryBitFlipDetected(good);
    }

    /** The same for a chunk whose values are coded decimal-ulp (a sum accumulated in binary floating point). */
    @Test
    void everySingleBitFlipIsDetectedInADecimalUlpChunk() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(300);
        double[] v = DecimalUlpValueCodecTest.floatAccumulated(rnd, n);
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) ts[i] = 1_795_294_290_000L + 15_000L * i;
        ChunkWriter w = new ChunkWriter();
        ByteArrayBuilder out = new ByteArrayBuilder();
        w.write(ts, v, n, out);
        byte[] good = out.toByteArray();
        if (w.lastValueCodec() != DecimalUlpValueCodec.ID) { // a short sum can still be an exact decimal
            out.reset();
            assertTrue(w.write(ts, v, n, new DecimalUlpValueCodec(), out) > 0);
            good = out.toByteArray();
        }
        assertEveryBitFlipDetected(good);
    }

    /** The same for a chunk whose values are coded decimal-patched (a heap gauge that drops at GCs). */
    @Test
    void everySingleBitFlipIsDetectedInADecimalPatchedChunk() {
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        int n = 40 + rnd.nextInt(300);
        long[] ts = new long[n];
        double[] v = new double[n];
        long heap = 50_000_000;
        for (int i = 0; i < n; i++) {
            ts[i] = 1_795_294_290_000L + 15_000L * i;
            heap = rnd.nextInt(30) == 0 ? 20_000_000 + rnd.nextInt(1000) : heap + 100_000 + rnd.nextInt(64);
            v[i] = heap;
        }
        ChunkWriter w = new ChunkWriter();
        ByteArrayBuilder out = new ByteArrayBuilder();
        w.write(ts, v, n, out);
        if (w.lastValueCodec() != DecimalBlockValueCodec.PATCHED_ID) { // no drop drawn: force the codec
            out.reset();
            assertTrue(w.write(ts, v, n, DecimalBlockValueCodec.patched(), out) > 0);
        }
        assertEveryBitFlipDetected(out.toByteArray());
    }

    /** {@code good} decodes, and each of its copies with one bit flipped is refused as corrupt. */
    private void assertEveryBitFlipDetected(byte[] good) {
        decode(good);
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            int b = bit;
            assertThrows(CorruptChunkException.class, () -> decode(bad), "bit " + b + " seed=" + seed);
        }
    }

    @Test
    void checksumMismatchIsNamed() {
        Random rnd = new Random(seed);
        byte[] bad = chunk(rnd, 100);
        bad[bad.length / 2] ^= 0x10;
        CorruptChunkException e = assertThrows(CorruptChunkException.class, () -> decode(bad));
        assertTrue(e.getMessage().startsWith("checksum mismatch: expected=0x"), e.getMessage());
    }

    @Test
    void truncationIsDetected() {
        Random rnd = new Random(seed);
        byte[] good = chunk(rnd, 50);
        for (int len = 0; len < good.length; len++) {
            byte[] bad = Arrays.copyOf(good, len);
            assertThrows(CorruptChunkException.class, () -> decode(bad), "len " + len + " seed=" + seed);
        }
    }

    /** A chunk whose checksum is valid but whose header claims more samples than the payload holds. */
    @Test
    void inconsistentHeaderWithValidChecksumIsNamed() {
        long[] ts = new long[120];
        double[] v = new double[120];
        Random rnd = new Random(seed);
        for (int i = 0; i < 120; i++) {
            ts[i] = 1000L * i + (i % 7 == 3 ? 1 : 0);
            v[i] = rnd.nextGaussian();
        }
        ByteArrayBuilder out = new ByteArrayBuilder();
        new ChunkWriter().write(ts, v, 120, out);
        byte[] c = out.toByteArray();
        c[2] = (byte) 121; // version 2: head, codecs, count 120 -> 121 (fits the varint's byte)
        byte[] fixed = withCrc(c);
        CorruptChunkException e = assertThrows(CorruptChunkException.class, () -> decode(fixed));
        assertTrue(e.getMessage().contains("121") || e.getMessage().contains("last timestamp"), e.getMessage());
        c[0] = 0x12;
        byte[] badMagic = withCrc(c);
        e = assertThrows(CorruptChunkException.class, () -> decode(badMagic));
        assertTrue(e.getMessage().startsWith("bad magic"), e.getMessage());
    }

    /** Version 2 stores ts-regular's step: a step that cannot hold the samples is named, and so is an unknown version 1 byte. */
    @Test
    void badRegularStepAndUnknownVersionAreNamed() {
        ByteArrayBuilder out = new ByteArrayBuilder();
        out.append(ChunkFormat.MAGIC_V2);
        out.append(RegularTimestampCodec.ID << 4 | ConstValueCodec.ID);
        out.appendUVarint(3);
        out.appendUVarint(Zigzag.encode(1_000));
        out.appendUVarint(0); // step 0 for 3 samples
        out.appendLong(Double.doubleToRawLongBits(1.5));
        out.appendInt(0);
        byte[] zeroStep = withCrc(out.toByteArray());
        CorruptChunkException e = assertThrows(CorruptChunkException.class, () -> decode(zeroStep));
        assertTrue(e.getMessage().contains("timestamp step 0 ms is not valid for 3 regular timestamps"), e.getMessage());
        out.reset();
        out.append(ChunkFormat.MAGIC_V2);
        out.append(RegularTimestampCodec.ID << 4 | ConstValueCodec.ID);
        out.appendUVarint(3);
        out.appendUVarint(Zigzag.encode(1_000));
        out.appendUVarint(Long.MAX_VALUE / 2 + 1); // step * 2 overflows
        out.appendLong(Double.doubleToRawLongBits(1.5));
        out.appendInt(0);
        byte[] hugeStep = withCrc(out.toByteArray());
        e = assertThrows(CorruptChunkException.class, () -> decode(hugeStep));
        assertTrue(e.getMessage().contains("is not valid for 3 regular timestamps"), e.getMessage());
        // the same samples written by the writer decode, with the step in 2 bytes where version 1 had a 4-byte span
        ByteArrayBuilder good = new ByteArrayBuilder();
        long[] ts = new long[240];
        double[] v = new double[240];
        for (int i = 0; i < 240; i++) ts[i] = 1_795_294_290_010L + 15_000L * i;
        new ChunkWriter().write(ts, v, 240, good);
        ChunkHeader h = ChunkHeader.read(good.array(), 0, good.length());
        assertTrue(h.lastTimestamp() == ts[239] && h.payloadOffset() == 1 + 1 + 2 + 6 + 2, h.toString());
        byte[] v1 = {ChunkFormat.MAGIC, 7, RegularTimestampCodec.ID << 4 | ConstValueCodec.ID, 1, 0, 0, 0, 0, 0, 0};
        e = assertThrows(CorruptChunkException.class, () -> decode(withCrc(v1)));
        assertTrue(e.getMessage().startsWith("unsupported chunk version 7"), e.getMessage());
    }

    private static byte[] withCrc(byte[] c) {
        byte[] r = c.clone();
        CRC32C crc = new CRC32C();
        crc.update(r, 0, r.length - 4);
        int v = (int) crc.getValue();
        r[r.length - 4] = (byte) (v >>> 24);
        r[r.length - 3] = (byte) (v >>> 16);
        r[r.length - 2] = (byte) (v >>> 8);
        r[r.length - 1] = (byte) v;
        return r;
    }

    /** A ts-dod payload whose timestamps go backwards but end at the header's last timestamp, with a valid CRC. */
    @Test
    void nonIncreasingDodTimestampsAreNamed() {
        long[] ts = {1_000, 1_010, 1_005, 1_020};
        ByteArrayBuilder tsBits = new ByteArrayBuilder();
        BitWriter w = new BitWriter().reset(tsBits);
        new DodTimestampCodec().encode(ts, ts.length, w); // the codec encodes any sequence; the writer rejects these
        w.finish();
        ByteArrayBuilder out = new ByteArrayBuilder();
        out.append(ChunkFormat.MAGIC);
        out.append(ChunkFormat.VERSION_1);
        out.append(DodTimestampCodec.ID << 4 | ConstValueCodec.ID);
        out.appendUVarint(ts.length);
        out.appendUVarint(Zigzag.encode(ts[0]));
        out.appendUVarint(ts[3] - ts[0]);
        out.append(tsBits);
        out.appendLong(Double.doubleToRawLongBits(1.5));
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.length());
        out.appendInt((int) crc.getValue());
        byte[] c = out.toByteArray();
        CorruptChunkException e = assertThrows(CorruptChunkException.class, () -> decode(c));
        assertTrue(e.getMessage().contains("ts-dod: timestamps not increasing at sample 2"), e.getMessage());
    }
}

package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Chunks written before ts-step-runs, decimal-ulp, decimal-patched and the version 2 header existed
 * (all version 1) stay readable: the bytes below are
 * what the previous ChunkWriter (main at 8450ff2) wrote for {@link #timestamps()} and
 * {@link #values()} (1 s scrapes with two late samples: ts-dod; a float-accumulated counter:
 * gorilla-xor). Today's writer codes the same samples ts-step-runs + decimal-ulp, smaller.
 */
class OldChunkReadTest {
    private static final String TS_DOD_GORILLA_XOR = "53012178fc8387febf68d8a107e03e800000000103bd40c00000000000083dca0e00000000407de40e1f7d73c9e9660256ce0d7af3afab5ec21914eec3f579cd6a540e03f5e00827cce76dbcd8eb5d3af955f27f109816f3aaa5512e80bbe95eac0c880349e37fc35219abb8586de809d5afec54145d871b5a771fd30a7dcb09ac3233542f82fbada68f8645b304b3fa067861f95775964aeb0b3cba602deec10ed3e973c391de803560296c24b492f31cb5012942a04927c08495d00d0533b62552bfbfe41e731b1528c1007f040c025d42973d163ebbd02f5017ab6a54744f0297f03d01ee0f50c07942fb8a8fa86d3030ecde52c0741e20d7384349bf1ff6f41af4688c0dedc2e0dae383c4ad592c865034c94103d2d2028a41aa13cd43dbb912a755181724c4a2f7e301f0905ee013200bc27d28bf3c186792477f0181780dc6c12631f0a91a93b38e047490ad173ec1a8ac46107e0812e58364b7330fdb10d65a69600fef5989cc9c113651eb9ae18150bc4bd4c473fb7d237064e205c718872c9dc02379d7ebe9680e8c8968add300dec0c2f19320018f0a5fa5a419b339838b8a86b73f484717303e39d63b65ea0b3de01d64f6c734d4bfa2e63807ae8900c56707136f9b90ade00bd0dfb3c4440a70ba3d3f0f8057c17b9abb10f7790fce876a09c6e9cbd24a40dc822b78331d1c7ffce11b32774ac001dc201b481fb000c5c9cea57b2c00172330dc705f00022476a002adc007d55290501cd0005adb35779b64003334dcfb4d0b00008cd5ec2fa2c00118f82c0e54100028b417097d9c00fbbc8f5c378d000101ce1491f6c001525679928ab00015416fc3263c0035bbbd624fcf000232139c58c6c001b133e18424300035affaf2e194007721392cacbd00062c7c96cbd040008d876fa5351000f34c33fcae44000d46778be9c3000072163fa2b7c0004bf9d203e570005e646e5a1c740007b2b966e06f007e60647afe5cc000b69dacecdf30000a32e5691a0c001ddfc38361d10002aedba3adce40039cb8df763dd00039aa365c6fb400147780e43497001c53255159e2c001d90167bdfeb000ca6458c8453c0009af6d2b2a7d00056c39aef6f8c0006fadad46345003e00c5abeedec00006a15070f090004ef1ffb37c440003f4895118cb0002e5469c91b74003c52b49fb2bd000175fc3a8f5e001535d6ad";

    /**
     * What main at 5f940d5 (before decimal-patched) wrote for {@link #gaugeTimestamps()} and
     * {@link #gauge()}: a noisy gauge with a drop every 37 samples, as decimal-blocks (337 bytes;
     * today's writer: decimal-patched, 299).
     */
    private static final String DECIMAL_BLOCKS = "53011478a08187febf68a8f96c0201bbeeae3c445e5e38a4bd51ab59891b8d0362798846748e5e6f3799ca6a7c4871931ca2740ce8248cd3e8f7e1a38d884543466accc15db27318dc90e50e3c3c5610ac260dde27baa25831a001324c00cd67003f23b94edc5e54bef8000c980017544012977006f7600110e10014bcc007c9e000940800fbc90069de000aa6723040fa8ab5fb259088c4020f750382998929e4652ec80351d9d0167ed8f2c6b303d2e6800a3dc005cd7c0116680010ebc009c920026a240121e3005dc23950ff7e4e564001e520003d8ec005d29004e15801288d00003fc880fba6df4f2570cd2afb46bd9921b7269e4b79ab34a87502e3f98d75b4fca29b27b51a004a3b0019743001c41800926200253b80056450002b0801782b001ced80011e9004ede80062fb0032c67942865e54e7600115a3234f423b6bad035776c2a7cb4ba891e441a2a0a2";

    static long[] gaugeTimestamps() {
        long[] t = new long[120];
        for (int i = 0; i < 120; i++) t[i] = 1_795_294_290_000L + 15_000L * i;
        return t;
    }

    static double[] gauge() {
        double[] v = new double[120];
        Random r = new Random(7);
        for (int i = 0; i < 120; i++) v[i] = i % 37 == 36 ? 20_000_000 + r.nextInt(1000) : 50_000_000 + r.nextInt(1 << 16);
        return v;
    }

    static long[] timestamps() {
        long[] t = new long[120];
        for (int i = 0; i < 120; i++) t[i] = 1_795_294_290_174L + 1000L * i + (i == 37 ? 3 : i == 90 ? 7 : 0);
        return t;
    }

    static double[] values() {
        double[] v = new double[120];
        double sum = 478.089212;
        Random r = new Random(7);
        for (int i = 0; i < 120; i++) {
            sum += r.nextInt(1_000_000) / 1e6;
            v[i] = sum;
        }
        return v;
    }

    private static void assertSamples(byte[] chunk, int tsCodec, int valueCodec) {
        assertSamples(chunk, tsCodec, valueCodec, timestamps(), values());
    }

    private static void assertSamples(byte[] chunk, int tsCodec, int valueCodec, long[] wantTs, double[] want) {
        ChunkHeader h = ChunkHeader.read(chunk, 0, chunk.length);
        assertEquals(tsCodec, h.timestampCodec());
        assertEquals(valueCodec, h.valueCodec());
        long[] ts = new long[120];
        double[] v = new double[120];
        assertEquals(120, new ChunkReader().decode(chunk, 0, chunk.length, ts, v));
        for (int i = 0; i < 120; i++) {
            assertEquals(wantTs[i], ts[i], "timestamp " + i);
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(v[i]), "value " + i);
        }
    }

    @Test
    void aChunkOfThePreviousWriterReadsBack() {
        assertSamples(HexFormat.of().parseHex(TS_DOD_GORILLA_XOR), DodTimestampCodec.ID, XorValueCodec.ID);
    }

    @Test
    void aDecimalBlocksChunkOfTheWriterBeforeDecimalPatchedReadsBack() {
        assertSamples(HexFormat.of().parseHex(DECIMAL_BLOCKS), RegularTimestampCodec.ID, DecimalBlockValueCodec.ID, gaugeTimestamps(), gauge());
        ByteArrayBuilder out = new ByteArrayBuilder();
        new ChunkWriter().write(gaugeTimestamps(), gauge(), 120, out);
        byte[] now = out.toByteArray();
        assertSamples(now, RegularTimestampCodec.ID, DecimalBlockValueCodec.PATCHED_ID, gaugeTimestamps(), gauge());
        org.junit.jupiter.api.Assertions.assertTrue(now.length < DECIMAL_BLOCKS.length() / 2, now.length + " B now vs " + DECIMAL_BLOCKS.length() / 2 + " B before");
    }

    @Test
    void todaysWriterCodesTheSameSamplesWithTheNewCodecsInFewerBytes() {
        ByteArrayBuilder out = new ByteArrayBuilder();
        new ChunkWriter().write(timestamps(), values(), 120, out);
        byte[] now = out.toByteArray();
        assertSamples(now, StepRunsTimestampCodec.ID, DecimalUlpValueCodec.ID);
        int old = TS_DOD_GORILLA_XOR.length() / 2;
        org.junit.jupiter.api.Assertions.assertTrue(now.length * 2 < old, now.length + " B now vs " + old + " B before");
    }
}

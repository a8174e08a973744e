package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Whole chunks: header, codec choice, payload and checksum together. */
class ChunkRoundTripTest extends CodecRoundTripTestCase {
    private final ChunkWriter writer = new ChunkWriter();
    private final ChunkReader reader = new ChunkReader();

    @Override
    protected Decoded roundTrip(long[] ts, double[] values, int n) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        out.append(0x77); // chunks may live at an offset inside a larger buffer
        int len = writer.write(ts, values, n, out);
        assertEquals(out.length() - 1, len);
        long[] t = new long[n];
        double[] v = new double[n];
        assertEquals(n, reader.decode(out.array(), 1, len, t, v), "seed=" + seed);
        ChunkHeader h = ChunkHeader.read(out.array(), 1, len);
        assertEquals(ts[0], h.firstTimestamp());
        assertEquals(ts[n - 1], h.lastTimestamp());
        return new Decoded(t, v);
    }

    @Override protected boolean mustAccept(Kind kind, boolean regular) { return true; }
}

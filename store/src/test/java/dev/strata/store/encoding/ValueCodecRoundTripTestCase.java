package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Round-trips values through one {@link ValueCodec}; the bit stream must be consumed exactly. */
abstract class ValueCodecRoundTripTestCase extends CodecRoundTripTestCase {
    protected abstract ValueCodec codec();

    @Override
    protected Decoded roundTrip(long[] ts, double[] values, int n) {
        ValueCodec c = codec();
        ByteArrayBuilder buf = new ByteArrayBuilder();
        BitWriter w = new BitWriter().reset(buf);
        if (!c.encode(values, n, w)) return null;
        long written = w.bitsWritten();
        w.finish();
        BitReader r = new BitReader().reset(buf.array(), 0, buf.length());
        double[] out = new double[n];
        codec().decode(r, n, out);
        assertFalse(r.overrun(), "overrun seed=" + seed);
        assertEquals(written, r.bitsRead(), "bits consumed seed=" + seed);
        return new Decoded(ts, out);
    }
}

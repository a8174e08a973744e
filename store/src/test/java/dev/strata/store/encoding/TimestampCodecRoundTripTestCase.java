package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Round-trips timestamps through one {@link TimestampCodec}; values pass through untouched. */
abstract class TimestampCodecRoundTripTestCase extends CodecRoundTripTestCase {
    protected abstract TimestampCodec codec();

    @Override
    protected Decoded roundTrip(long[] ts, double[] values, int n) {
        ByteArrayBuilder buf = new ByteArrayBuilder();
        BitWriter w = new BitWriter().reset(buf);
        if (!codec().encode(ts, n, w)) return null;
        long written = w.bitsWritten();
        w.finish();
        BitReader r = new BitReader().reset(buf.array(), 0, buf.length());
        long[] out = new long[n];
        codec().decode(r, ts[0], ts[n - 1], n, out);
        assertFalse(r.overrun(), "overrun seed=" + seed);
        assertEquals(written, r.bitsRead(), "bits consumed seed=" + seed);
        return new Decoded(out, values);
    }
}

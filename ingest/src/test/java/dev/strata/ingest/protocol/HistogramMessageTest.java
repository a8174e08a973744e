package dev.strata.ingest.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import org.junit.jupiter.api.Test;

/** Native histograms in remote write 1.0 and 2.0: integer and float, NHCB, reset hints, start timestamps, shape errors. */
class HistogramMessageTest {
    static long zz(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static TestProto span(int offset, int length) {
        return new TestProto().int64(1, zz(offset)).int64(2, length);
    }

    static TestProto packedSint(long... v) {
        TestProto p = new TestProto();
        for (long x : v) p.varint(zz(x));
        return p;
    }

    /** An integer histogram: schema 3, zero bucket, positive buckets 2,3 (deltas 2,+1) at 0..1, 5 at index 4, a negative bucket. */
    static TestProto integerHistogram(long ts, int hint) {
        return new TestProto().int64(1, 12).doubleField(3, 4.5).int64(4, zz(3)).doubleField(5, 1e-9).int64(6, 1)
                .message(8, span(-2, 1)).bytes(9, packedSint(1).toBytes())
                .message(11, span(0, 2)).message(11, span(2, 1)).bytes(12, packedSint(2, 1, 2).toBytes())
                .int64(14, hint).int64(15, ts);
    }

    static final FloatHistogram INTEGER_EXPECTED = new FloatHistogram(ResetHint.NO, 3, 1e-9, 1, 12, 4.5,
            new int[] {0, 2}, new int[] {2, 1}, new double[] {2, 3, 5}, new int[] {-2}, new int[] {1}, new double[] {1}, null);

    static TestProto floatNhcb(long ts) {
        byte[] c = doubles(0.5, 1.5, 2);
        byte[] b = doubles(0.1, 1);
        return new TestProto().doubleField(2, 4.5).doubleField(3, 2.25).int64(4, zz(-53)).doubleField(7, 0)
                .message(11, span(0, 3)).bytes(13, c).int64(14, 3).int64(15, ts).bytes(16, b);
    }

    static final FloatHistogram NHCB_EXPECTED = new FloatHistogram(ResetHint.GAUGE, -53, 0, 0, 4.5, 2.25,
            new int[] {0}, new int[] {3}, new double[] {0.5, 1.5, 2}, null, null, null, new double[] {0.1, 1});

    static byte[] doubles(double... v) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double x : v) bb.putDouble(x);
        return bb.array();
    }

    @Test
    void remoteWrite1IntegerAndFloatHistogramsMixedWithFloats() {
        byte[] raw = new TestProto().message(1, new TestProto()
                .message(1, TestProto.label("__name__", "h"))
                .message(2, TestProto.sample(7, 500))
                .message(4, integerHistogram(1000, 2))
                .message(4, floatNhcb(2000))).toBytes();
        WriteBatch b = new WriteBatch();
        RemoteWrite1Decoder.decode(raw, 0, raw.length, b);
        assertEquals(3, b.sampleCount(0));
        assertEquals(2, b.totalHistograms());
        assertNull(b.histogram(0));
        assertEquals(7.0, b.value(0));
        assertEquals(INTEGER_EXPECTED, b.histogram(1));
        assertEquals(1000L, b.timestamp(1));
        assertEquals(NHCB_EXPECTED, b.histogram(2));
        assertEquals(2000L, b.timestamp(2));
    }

    @Test
    void remoteWrite2HistogramsWithStartTimestamps() {
        TestProto req = new TestProto();
        for (String s : new String[] {"", "__name__", "h"}) req.string(4, s);
        req.message(5, new TestProto().bytes(1, RemoteWrite2DecoderTest.packedRefs(1, 2).toBytes())
                .message(3, integerHistogram(1000, 2).int64(17, 900))
                .message(3, floatNhcb(2000))
                .int64(6, 100));
        byte[] raw = req.toBytes();
        WriteBatch b = new WriteBatch();
        RemoteWrite2Decoder.decode(raw, 0, raw.length, b);
        assertEquals(2, b.totalHistograms());
        assertEquals(INTEGER_EXPECTED, b.histogram(0));
        assertEquals(900L, b.startTimestamp(0), "the histogram's own start timestamp");
        assertEquals(NHCB_EXPECTED, b.histogram(1));
        assertEquals(100L, b.startTimestamp(1), "else the series' created timestamp");
    }

    @Test
    void badShapesAreMalformedNamingTheProblem() {
        assertMalformed(new TestProto().int64(1, 2).int64(4, zz(9)).int64(15, 1), "schema 9 out of range");
        assertMalformed(new TestProto().int64(1, 2).message(11, span(0, 3)).bytes(12, packedSint(1, 1).toBytes()), "spans need 3 buckets but 2 were given");
        assertMalformed(new TestProto().int64(1, 2).int64(4, zz(2)).bytes(16, doubles(1)), "custom bucket bounds are only allowed with schema -53");
        assertMalformed(new TestProto().int64(1, 2).int64(14, 7), "unknown histogram reset hint 7");
        assertMalformed(new TestProto().int64(1, 2).message(11, span(0, 1)).bytes(13, doubles(1)), "an integer histogram has float bucket counts");
    }

    private static void assertMalformed(TestProto h, String expected) {
        byte[] raw = new TestProto().message(1, new TestProto().message(1, TestProto.label("__name__", "h")).message(4, h)).toBytes();
        MalformedRequestException e = assertThrows(MalformedRequestException.class, () -> RemoteWrite1Decoder.decode(raw, 0, raw.length, new WriteBatch()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("timeseries[0] histogram"), e.getMessage());
    }
}

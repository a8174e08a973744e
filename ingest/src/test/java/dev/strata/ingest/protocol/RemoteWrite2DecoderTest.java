package dev.strata.ingest.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RemoteWrite2DecoderTest {

    static TestProto packedRefs(int... refs) {
        TestProto p = new TestProto();
        for (int r : refs) p.varint(r);
        return p;
    }

    @Test
    void decodesSymbolsRefsSamplesAndIgnoresHistogramsAndExemplars() {
        // symbols: 0 "", 1 "__name__", 2 "http_requests_total", 3 "code", 4 "200", 5 "job", 6 "api"
        TestProto req = new TestProto();
        for (String s : new String[] {"", "__name__", "http_requests_total", "code", "200", "job", "api"}) req.string(4, s);
        req.message(5, new TestProto()
                .bytes(1, packedRefs(1, 2, 3, 4, 5, 6).toBytes())
                .message(2, TestProto.sample(7, 1000))
                .message(2, TestProto.sample(8, 2000))
                .message(4, new TestProto().doubleField(2, 1))
                .message(5, new TestProto().int64(1, 1))
                .int64(6, 500));
        // unpacked refs and a histogram-only series
        req.message(5, new TestProto().int64(1, 1).int64(1, 2).int64(1, 5).int64(1, 6)
                .message(3, new TestProto().int64(1, 1)));
        byte[] raw = req.toBytes();
        WriteBatch b = new WriteBatch();
        RemoteWrite2Decoder.decode(raw, 0, raw.length, b);
        assertEquals(2, b.seriesCount());
        assertEquals("{__name__=\"http_requests_total\", code=\"200\", job=\"api\"}", b.describe(0));
        assertEquals(2, b.sampleCount(0));
        assertEquals(2000L, b.timestamp(b.sampleStart(0) + 1));
        assertEquals(8.0, b.value(b.sampleStart(0) + 1));
        assertEquals(1, b.sampleCount(1), "the histogram-only series has its histogram");
        assertEquals(1, b.totalHistograms());
        assertEquals(1.0, b.histogram(b.sampleStart(1)).count());
        assertEquals(1, b.exemplarsIgnored());
    }

    @Test
    void startTimestampsComeFromTheSampleOrElseTheSeriesCreatedTimestamp() {
        TestProto req = new TestProto();
        for (String s : new String[] {"", "__name__", "a_total", "b_total", "c_total"}) req.string(4, s);
        // a: created_timestamp only; b: one sample with its own start_timestamp overriding it; c: neither
        req.message(5, new TestProto().bytes(1, packedRefs(1, 2).toBytes())
                .message(2, TestProto.sample(1, 1000)).message(2, TestProto.sample(2, 2000)).int64(6, 400));
        req.message(5, new TestProto().int64(6, 400).bytes(1, packedRefs(1, 3).toBytes())
                .message(2, TestProto.sample(1, 1000).int64(3, 990)).message(2, TestProto.sample(2, 2000)));
        req.message(5, new TestProto().bytes(1, packedRefs(1, 4).toBytes()).message(2, TestProto.sample(5, 3000)));
        byte[] raw = req.toBytes();
        WriteBatch b = new WriteBatch();
        RemoteWrite2Decoder.decode(raw, 0, raw.length, b);
        assertTrue(b.hasStartTimestamps());
        assertEquals(400, b.startTimestamp(b.sampleStart(0)));
        assertEquals(400, b.startTimestamp(b.sampleStart(0) + 1));
        assertEquals(990, b.startTimestamp(b.sampleStart(1)));
        assertEquals(400, b.startTimestamp(b.sampleStart(1) + 1));
        assertEquals(0, b.startTimestamp(b.sampleStart(2)));
        // a batch without any start timestamp reports none
        byte[] plain = new TestProto().string(4, "").string(4, "__name__").string(4, "up")
                .message(5, new TestProto().bytes(1, packedRefs(1, 2).toBytes()).message(2, TestProto.sample(1, 1))).toBytes();
        RemoteWrite2Decoder.decode(plain, 0, plain.length, b);
        assertEquals(false, b.hasStartTimestamps());
        assertEquals(0, b.startTimestamp(0));
    }

    @Test
    void timeseriesBeforeSymbolsStillDecodes() {
        TestProto req = new TestProto()
                .message(5, new TestProto().bytes(1, packedRefs(1, 2).toBytes()).message(2, TestProto.sample(1, 1)))
                .string(4, "").string(4, "__name__").string(4, "up");
        byte[] raw = req.toBytes();
        WriteBatch b = new WriteBatch();
        RemoteWrite2Decoder.decode(raw, 0, raw.length, b);
        assertEquals("{__name__=\"up\"}", b.describe(0));
    }

    @Test
    void badRefsAreMalformed() {
        byte[] outOfRange = new TestProto().string(4, "").string(4, "a")
                .message(5, new TestProto().bytes(1, packedRefs(1, 9).toBytes())).toBytes();
        MalformedRequestException e = assertThrows(MalformedRequestException.class,
                () -> RemoteWrite2Decoder.decode(outOfRange, 0, outOfRange.length, new WriteBatch()));
        assertTrue(e.getMessage().contains("outside the symbols table"), e.getMessage());
        byte[] odd = new TestProto().string(4, "").string(4, "a")
                .message(5, new TestProto().bytes(1, packedRefs(1).toBytes())).toBytes();
        e = assertThrows(MalformedRequestException.class, () -> RemoteWrite2Decoder.decode(odd, 0, odd.length, new WriteBatch()));
        assertTrue(e.getMessage().contains("odd"), e.getMessage());
    }
}

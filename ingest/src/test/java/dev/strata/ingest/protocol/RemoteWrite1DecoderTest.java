package dev.strata.ingest.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RemoteWrite1DecoderTest {

    /** {__name__="up", job="x"} 1.0 @1000, encoded by hand from the proto definition. */
    static final String HAND_ENCODED = "0a28"                       // WriteRequest.timeseries, 40 bytes
            + "0a0e" + "0a08" + "5f5f6e616d655f5f" + "1202" + "7570"   // Label{__name__, up}
            + "0a08" + "0a03" + "6a6f62" + "1201" + "78"               // Label{job, x}
            + "120c" + "09" + "000000000000f03f" + "10e807";           // Sample{1.0, 1000}

    @Test
    void decodesAByteExactHandEncodedRequest() {
        byte[] raw = HexFormat.of().parseHex(HAND_ENCODED);
        byte[] viaEncoder = new TestProto().message(1, new TestProto()
                .message(1, TestProto.label("__name__", "up"))
                .message(1, TestProto.label("job", "x"))
                .message(2, TestProto.sample(1.0, 1000))).toBytes();
        assertEquals(HAND_ENCODED, HexFormat.of().formatHex(viaEncoder), "test encoder agrees with the hand encoding");

        WriteBatch b = new WriteBatch();
        RemoteWrite1Decoder.decode(raw, 0, raw.length, b);
        assertEquals(1, b.seriesCount());
        assertEquals("{__name__=\"up\", job=\"x\"}", b.describe(0));
        assertEquals(1, b.sampleCount(0));
        assertEquals(1000L, b.timestamp(0));
        assertEquals(1.0, b.value(0));
    }

    @Test
    void sortsLabelsDropsEmptyValuesAndCountsIgnoredParts() {
        byte[] raw = new TestProto()
                .message(1, new TestProto()
                        .message(1, TestProto.label("zone", "a"))
                        .message(2, TestProto.sample(2.5, 20))
                        .message(1, TestProto.label("__name__", "m"))
                        .message(1, TestProto.label("empty", ""))
                        .message(2, TestProto.sample(-1, 10))
                        .message(3, new TestProto().doubleField(2, 1))     // exemplar
                        .message(4, new TestProto().int64(1, 3).int64(15, 30)))  // native histogram: count_int 3 @30
                .message(1, new TestProto()
                        .message(1, TestProto.label("__name__", "n"))
                        .message(2, new TestProto()))                       // sample with proto3 defaults
                .message(3, new TestProto().string(2, "m"))                 // metadata, skipped
                .string(99, "unknown field, skipped")
                .toBytes();
        WriteBatch b = new WriteBatch();
        RemoteWrite1Decoder.decode(raw, 0, raw.length, b);
        assertEquals(2, b.seriesCount());
        assertEquals("{__name__=\"m\", zone=\"a\"}", b.describe(0));
        assertEquals(3, b.sampleCount(0), "two floats and a native histogram");
        assertEquals(1, b.totalHistograms());
        assertEquals(3.0, b.histogram(b.sampleStart(0) + 2).count());
        assertEquals(30L, b.timestamp(b.sampleStart(0) + 2));
        assertEquals(20L, b.timestamp(b.sampleStart(0)));
        assertEquals(10L, b.timestamp(b.sampleStart(0) + 1), "order within a series is kept as sent");
        assertEquals(0L, b.timestamp(b.sampleStart(1)));
        assertEquals(0.0, b.value(b.sampleStart(1)));
        assertEquals(1, b.exemplarsIgnored());
    }

    @Test
    void truncatedOrOverlongInputIsMalformed() {
        byte[] raw = HexFormat.of().parseHex(HAND_ENCODED);
        for (int cut = 1; cut < raw.length; cut++) {
            final int n = cut;
            assertThrows(MalformedRequestException.class, () -> RemoteWrite1Decoder.decode(raw, 0, n, new WriteBatch()),
                    "cut at " + n);
        }
        byte[] badWire = HexFormat.of().parseHex("0f");  // field 1, wire type 7
        MalformedRequestException e = assertThrows(MalformedRequestException.class,
                () -> RemoteWrite1Decoder.decode(badWire, 0, 1, new WriteBatch()));
        assertTrue(e.getMessage().contains("wire type"), e.getMessage());
    }

    @Test
    void snappyRoundTripAndLimit() {
        byte[] raw = HexFormat.of().parseHex(HAND_ENCODED);
        byte[] c = SnappyBlock.compress(raw, 0, raw.length);
        byte[] d = SnappyBlock.decompress(c, 0, c.length, 1 << 20);
        assertEquals(HAND_ENCODED, HexFormat.of().formatHex(d));
        assertThrows(MalformedRequestException.class, () -> SnappyBlock.decompress(c, 0, c.length, 10));
        assertThrows(MalformedRequestException.class, () -> SnappyBlock.decompress(new byte[] {(byte) 0xff, 1, 2}, 0, 3, 1 << 20));
    }
}

package dev.strata.ingest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.ingest.protocol.RemoteWrite1Decoder;
import dev.strata.ingest.protocol.TestProto;
import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.store.model.Labels;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteWriteRequestEncoderTest {
    @Test
    void matchesTheIndependentTestEncoderByteForByte() {
        List<Labels> series = List.of(Labels.of("__name__", "up", "job", "x"), Labels.of("__name__", "é", "a", "\uD83D\uDE00"));
        byte[] got = new RemoteWriteRequestEncoder().encode(series, new double[] {1.5, -2}, 0, 2, 1_700_000_000_000L);
        TestProto expected = new TestProto();
        double[] v = {1.5, -2};
        for (int i = 0; i < 2; i++) {
            TestProto ts = new TestProto();
            Labels l = series.get(i);
            for (int k = 0; k < l.size(); k++) ts.message(1, TestProto.label(l.name(k), l.value(k)));
            ts.message(2, TestProto.sample(v[i], 1_700_000_000_000L));
            expected.message(1, ts);
        }
        assertEquals(HexFormat.of().formatHex(expected.toBytes()), HexFormat.of().formatHex(got));
    }

    @Test
    void seriesWithManySamplesMatchTheIndependentTestEncoder() {
        Labels a = Labels.of("__name__", "up", "job", "x"), b = Labels.of("__name__", "y");
        long[] ts = {1_700_000_000_000L, 1_700_000_015_000L, 5};
        double[] v = {1.5, Double.NaN, -0.0};
        RemoteWriteRequestEncoder enc = new RemoteWriteRequestEncoder();
        enc.add(b, ts, v, 0, 3); // dropped by begin()
        enc.begin();
        enc.add(a, ts, v, 0, 2);
        enc.add(b, ts, v, 2, 3);
        byte[] got = enc.finish();
        TestProto expected = new TestProto();
        TestProto first = new TestProto();
        for (int k = 0; k < a.size(); k++) first.message(1, TestProto.label(a.name(k), a.value(k)));
        first.message(2, TestProto.sample(1.5, ts[0]));
        first.message(2, TestProto.sample(Double.NaN, ts[1]));
        expected.message(1, first);
        TestProto second = new TestProto();
        second.message(1, TestProto.label("__name__", "y"));
        second.message(2, TestProto.sample(-0.0, 5));
        expected.message(1, second);
        assertEquals(HexFormat.of().formatHex(expected.toBytes()), HexFormat.of().formatHex(got));
    }

    @Test
    void workloadRoundTripsThroughTheDecoder() {
        NodeExporterWorkload w = new NodeExporterWorkload(3, 4, 7);
        assertEquals(3 * (4 * 8 + 10 + 20 + 24 + 12 + 12), w.size());
        double[] values = w.advance();
        byte[] raw = new RemoteWriteRequestEncoder().encode(w.series(), values, 0, w.size(), 1000);
        WriteBatch b = new WriteBatch();
        RemoteWrite1Decoder.decode(raw, 0, raw.length, b);
        assertEquals(w.size(), b.seriesCount());
        for (int s = 0; s < w.size(); s++) {
            assertEquals(values[s], b.value(b.sampleStart(s)));
            assertEquals(w.series().get(s).size(), b.labelCount(s));
        }
    }
}

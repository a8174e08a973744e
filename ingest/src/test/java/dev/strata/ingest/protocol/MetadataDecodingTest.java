package dev.strata.ingest.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.MetricMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metric metadata out of remote write 1.0 ({@code WriteRequest.metadata}) and 2.0 (per-series {@code Metadata}). */
class MetadataDecodingTest {

    /** RW1 MetricMetadata { type = 1; metric_family_name = 2; help = 4; unit = 5 }. */
    private static TestProto rw1Metadata(int type, String name, String help, String unit) {
        return new TestProto().int64(1, type).string(2, name).string(4, help).string(5, unit);
    }

    @Test
    void remoteWrite1MetadataOnlyRequest() {
        // what Prometheus's metadata watcher sends: no series, only metadata (field 3)
        TestProto req = new TestProto()
                .message(3, rw1Metadata(1, "http_requests_total", "Requests served.", ""))
                .message(3, rw1Metadata(3, "http_request_duration_seconds", "Latency \"quoted\", ü.", "seconds"))
                .message(3, rw1Metadata(7, "feature_state", "", ""))
                .message(3, rw1Metadata(42, "future_type", "an enum value newer than this decoder", ""))
                .message(3, new TestProto().string(2, "no_type_given"));
        byte[] raw = req.toBytes();
        WriteBatch b = new WriteBatch();
        RemoteWrite1Decoder.decode(raw, 0, raw.length, b);
        assertEquals(0, b.seriesCount());
        assertEquals(List.of(
                new MetricMetadata("http_requests_total", "counter", "", "Requests served."),
                new MetricMetadata("http_request_duration_seconds", "histogram", "seconds", "Latency \"quoted\", ü."),
                new MetricMetadata("feature_state", "stateset", "", ""),
                new MetricMetadata("future_type", "unknown", "", "an enum value newer than this decoder"),
                new MetricMetadata("no_type_given", "unknown", "", "")), b.metadata());
    }

    @Test
    void remoteWrite1MetadataBesideSeriesAndEveryTypeNumber() {
        TestProto req = new TestProto().message(1, new TestProto().message(1, TestProto.label("__name__", "up"))
                .message(2, TestProto.sample(1, 1000)));
        for (int t = 0; t < MetricMetadata.TYPES.size(); t++) req.message(3, rw1Metadata(t, "m" + t, "h", "u"));
        byte[] raw = req.toBytes();
        WriteBatch b = new WriteBatch();
        RemoteWrite1Decoder.decode(raw, 0, raw.length, b);
        assertEquals(1, b.seriesCount());
        assertEquals(MetricMetadata.TYPES.size(), b.metadata().size());
        for (int t = 0; t < MetricMetadata.TYPES.size(); t++) assertEquals(MetricMetadata.TYPES.get(t), b.metadata().get(t).type());
        // a batch reused for another request starts without the old metadata
        byte[] none = new TestProto().message(1, new TestProto().message(1, TestProto.label("__name__", "up"))
                .message(2, TestProto.sample(1, 1000))).toBytes();
        RemoteWrite1Decoder.decode(none, 0, none.length, b);
        assertTrue(b.metadata().isEmpty());
    }

    @Test
    void remoteWrite1MetadataWithoutANameIsRefused() {
        byte[] raw = new TestProto().message(3, rw1Metadata(1, "", "help", "")).toBytes();
        MalformedRequestException e = assertThrows(MalformedRequestException.class,
                () -> RemoteWrite1Decoder.decode(raw, 0, raw.length, new WriteBatch()));
        assertEquals("metadata[0] has no metric_family_name", e.getMessage());
        byte[] overrun = new TestProto().bytes(3, new byte[] {0x12, 0x10, 'a'}).toBytes();
        assertThrows(MalformedRequestException.class, () -> RemoteWrite1Decoder.decode(overrun, 0, overrun.length, new WriteBatch()));
    }

    @Test
    void remoteWrite2MetadataBelongsToTheSeriesName() {
        // symbols: 0 "", 1 "__name__", 2 "rpc_seconds_bucket", 3 "le", 4 "0.5", 5 "Latency.", 6 "seconds", 7 "job", 8 "a"
        TestProto req = new TestProto();
        for (String s : new String[] {"", "__name__", "rpc_seconds_bucket", "le", "0.5", "Latency.", "seconds", "job", "a"}) req.string(4, s);
        // Metadata { type = 1; help_ref = 3; unit_ref = 4 }, before the labels (field order must not matter)
        req.message(5, new TestProto().message(5, new TestProto().int64(1, 3).int64(3, 5).int64(4, 6))
                .bytes(1, RemoteWrite2DecoderTest.packedRefs(1, 2, 3, 4).toBytes()).message(2, TestProto.sample(1, 1000)));
        // metadata that says nothing (unspecified type, no refs) is no entry
        req.message(5, new TestProto().bytes(1, RemoteWrite2DecoderTest.packedRefs(1, 2, 3, 0).toBytes())
                .message(5, new TestProto().int64(1, 0)).message(2, TestProto.sample(1, 1000)));
        // a series without a name has no metric to describe
        req.message(5, new TestProto().bytes(1, RemoteWrite2DecoderTest.packedRefs(7, 8).toBytes())
                .message(5, new TestProto().int64(1, 2)).message(2, TestProto.sample(1, 1000)));
        // a gauge with only a type
        req.message(5, new TestProto().bytes(1, RemoteWrite2DecoderTest.packedRefs(1, 8).toBytes())
                .message(5, new TestProto().int64(1, 2)).message(2, TestProto.sample(1, 1000)));
        byte[] raw = req.toBytes();
        WriteBatch b = new WriteBatch();
        RemoteWrite2Decoder.decode(raw, 0, raw.length, b);
        assertEquals(4, b.seriesCount());
        assertEquals(List.of(new MetricMetadata("rpc_seconds_bucket", "histogram", "seconds", "Latency."),
                new MetricMetadata("a", "gauge", "", "")), b.metadata());
    }

    @Test
    void remoteWrite2MetadataRefsOutsideTheSymbolsAreRefused() {
        TestProto req = new TestProto();
        for (String s : new String[] {"", "__name__", "x"}) req.string(4, s);
        req.message(5, new TestProto().bytes(1, RemoteWrite2DecoderTest.packedRefs(1, 2).toBytes())
                .message(5, new TestProto().int64(1, 1).int64(3, 9)).message(2, TestProto.sample(1, 1000)));
        byte[] raw = req.toBytes();
        MalformedRequestException e = assertThrows(MalformedRequestException.class,
                () -> RemoteWrite2Decoder.decode(raw, 0, raw.length, new WriteBatch()));
        assertTrue(e.getMessage().contains("outside the symbols table"), e.getMessage());
    }

    @Test
    void metadataEntriesAreLimitedLikeSeries() {
        TestProto req = new TestProto();
        for (int i = 0; i < 4; i++) req.message(3, rw1Metadata(1, "m" + i, "", ""));
        byte[] raw = req.toBytes();
        WriteBatch b = new WriteBatch(new DecodeLimits(10, 3, 100));
        RequestTooLargeException e = assertThrows(RequestTooLargeException.class, () -> RemoteWrite1Decoder.decode(raw, 0, raw.length, b));
        assertEquals("the request has more than 3 metadata entries (the limit per request, that of series); send smaller requests",
                e.getMessage());
    }
}

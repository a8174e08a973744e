package dev.strata.ingest.gateway;

import dev.strata.ingest.protocol.DecodeLimits;
import static dev.strata.ingest.gateway.GatewayTestSupport.NOW;
import static dev.strata.ingest.gateway.GatewayTestSupport.gateway;
import static dev.strata.ingest.gateway.GatewayTestSupport.post;
import static dev.strata.ingest.gateway.GatewayTestSupport.producer;
import static dev.strata.ingest.gateway.GatewayTestSupport.rw1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.protocol.TestProto;
import dev.strata.ingest.record.ShardRecordReader;
import dev.strata.store.sharding.ShardMapper;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class RemoteWriteHandlerTest {
    final ShardMapper mapper = ShardMapper.byMetricName(8, 3);

    RemoteWriteHandler handler(MockProducer<byte[], byte[]> p) {
        return new RemoteWriteHandler(gateway(p, mapper, GatewayConfig.defaults("ingest")), Runnable::run, 1 << 20, 8 << 20, DecodeLimits.NONE);
    }

    static FullHttpResponse get(CompletableFuture<FullHttpResponse> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    static String body(FullHttpResponse r) {
        return r.content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void acceptedRequestIsSplitIntoOneRecordPerShardWithAllSamples() throws Exception {
        MockProducer<byte[], byte[]> p = producer(true);
        FullHttpResponse r = get(handler(p).handle(post("/api/v1/write", "application/x-protobuf", rw1("up", 200, NOW), true)));
        assertEquals(204, r.status().code(), body(r));
        assertNull(r.headers().get(RemoteWriteHandler.SAMPLES_WRITTEN), "1.0 responses carry no 2.0 headers");
        Map<Integer, Integer> recordsPerShard = new HashMap<>();
        int samples = 0;
        ShardRecordReader reader = new ShardRecordReader();
        for (ProducerRecord<byte[], byte[]> rec : p.history()) {
            assertEquals("ingest", rec.topic());
            recordsPerShard.merge(rec.partition(), 1, Integer::sum);
            reader.reset(rec.value(), 0, rec.value().length);
            assertEquals(rec.partition().intValue(), reader.shard());
            while (reader.nextSeries()) {
                assertEquals(rec.partition().intValue(), mapper.shard(reader.labels()), "series in its own shard");
                while (reader.nextSample()) {
                    assertEquals(NOW, reader.timestamp());
                    samples++;
                }
            }
        }
        assertEquals(200, samples);
        assertEquals(8, recordsPerShard.size(), "200 series of one metric with spread 3 cover all 8 shards");
        recordsPerShard.values().forEach(c -> assertEquals(1, c, "one record per shard"));
    }

    @Test
    void remoteWrite2AnswersWithTheWrittenHeaders() throws Exception {
        TestProto req = new TestProto().string(4, "").string(4, "__name__").string(4, "up").string(4, "job").string(4, "a");
        req.message(5, new TestProto().bytes(1, new TestProto().varint(1).varint(2).varint(3).varint(4).toBytes())
                .message(2, TestProto.sample(1, NOW)).message(2, TestProto.sample(2, NOW + 1000)));
        req.message(5, new TestProto().bytes(1, new TestProto().varint(1).varint(2).toBytes())
                .message(3, new TestProto().int64(1, 1).int64(6, 1).int64(15, NOW)));   // a native histogram: count 1, in the zero bucket
        MockProducer<byte[], byte[]> p = producer(true);
        FullHttpResponse r = get(handler(p).handle(post("/api/v1/write",
                "application/x-protobuf;proto=io.prometheus.write.v2.Request", req.toBytes(), true)));
        assertEquals(204, r.status().code(), body(r));
        assertEquals("2", r.headers().get(RemoteWriteHandler.SAMPLES_WRITTEN));
        assertEquals("1", r.headers().get(RemoteWriteHandler.HISTOGRAMS_WRITTEN));
        assertEquals("0", r.headers().get(RemoteWriteHandler.EXEMPLARS_WRITTEN));
        int histograms = 0;
        ShardRecordReader reader = new ShardRecordReader();
        for (var rec : p.history()) {
            reader.reset(rec.value(), 0, rec.value().length);
            while (reader.nextSeries()) {
                while (reader.nextSample()) {
                    if (reader.histogram() != null) {
                        histograms++;
                        assertEquals(1.0, reader.histogram().zeroCount());
                    }
                }
            }
        }
        assertEquals(1, histograms, "the histogram went to Kafka");
    }

    @Test
    void anInvalidNativeHistogramIs400AndNothingIsWritten() throws Exception {
        TestProto req = new TestProto().string(4, "").string(4, "__name__").string(4, "h");
        // count 1 but a bucket holding 5: the count is below the sum of the buckets
        req.message(5, new TestProto().bytes(1, new TestProto().varint(1).varint(2).toBytes())
                .message(3, new TestProto().int64(1, 1).message(11, new TestProto().int64(1, 0).int64(2, 1))
                        .bytes(12, new TestProto().varint(10).toBytes()).int64(15, NOW)));
        MockProducer<byte[], byte[]> p = producer(true);
        FullHttpResponse r = get(handler(p).handle(post("/api/v1/write",
                "application/x-protobuf;proto=io.prometheus.write.v2.Request", req.toBytes(), true)));
        assertEquals(400, r.status().code(), body(r));
        assertTrue(body(r).contains("histogram count 1.0 is below the sum of its buckets 5.0"), body(r));
        assertEquals("0", r.headers().get(RemoteWriteHandler.HISTOGRAMS_WRITTEN));
        assertTrue(p.history().isEmpty());
    }

    @Test
    void unsupportedContentTypeOrEncodingIs415() throws Exception {
        MockProducer<byte[], byte[]> p = producer(true);
        assertEquals(415, get(handler(p).handle(post("/api/v1/write", "application/json", rw1("up", 1, NOW), true))).status().code());
        assertEquals(415, get(handler(p).handle(post("/api/v1/write", "application/x-protobuf;proto=io.prometheus.write.v3.Request",
                rw1("up", 1, NOW), true))).status().code());
        var req = post("/api/v1/write", "application/x-protobuf", rw1("up", 1, NOW), true);
        req.headers().set("Content-Encoding", "zstd");
        assertEquals(415, get(handler(p).handle(req)).status().code());
        assertTrue(p.history().isEmpty());
    }

    @Test
    void oneBadSeriesRejectsTheWholeRequestAndNothingIsSent() throws Exception {
        MockProducer<byte[], byte[]> p = producer(true);
        TestProto req = new TestProto();
        for (int i = 0; i < 50; i++) {
            req.message(1, new TestProto().message(1, TestProto.label("__name__", "ok")).message(1, TestProto.label("i", "" + i))
                    .message(2, TestProto.sample(1, NOW)));
        }
        req.message(1, new TestProto().message(1, TestProto.label("__name__", "bad")).message(1, TestProto.label("job", "a"))
                .message(1, TestProto.label("job", "b")).message(2, TestProto.sample(1, NOW)));
        FullHttpResponse r = get(handler(p).handle(post("/api/v1/write", null, req.toBytes(), true)));
        assertEquals(400, r.status().code());
        assertTrue(body(r).contains("duplicate label name \"job\""), body(r));
        assertTrue(body(r).contains("nothing was written"), body(r));
        assertTrue(p.history().isEmpty(), "all-or-nothing: no record sent");

        FullHttpResponse garbage = get(handler(p).handle(post("/api/v1/write", null, new byte[] {1, 2, 3}, false)));
        assertEquals(400, garbage.status().code(), body(garbage));
        assertTrue(p.history().isEmpty());
    }

    @Test
    void kafkaFailureIs503AndNever2xx() throws Exception {
        MockProducer<byte[], byte[]> p = producer(false);
        CompletableFuture<FullHttpResponse> f = handler(p).handle(post("/api/v1/write", null, rw1("up", 100, NOW), true));
        int sent = p.history().size();
        assertTrue(sent > 1);
        assertTrue(p.completeNext());                        // first record acknowledged
        assertTrue(p.errorNext(new TimeoutException("broker down")));   // second fails
        assertFalse(f.isDone() && f.get().status().code() == 204);
        while (p.completeNext()) { /* acknowledge the rest */ }
        FullHttpResponse r = get(f);
        assertEquals(503, r.status().code());
        assertEquals("1", r.headers().get("Retry-After"));
        assertTrue(body(r).contains("broker down"), body(r));
    }

    @Test
    void answersOnlyAfterEveryRecordIsAcknowledged() throws Exception {
        MockProducer<byte[], byte[]> p = producer(false);
        CompletableFuture<FullHttpResponse> f = handler(p).handle(post("/api/v1/write", null, rw1("up", 100, NOW), true));
        int sent = p.history().size();
        for (int i = 0; i < sent - 1; i++) {
            assertTrue(p.completeNext());
            assertFalse(f.isDone(), "answered after " + (i + 1) + " of " + sent + " acks");
        }
        assertTrue(p.completeNext());
        assertEquals(204, get(f).status().code());
    }

    @Test
    void sendThrowingIs503() throws Exception {
        MockProducer<byte[], byte[]> p = producer(true);
        p.sendException = new org.apache.kafka.common.KafkaException("metadata not available");
        FullHttpResponse r = get(handler(p).handle(post("/api/v1/write", null, rw1("up", 3, NOW), true)));
        assertEquals(503, r.status().code(), body(r));
    }

    @Test
    void backPressureIs503WithRetryAfterAndSendsNothing() throws Exception {
        MockProducer<byte[], byte[]> p = producer(false);
        IngestGateway g = gateway(p, mapper, new GatewayConfig("ingest", 1024, 4096, 7));
        RemoteWriteHandler h = new RemoteWriteHandler(g, Runnable::run, 1 << 20, 8 << 20, DecodeLimits.NONE);
        CompletableFuture<FullHttpResponse> first = h.handle(post("/api/v1/write", null, rw1("up", 300, NOW), true));
        int sent = p.history().size();
        FullHttpResponse second = get(h.handle(post("/api/v1/write", null, rw1("up", 10, NOW), true)));
        assertEquals(503, second.status().code());
        assertEquals("7", second.headers().get("Retry-After"));
        assertEquals(sent, p.history().size(), "the overloaded request sent nothing");
        while (p.completeNext()) { /* drain */ }
        assertEquals(204, get(first).status().code());
        assertEquals(0, g.inFlight().used());
        CompletableFuture<FullHttpResponse> third = h.handle(post("/api/v1/write", null, rw1("up", 10, NOW), true));
        while (p.completeNext()) { /* drain */ }
        assertEquals(204, get(third).status().code(), "accepted again once drained");
    }

    @Test
    void contentTypeParsing() {
        assertEquals(1, RemoteWriteHandler.protocolVersion(null));
        assertEquals(1, RemoteWriteHandler.protocolVersion("application/x-protobuf"));
        assertEquals(1, RemoteWriteHandler.protocolVersion("application/x-protobuf;proto=prometheus.WriteRequest"));
        assertEquals(2, RemoteWriteHandler.protocolVersion("application/x-protobuf; proto=io.prometheus.write.v2.Request"));
    }
}

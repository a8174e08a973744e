package dev.strata.ingest.gateway;

import static dev.strata.ingest.gateway.GatewayTestSupport.NOW;
import static dev.strata.ingest.gateway.GatewayTestSupport.gateway;
import static dev.strata.ingest.gateway.GatewayTestSupport.post;
import static dev.strata.ingest.gateway.GatewayTestSupport.producer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.protocol.DecodeLimits;
import dev.strata.ingest.protocol.TestProto;
import dev.strata.ingest.record.MetadataRecord;
import dev.strata.store.model.MetricMetadata;
import dev.strata.store.sharding.ShardMapper;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Remote write metadata through the gateway: version 4 records in the metric's shard, acknowledged like samples. */
class MetadataWriteTest {
    final ShardMapper mapper = ShardMapper.byMetricName(8, 3);

    RemoteWriteHandler handler(MockProducer<byte[], byte[]> p, int maxRecordBytes) {
        return new RemoteWriteHandler(gateway(p, mapper, new GatewayConfig("ingest", maxRecordBytes, 1L << 30, 1)),
                Runnable::run, 1 << 20, 8 << 20, DecodeLimits.NONE);
    }

    private static TestProto metadata(String name, int type, String help) {
        return new TestProto().int64(1, type).string(2, name).string(4, help);
    }

    @Test
    void aMetadataOnlyRequestBecomesMetadataRecordsInEachMetricsShard() throws Exception {
        MockProducer<byte[], byte[]> p = producer(true);
        TestProto req = new TestProto();
        Set<MetricMetadata> sent = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            req.message(3, metadata("metric_" + i, 1 + i % 3, "help " + i));
            sent.add(new MetricMetadata("metric_" + i, MetricMetadata.typeOf(1 + i % 3), "", "help " + i));
        }
        req.message(3, metadata("metric_0", 1, "help 0")); // a repeat within the request: one entry
        FullHttpResponse r = handler(p, 900 * 1024).handle(post("/api/v1/write", null, req.toBytes(), true)).get(10, TimeUnit.SECONDS);
        assertEquals(204, r.status().code());
        List<MetricMetadata> got = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> rec : p.history()) {
            assertTrue(MetadataRecord.isMetadata(rec.value()));
            MetadataRecord m = MetadataRecord.decode(rec.value());
            assertEquals(rec.partition(), m.shard());
            assertEquals(NOW, m.receivedMs(), "the gateway's clock");
            for (MetricMetadata e : m.entries()) assertEquals(MetadataRecord.shardOf(e.metric(), 8), m.shard());
            got.addAll(m.entries());
        }
        assertEquals(50, got.size());
        assertEquals(sent, new HashSet<>(got));
    }

    @Test
    void recordsStayUnderTheRecordSizeAndAnOversizeEntryIs413() throws Exception {
        MockProducer<byte[], byte[]> p = producer(true);
        TestProto req = new TestProto();
        for (int i = 0; i < 200; i++) req.message(3, metadata("same_shard_name", 1, "help text number " + i + " ".repeat(100)));
        FullHttpResponse r = handler(p, 2048).handle(post("/api/v1/write", null, req.toBytes(), true)).get(10, TimeUnit.SECONDS);
        assertEquals(204, r.status().code());
        int entries = 0;
        for (ProducerRecord<byte[], byte[]> rec : p.history()) {
            assertTrue(rec.value().length <= 2048, "record of " + rec.value().length + " bytes");
            entries += MetadataRecord.decode(rec.value()).entries().size();
        }
        assertEquals(200, entries);
        assertTrue(p.history().size() >= 10);

        MockProducer<byte[], byte[]> q = producer(true);
        byte[] huge = new TestProto().message(3, metadata("big", 1, "x".repeat(5000))).toBytes();
        FullHttpResponse tooLarge = handler(q, 2048).handle(post("/api/v1/write", null, huge, true)).get(10, TimeUnit.SECONDS);
        assertEquals(413, tooLarge.status().code());
        assertTrue(tooLarge.content().toString(StandardCharsets.UTF_8).contains("the metadata of metric \"big\" takes more than a 2048-byte"));
        assertTrue(q.history().isEmpty(), "nothing sent");
    }
}

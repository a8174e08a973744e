package dev.strata.ingest.gateway;

import dev.strata.ingest.protocol.DecodeLimits;
import static dev.strata.ingest.gateway.GatewayTestSupport.gateway;
import static dev.strata.ingest.gateway.GatewayTestSupport.post;
import static dev.strata.ingest.gateway.GatewayTestSupport.producer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.record.ShardRecordReader;
import dev.strata.store.sharding.ShardMapper;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class InfluxWriteHandlerTest {
    @Test
    void writesFieldsAsSeriesAndRejectsBadLinesWholesale() throws Exception {
        MockProducer<byte[], byte[]> p = producer(true);
        InfluxWriteHandler h = new InfluxWriteHandler(gateway(p, ShardMapper.byMetricName(4, 1), GatewayConfig.defaults("t")), Runnable::run, 1 << 20, 4 << 20, DecodeLimits.NONE);
        String lines = "cpu,host=a usage=0.5,n=2i 1700000000\nmem,host=a free=10 1700000000\n";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(lines.getBytes(StandardCharsets.UTF_8));
        }
        var req = post("/api/v2/write?org=o&bucket=b&precision=s", "text/plain", gz.toByteArray(), false);
        req.headers().set("Content-Encoding", "gzip");
        FullHttpResponse r = h.handle(req).get(10, TimeUnit.SECONDS);
        assertEquals(204, r.status().code(), r.content().toString(StandardCharsets.UTF_8));
        TreeMap<String, Double> got = new TreeMap<>();
        ShardRecordReader reader = new ShardRecordReader();
        for (ProducerRecord<byte[], byte[]> rec : p.history()) {
            reader.reset(rec.value(), 0, rec.value().length);
            while (reader.nextSeries()) {
                String l = reader.labels().toString();
                while (reader.nextSample()) {
                    assertEquals(1_700_000_000_000L, reader.timestamp());
                    got.put(l, reader.value());
                }
            }
        }
        assertEquals("{cpu_n{host=\"a\"}=2.0, cpu_usage{host=\"a\"}=0.5, mem_free{host=\"a\"}=10.0}", got.toString());

        int before = p.history().size();
        FullHttpResponse bad = h.handle(post("/write?precision=ms", "text/plain",
                "ok v=1 1700000000000\nbroken line\n".getBytes(StandardCharsets.UTF_8), false)).get(10, TimeUnit.SECONDS);
        assertEquals(400, bad.status().code());
        String body = bad.content().toString(StandardCharsets.UTF_8);
        assertTrue(body.startsWith("{\"code\":\"invalid\",\"message\":\"nothing was written: line 2: "), body);
        assertEquals(before, p.history().size());
    }
}

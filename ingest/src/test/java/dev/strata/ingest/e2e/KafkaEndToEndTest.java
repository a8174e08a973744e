package dev.strata.ingest.e2e;

import dev.strata.ingest.protocol.DecodeLimits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.ConsumerSettings;
import dev.strata.ingest.consumer.MemShardStore;
import dev.strata.ingest.consumer.ShardConsumer;
import dev.strata.ingest.consumer.ShardConsumerConfig;
import dev.strata.ingest.consumer.ShardConsumerStats;
import dev.strata.ingest.consumer.ShardConsumers;
import dev.strata.ingest.consumer.ShardIndexSeries;
import dev.strata.ingest.gateway.GatewayConfig;
import dev.strata.ingest.gateway.IngestGateway;
import dev.strata.ingest.gateway.ProducerSettings;
import dev.strata.ingest.gateway.RemoteWriteHandler;
import dev.strata.ingest.protocol.SnappyBlock;
import dev.strata.ingest.protocol.TestProto;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.ingest.status.ShardStatusHandler;
import dev.strata.ingest.validate.BatchValidator;
import dev.strata.ingest.validate.ValidationLimits;
import dev.strata.store.SampleIterator;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import dev.strata.testkit.Fresh;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Remote write -> gateway -> real Kafka -> shard consumers -> MemShard + ShardIndex, and Kafka down -> 503. */
@ExtendWith(KafkaExtension.class)
class KafkaEndToEndTest {
    static final int SHARDS = 4;

    record Series(Labels labels, long[] ts, double[] v) {}

    static FullHttpRequest rw1Request(List<Series> series) {
        TestProto req = new TestProto();
        for (Series s : series) {
            TestProto ts = new TestProto();
            for (int i = 0; i < s.labels.size(); i++) ts.message(1, TestProto.label(s.labels.name(i), s.labels.value(i)));
            for (int i = 0; i < s.ts.length; i++) ts.message(2, TestProto.sample(s.v[i], s.ts[i]));
            req.message(1, ts);
        }
        byte[] raw = req.toBytes();
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/write",
                Unpooled.wrappedBuffer(SnappyBlock.compress(raw, 0, raw.length)));
        r.headers().set("Content-Type", "application/x-protobuf");
        r.headers().set("Content-Encoding", "snappy");
        return r;
    }

    @Test
    void remoteWriteSamplesComeOutOfTheStoreExactly(KafkaBroker kafka) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        String topic = "e2e-" + System.nanoTime();
        Topics.createAndAwaitLeaders(kafka, topic, SHARDS);
        ShardMapper mapper = ShardMapper.byMetricName(SHARDS, 2);
        long now = System.currentTimeMillis();
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Labels l = Labels.of("__name__", "metric_" + (i % 3), "instance", "host-" + i, "job", "e2e");
            long[] ts = {now - 60_000, now - 45_000 + rnd.nextInt(1000), now - 30_000};
            double[] v = {rnd.nextDouble(), i == 7 ? Double.longBitsToDouble(0x7ff0000000000002L) : rnd.nextGaussian() * 1e9, -i};
            series.add(new Series(l, ts, v));
        }
        ExecutorService workers = Executors.newFixedThreadPool(2);
        List<MemShard> stores = new ArrayList<>();
        List<ShardIndex> indexes = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ProducerSettings.defaults(kafka.bootstrapServers()));
             ShardConsumers consumers = new ShardConsumers()) {
            IngestGateway gateway = new IngestGateway(GatewayConfig.defaults(topic), producer, mapper,
                    new BatchValidator(ValidationLimits.defaults()), System::currentTimeMillis);
            RemoteWriteHandler handler = new RemoteWriteHandler(gateway, workers, 1 << 20, 16 << 20, DecodeLimits.NONE);
            FullHttpResponse resp = handler.handle(rw1Request(series)).get(30, TimeUnit.SECONDS);
            assertEquals(204, resp.status().code(), resp.content().toString(StandardCharsets.UTF_8));

            for (int shard = 0; shard < SHARDS; shard++) {
                MemShard store = new MemShard(shard, MemShardOptions.defaults());
                ShardIndex index = ShardIndex.inMemory(shard);
                stores.add(store);
                indexes.add(index);
                consumers.start(new ShardConsumer(ShardConsumerConfig.of(topic, shard, 0),
                        new KafkaConsumer<>(ConsumerSettings.of(kafka.bootstrapServers(), "e2e-" + shard)),
                        new MemShardStore(store), new ShardIndexSeries(index), System::nanoTime));
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && total(consumers) < 180) Thread.sleep(50);
            assertEquals(180, total(consumers), "seed=" + seed + " " + ShardStatusHandler.render(consumers.stats(), java.util.Map.of(), System.currentTimeMillis()));

            for (Series s : series) {
                int shard = mapper.shard(s.labels);
                int id = indexes.get(shard).seriesId(s.labels);
                assertTrue(id >= 0, "seed=" + seed + " " + s.labels + " not indexed in shard " + shard);
                SampleIterator it = stores.get(shard).iterator(id, Long.MIN_VALUE, Long.MAX_VALUE);
                for (int i = 0; i < s.ts.length; i++) {
                    assertTrue(it.next(), "seed=" + seed + " " + s.labels);
                    assertEquals(s.ts[i], it.timestamp(), "seed=" + seed + " " + s.labels);
                    assertEquals(Double.doubleToRawLongBits(s.v[i]), Double.doubleToRawLongBits(it.value()), "seed=" + seed + " " + s.labels);
                }
                assertTrue(!it.next());
            }
            // A retry of the same request (Prometheus after a lost response) stores nothing twice.
            assertEquals(204, handler.handle(rw1Request(series)).get(30, TimeUnit.SECONDS).status().code());
            deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && rejected(consumers) < 180) Thread.sleep(50);
            assertEquals(180, rejected(consumers), ShardStatusHandler.render(consumers.stats(), java.util.Map.of(), System.currentTimeMillis()));
            assertEquals(180, total(consumers));
            for (ShardConsumerStats st : consumers.stats()) {
                assertEquals(0, st.lag(), ShardStatusHandler.render(consumers.stats(), java.util.Map.of(), System.currentTimeMillis()));
            }
        } finally {
            workers.shutdownNow();
            for (ShardIndex i : indexes) i.close();
        }
    }

    /** A remote write 2.0 request: series with a created_timestamp each, every second sample with its own start_timestamp. */
    static FullHttpRequest rw2Request(List<Series> series, long[] created) {
        TestProto req = new TestProto();
        List<String> symbols = new ArrayList<>(List.of(""));
        for (Series s : series) {
            for (int i = 0; i < s.labels.size(); i++) {
                if (!symbols.contains(s.labels.name(i))) symbols.add(s.labels.name(i));
                if (!symbols.contains(s.labels.value(i))) symbols.add(s.labels.value(i));
            }
        }
        for (String sym : symbols) req.string(4, sym);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            TestProto ts = new TestProto();
            for (int i = 0; i < s.labels.size(); i++) {
                ts.int64(1, symbols.indexOf(s.labels.name(i))).int64(1, symbols.indexOf(s.labels.value(i)));
            }
            for (int i = 0; i < s.ts.length; i++) {
                TestProto sample = TestProto.sample(s.v[i], s.ts[i]);
                if (i % 2 == 1) sample.int64(3, s.ts[i] - 1);
                ts.message(2, sample);
            }
            if (created[k] != 0) ts.int64(6, created[k]);
            req.message(5, ts);
        }
        byte[] raw = req.toBytes();
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/write",
                Unpooled.wrappedBuffer(SnappyBlock.compress(raw, 0, raw.length)));
        r.headers().set("Content-Type", "application/x-protobuf;proto=" + RemoteWriteHandler.PROTO_V2);
        r.headers().set("Content-Encoding", "snappy");
        return r;
    }

    @Test
    void remoteWrite2StartTimestampsReachTheStore(KafkaBroker kafka) throws Exception {
        String topic = "e2e-st-" + System.nanoTime();
        Topics.createAndAwaitLeaders(kafka, topic, SHARDS);
        ShardMapper mapper = ShardMapper.byMetricName(SHARDS, 2);
        long now = System.currentTimeMillis();
        List<Series> series = new ArrayList<>();
        long[] created = new long[20];
        for (int i = 0; i < 20; i++) {
            series.add(new Series(Labels.of("__name__", "requests_total", "instance", "host-" + i),
                    new long[] {now - 60_000, now - 45_000, now - 30_000}, new double[] {i, i + 1, i + 2}));
            created[i] = i % 4 == 0 ? 0 : now - 3_600_000 - i;
        }
        ExecutorService workers = Executors.newFixedThreadPool(2);
        List<MemShard> stores = new ArrayList<>();
        List<ShardIndex> indexes = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ProducerSettings.defaults(kafka.bootstrapServers()));
             ShardConsumers consumers = new ShardConsumers()) {
            IngestGateway gateway = new IngestGateway(GatewayConfig.defaults(topic), producer, mapper,
                    new BatchValidator(ValidationLimits.defaults()), System::currentTimeMillis);
            RemoteWriteHandler handler = new RemoteWriteHandler(gateway, workers, 1 << 20, 16 << 20, DecodeLimits.NONE);
            FullHttpResponse resp = handler.handle(rw2Request(series, created)).get(30, TimeUnit.SECONDS);
            assertEquals(204, resp.status().code(), resp.content().toString(StandardCharsets.UTF_8));
            for (int shard = 0; shard < SHARDS; shard++) {
                MemShard store = new MemShard(shard, MemShardOptions.defaults());
                ShardIndex index = ShardIndex.inMemory(shard);
                stores.add(store);
                indexes.add(index);
                consumers.start(new ShardConsumer(ShardConsumerConfig.of(topic, shard, 0),
                        new KafkaConsumer<>(ConsumerSettings.of(kafka.bootstrapServers(), "e2e-st-" + shard)),
                        new MemShardStore(store), new ShardIndexSeries(index), System::nanoTime));
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && total(consumers) < 60) Thread.sleep(50);
            assertEquals(60, total(consumers), ShardStatusHandler.render(consumers.stats(), java.util.Map.of(), System.currentTimeMillis()));
            for (int k = 0; k < series.size(); k++) {
                Series s = series.get(k);
                int shard = mapper.shard(s.labels);
                int id = indexes.get(shard).seriesId(s.labels);
                SampleIterator it = stores.get(shard).iterator(id, Long.MIN_VALUE, Long.MAX_VALUE);
                for (int i = 0; i < s.ts.length; i++) {
                    assertTrue(it.next());
                    long expected = i % 2 == 1 ? s.ts[i] - 1 : created[k];
                    assertEquals(expected, it.startTimestamp(), s.labels + " sample " + i);
                }
            }
        } finally {
            workers.shutdownNow();
            for (ShardIndex i : indexes) i.close();
        }
    }

    static long total(ShardConsumers c) {
        return c.stats().stream().mapToLong(ShardConsumerStats::samplesTotal).sum();
    }

    static long rejected(ShardConsumers c) {
        return c.stats().stream().mapToLong(ShardConsumerStats::rejectedTotal).sum();
    }

    @Test
    void kafkaDownMeans503NotSuccess(@Fresh KafkaBroker kafka) throws Exception {
        String topic = "down";
        Topics.createAndAwaitLeaders(kafka, topic, SHARDS);
        ShardMapper mapper = ShardMapper.byMetricName(SHARDS, 2);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        long now = System.currentTimeMillis();
        List<Series> series = List.of(new Series(Labels.of("__name__", "up", "job", "a"), new long[] {now}, new double[] {1}));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ProducerSettings.of(kafka.bootstrapServers(),
                "down-test", "lz4", 5, 3000, 1 << 20))) {
            IngestGateway gateway = new IngestGateway(GatewayConfig.defaults(topic), producer, mapper,
                    new BatchValidator(ValidationLimits.defaults()), System::currentTimeMillis);
            RemoteWriteHandler handler = new RemoteWriteHandler(gateway, workers, 1 << 20, 16 << 20, DecodeLimits.NONE);
            assertEquals(204, handler.handle(rw1Request(series)).get(30, TimeUnit.SECONDS).status().code());
            kafka.stop();
            FullHttpResponse r = handler.handle(rw1Request(series)).get(60, TimeUnit.SECONDS);
            assertEquals(503, r.status().code(), r.content().toString(StandardCharsets.UTF_8));
            assertEquals("1", r.headers().get("Retry-After"));
        } finally {
            workers.shutdownNow();
        }
    }
}

package dev.strata.ingest.gateway;

import dev.strata.ingest.protocol.DecodeLimits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.bench.IngestBench;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.ingest.status.ShardStatusHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.Test;

/** The load generator's HTTP mode against a real HTTP server running the remote write handler. */
class IngestBenchHttpTest {
    @Test
    void httpModeDeliversThroughTheHandler() throws Exception {
        MockProducer<byte[], byte[]> producer = GatewayTestSupport.producer(true);
        IngestGateway gateway = new IngestGateway(GatewayConfig.defaults("t"), producer, ShardMapper.byMetricName(8, 3),
                new dev.strata.ingest.validate.BatchValidator(dev.strata.ingest.validate.ValidationLimits.defaults()),
                System::currentTimeMillis);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        RemoteWriteHandler rw = new RemoteWriteHandler(gateway, workers, 16 << 20, 64 << 20, DecodeLimits.NONE);
        ShardStatusHandler status = new ShardStatusHandler(List::of, java.util.Map::of, System::currentTimeMillis);
        try (TestHttpServer server = new TestHttpServer(req -> req.uri().startsWith("/api/v1/status") ? status.handle(req) : rw.handle(req))) {
            IngestBench.Result r = IngestBench.run(Map.of("mode", "http", "url", "http://127.0.0.1:" + server.port() + "/api/v1/write",
                    "status-url", "http://127.0.0.1:" + server.port() + "/api/v1/status/shards",
                    "hosts", "5", "duration", "1", "report", "100", "batch", "300"));
            assertTrue(r.acked() >= 5 * 142, r.toString());
            assertEquals(0, r.failed(), r.toString());
            assertEquals(r.acked(), gateway.stats().samplesAccepted());
        } finally {
            workers.shutdownNow();
        }
    }
}

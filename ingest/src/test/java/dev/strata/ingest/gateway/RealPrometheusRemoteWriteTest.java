package dev.strata.ingest.gateway;

import dev.strata.ingest.protocol.DecodeLimits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.ingest.record.MetadataRecord;
import dev.strata.ingest.record.ShardRecordReader;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.ingest.validate.BatchValidator;
import dev.strata.ingest.validate.ValidationLimits;
import dev.strata.store.model.Labels;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REAL Prometheus (the Debian package's binary) scrapes itself and remote-writes to our handler;
 * the samples must come out of the shard records intact. Skipped where {@code prometheus} is absent
 * (.ci/run installs it). The Kafka side is a MockProducer here; the real-Kafka end-to-end test
 * lives with the testkit fixture.
 */
class RealPrometheusRemoteWriteTest {
    @TempDir
    Path dir;

    static String prometheusBinary() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(p, "prometheus");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void prometheusRemoteWritesItsOwnMetrics() throws Exception {
        String bin = prometheusBinary();
        assumeTrue(bin != null, "the prometheus binary is not on PATH (apt-get install prometheus); skipping");
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null,
                new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
        ShardMapper mapper = ShardMapper.byMetricName(4, 1);
        IngestGateway gateway = new IngestGateway(GatewayConfig.defaults("ingest"), producer, mapper,
                new BatchValidator(ValidationLimits.defaults()), System::currentTimeMillis);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        RemoteWriteHandler handler = new RemoteWriteHandler(gateway, workers, 32 << 20, 128 << 20, DecodeLimits.NONE);
        Process prom = null;
        TestHttpServer server = new TestHttpServer(handler::handle);
        try {
            int promPort = freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: self
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    remote_write:
                      - url: http://127.0.0.1:%d/api/v1/write
                        queue_config:
                          batch_send_deadline: 1s
                          min_backoff: 100ms
                    """.formatted(promPort, server.port()));
            prom = new ProcessBuilder(bin, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + promPort, "--storage.remote.flush-deadline=1s")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            long deadline = System.currentTimeMillis() + 60_000;
            List<Double> upValues = new ArrayList<>();
            long samples = 0;
            int seen = 0;
            ShardRecordReader reader = new ShardRecordReader();
            while (System.currentTimeMillis() < deadline && upValues.isEmpty()) {
                Thread.sleep(500);
                List<ProducerRecord<byte[], byte[]>> history = producer.history();
                for (; seen < history.size(); seen++) {
                    ProducerRecord<byte[], byte[]> r = history.get(seen);
                    if (MetadataRecord.isMetadata(r.value())) continue; // Prometheus's metadata (send_interval 1m): not samples
                    reader.reset(r.value(), 0, r.value().length);
                    while (reader.nextSeries()) {
                        Labels l = reader.labels();
                        assertEquals(r.partition().intValue(), mapper.shard(l));
                        boolean up = l.metricName().equals("up") && l.get("job").equals("self");
                        while (reader.nextSample()) {
                            samples++;
                            if (up) upValues.add(reader.value());
                        }
                    }
                }
            }
            assertTrue(!upValues.isEmpty(), "no up{job=\"self\"} sample arrived within 60 s; prometheus log:\n"
                    + Files.readString(dir.resolve("prometheus.log")));
            assertEquals(1.0, upValues.get(0));
            assertTrue(samples > 100, "a self-scrape has hundreds of series, got " + samples);
            assertEquals(0, gateway.stats().requestsInvalid());
        } finally {
            if (prom != null) {  // stop Prometheus while our server still answers its last flush
                prom.destroy();
                if (!prom.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) prom.destroyForcibly().waitFor();
            }
            server.close();
            workers.shutdownNow();
        }
    }
}

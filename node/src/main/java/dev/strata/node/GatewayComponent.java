package dev.strata.node;

import dev.strata.store.concurrent.NamedThreads;
import dev.strata.ingest.gateway.GatewayConfig;
import dev.strata.ingest.gateway.InfluxWriteHandler;
import dev.strata.ingest.otlp.OtlpWriteHandler;
import dev.strata.ingest.gateway.IngestGateway;
import dev.strata.ingest.gateway.ProducerSettings;
import dev.strata.ingest.gateway.RemoteWriteHandler;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.ingest.validate.BatchValidator;
import dev.strata.ingest.validate.ValidationLimits;
import dev.strata.node.config.LimitSettings;
import dev.strata.node.config.NodeConfig;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The gateway: the write receivers (Prometheus remote write 1.0/2.0, Influx line protocol, OTLP/HTTP) and the
 * Kafka producer they write through. Requests are decoded and validated on the gateway's own
 * threads ({@code strata-gateway-N}), never on the HTTP event loop. Ready when Kafka is reachable.
 */
final class GatewayComponent implements Component {
    private final BooleanSupplier kafkaReady;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService executor;
    private final IngestGateway gateway;
    final RemoteWriteHandler remoteWrite;
    final InfluxWriteHandler influx;
    final OtlpWriteHandler otlp;

    GatewayComponent(NodeConfig config, BooleanSupplier kafkaReady) {
        this.kafkaReady = kafkaReady;
        this.producer = new KafkaProducer<>(ProducerSettings.defaults(config.kafka().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        // Decoding waits here; beyond ingest.max-queued-requests a write is answered 503 with Retry-After.
        this.executor = NamedThreads.boundedPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                config.limits().maxQueuedWrites(), "strata-gateway");
        ShardMapper mapper = new ShardMapper(config.cluster().shards(), config.ingest().spread(),
                config.ingest().shardKey().toArray(String[]::new));
        this.gateway = new IngestGateway(GatewayConfig.defaults(config.kafka().topic()), producer, mapper,
                new BatchValidator(validation(config.limits())), System::currentTimeMillis);
        int maxBody = (int) Math.min(Integer.MAX_VALUE, config.http().maxRequestBytes());
        int maxDecompressed = config.limits().maxDecompressedBytes();
        this.remoteWrite = new RemoteWriteHandler(gateway, executor, maxBody, maxDecompressed, config.limits().decode());
        this.influx = new InfluxWriteHandler(gateway, executor, maxBody, maxDecompressed, config.limits().decode());
        this.otlp = new OtlpWriteHandler(gateway, executor, config.otlp(), maxBody, maxDecompressed);
    }

    /** The validator's limits, with the configured labels per series (the decoders enforce it first). */
    private static ValidationLimits validation(LimitSettings limits) {
        ValidationLimits d = ValidationLimits.defaults();
        return new ValidationLimits(d.nameValidation(), limits.decode().maxLabelsPerSeries(), d.maxLabelNameBytes(),
                d.maxLabelValueBytes(), d.maxSampleAge(), d.maxFutureSkew(), d.maxErrorsReported());
    }

    IngestGateway gateway() {
        return gateway;
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public void start() {
        // The producer connects lazily; sends before Kafka answers fail with 503 after its timeout.
    }

    @Override
    public boolean isReady() {
        return kafkaReady.getAsBoolean();
    }

    @Override
    public void stop() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(10));
    }
}

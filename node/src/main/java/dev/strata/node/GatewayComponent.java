package dev.strata.node;

import dev.strata.store.concurrent.NamedThreads;
import dev.strata.ingest.gateway.GatewayConfig;
import dev.strata.ingest.gateway.InfluxWriteHandler;
import dev.strata.ingest.otlp.OtlpWriteHandler;
import dev.strata.ingest.gateway.IngestGateway;
import dev.strata.ingest.gateway.ProducerSettings;
import dev.strata.ingest.gateway.RemoteWriteHandler;
import dev.strata.ingest.gateway.ShardWriteGuard;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.ingest.validate.BatchValidator;
import dev.strata.ingest.validate.ValidationLimits;
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

    /** @param guard refuses writes to shards that must not take more for now (the retention guard) */
    GatewayComponent(NodeConfig config, BooleanSupplier kafkaReady, ShardWriteGuard guard) {
        this.kafkaReady = kafkaReady;
        this.producer = new KafkaProducer<>(ProducerSettings.defaults(config.kafka().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        // Decoding waits here; beyond ingest.max-queued-requests a write is answered 503 with Retry-After.
        this.executor = NamedThreads.boundedPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                config.limits().maxQueuedWrites(), "strata-gateway");
        ShardMapper mapper = new ShardMapper(config.cluster().shards(), config.ingest().spread(),
                config.ingest().shardKey().toArray(String[]::new));
        this.gateway = new IngestGateway(gatewayConfig(config.kafka().topic(), Runtime.getRuntime().maxMemory()), producer, mapper,
                new BatchValidator(limits(config)), System::currentTimeMillis, guard);
        int maxBody = (int) Math.min(Integer.MAX_VALUE, config.http().maxRequestBytes());
        int maxDecompressed = config.limits().maxDecompressedBytes();
        this.remoteWrite = new RemoteWriteHandler(gateway, executor, maxBody, maxDecompressed, config.limits().decode());
        this.influx = new InfluxWriteHandler(gateway, executor, maxBody, maxDecompressed, config.limits().decode());
        this.otlp = new OtlpWriteHandler(gateway, executor, config.otlp(), maxBody, maxDecompressed);
    }

    /**
     * What the gateway acknowledges must be stored. The store drops a sample older than its series'
     * newest sample minus {@code store.out-of-order-window}, which the gateway cannot see; so it refuses
     * (400, as Prometheus answers out-of-bounds samples) every sample older than now minus that window
     * (at least one minute), instead of accepting it for the store to drop. What the store may still
     * drop is a sample whose series already holds one newer than it plus the window (from the future,
     * within the future-skew limit): counted as {@code strata_ingest_shard_rejected_samples_total}.
     * Labels per series are the configured limit (the decoders enforce it first).
     */
    static ValidationLimits limits(NodeConfig config) {
        ValidationLimits d = ValidationLimits.defaults();
        java.time.Duration window = config.memory().outOfOrderWindow();
        java.time.Duration maxAge = window.compareTo(java.time.Duration.ofMinutes(1)) < 0 ? java.time.Duration.ofMinutes(1) : window;
        return new ValidationLimits(d.nameValidation(), config.limits().decode().maxLabelsPerSeries(), d.maxLabelNameBytes(),
                d.maxLabelValueBytes(), maxAge, d.maxFutureSkew(), d.maxErrorsReported());
    }

    /**
     * The gateway's settings, with the bytes in flight to Kafka bounded by the heap too: at most
     * {@link #IN_FLIGHT_HEAP_SHARE} of it (a 256 MiB bound on a 256 MiB heap would let a slow Kafka fill
     * it). The shards' budgets take half the heap ({@link MemoryBudget}); this share comes out of the rest.
     */
    static GatewayConfig gatewayConfig(String topic, long maxHeap) {
        GatewayConfig d = GatewayConfig.defaults(topic);
        long inFlight = Math.max(d.maxRecordBytes(), Math.min(d.maxInFlightBytes(), (long) (maxHeap * IN_FLIGHT_HEAP_SHARE)));
        return new GatewayConfig(topic, d.maxRecordBytes(), inFlight, d.retryAfterSeconds());
    }

    /** Share of the maximum heap that records waiting for Kafka's acknowledgement may take. */
    static final double IN_FLIGHT_HEAP_SHARE = 0.125;

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

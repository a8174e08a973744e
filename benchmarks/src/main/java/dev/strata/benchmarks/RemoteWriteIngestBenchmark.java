package dev.strata.benchmarks;

import dev.strata.ingest.bench.NodeExporterWorkload;
import dev.strata.ingest.bench.RemoteWriteRequestEncoder;
import dev.strata.ingest.gateway.GatewayConfig;
import dev.strata.ingest.gateway.IngestGateway;
import dev.strata.ingest.gateway.ShardedEncoder;
import dev.strata.ingest.gateway.WriteOutcome;
import dev.strata.ingest.protocol.RemoteWrite1Decoder;
import dev.strata.ingest.protocol.SnappyBlock;
import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.ingest.validate.BatchValidator;
import dev.strata.ingest.validate.ValidationLimits;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's CPU per sample: a snappy remote write 1.0 request of 2000 node_exporter-like
 * series (one sample each, as Prometheus sends) -> decompress -> decode -> validate -> shard ->
 * encode shard records. Scores are samples/s on one thread (ops = samples).
 * {@code gatewayWrite} adds the IngestGateway bookkeeping and a MockProducer (no network, no
 * Kafka-side compression: the producer's lz4/zstd cost is not included).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RemoteWriteIngestBenchmark {
    static final int SERIES_PER_REQUEST = 2000;

    byte[] body;
    long ts;
    ShardedEncoder encoder;
    BatchValidator validator;
    WriteBatch batch;
    IngestGateway gateway;
    MockProducer<byte[], byte[]> producer;

    @Setup
    public void setup() {
        NodeExporterWorkload w = new NodeExporterWorkload(20, 8, 1);
        ts = System.currentTimeMillis();
        byte[] raw = new RemoteWriteRequestEncoder().encode(w.series(), w.advance(), 0, SERIES_PER_REQUEST, ts);
        body = SnappyBlock.compress(raw, 0, raw.length);
        ShardMapper mapper = ShardMapper.byMetricName(64, 3);
        encoder = new ShardedEncoder(mapper, 900 * 1024);
        validator = new BatchValidator(ValidationLimits.defaults());
        batch = new WriteBatch();
        producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        gateway = new IngestGateway(GatewayConfig.defaults("ingest"), producer, mapper, validator, System::currentTimeMillis);
    }

    final ThreadCpu cpu = new ThreadCpu();

    @Setup(Level.Iteration)
    public void clearHistory() {
        producer.clear();
    }

    @org.openjdk.jmh.annotations.TearDown(Level.Iteration)
    public void reportCpu() {
        cpu.report("samples");
    }

    @Benchmark
    @OperationsPerInvocation(SERIES_PER_REQUEST)
    public List<ShardedEncoder.ShardRecord> decodeValidateEncode() {
        cpu.begin();
        byte[] raw = SnappyBlock.decompress(body, 0, body.length, 64 << 20);
        RemoteWrite1Decoder.decode(raw, 0, raw.length, batch);
        if (!validator.validate(batch, ts).ok()) throw new IllegalStateException("invalid");
        List<ShardedEncoder.ShardRecord> out = encoder.encode(batch);
        cpu.end(SERIES_PER_REQUEST);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(SERIES_PER_REQUEST)
    public WriteOutcome gatewayWrite() throws Exception {
        cpu.begin();
        byte[] raw = SnappyBlock.decompress(body, 0, body.length, 64 << 20);
        WriteBatch b = new WriteBatch();
        RemoteWrite1Decoder.decode(raw, 0, raw.length, b);
        WriteOutcome o = gateway.write(b).get();
        if (o.status() != WriteOutcome.Status.ACCEPTED) throw new IllegalStateException(o.message());
        cpu.end(SERIES_PER_REQUEST);
        if (producer.history().size() > 100_000) producer.clear();
        return o;
    }
}

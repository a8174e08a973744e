package dev.strata.benchmarks;

import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.ShardIndexSeries;
import dev.strata.ingest.consumer.MemShardStore;
import dev.strata.ingest.consumer.ShardConsumer;
import dev.strata.ingest.consumer.ShardConsumerConfig;
import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay speed of one shard on one thread: the consumer loop decoding shard records (as a restart
 * reads them from Kafka, here from a MockConsumer) into a fresh MemShard and in-memory label index,
 * 10k series x 60 scrapes at 15 s. The score is per sample (ops = samples/s on one core).
 * {@code indexKnowsSeries=true} is a restart: the label index on the volume already holds the series
 * (looked up, not added); {@code false} is a first start, every series added to the index too.
 * On the shared, oversubscribed build machine the wall-clock score mostly measures the scheduler:
 * compare {@link ReplayCpuProbe} (the same path in thread CPU time) instead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ReplayBenchmark {
    private static final int SERIES = 10_000;
    private static final int SCRAPES = 60;
    private static final int SERIES_PER_RECORD = 500;
    private static final String TOPIC = "ingest";
    private final TopicPartition tp = new TopicPartition(TOPIC, 0);
    private List<byte[]> records;
    private MemShard memory;
    private ShardIndex index;

    @Param({"true", "false"})
    public boolean indexKnowsSeries;

    @Setup(Level.Trial)
    public void records() {
        records = new ArrayList<>();
        List<Labels> series = new ArrayList<>();
        for (int i = 0; i < SERIES; i++) {
            series.add(Labels.of("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(i % 64), "instance",
                    "host-" + (i / 64) + ":9100", "job", "node", "mode", "user"));
        }
        ShardRecordWriter w = new ShardRecordWriter();
        long base = 1_700_000_000_000L;
        for (int s = 0; s < SCRAPES; s++) {
            for (int from = 0; from < SERIES; from += SERIES_PER_RECORD) {
                w.reset(0);
                for (int i = from; i < from + SERIES_PER_RECORD; i++) {
                    Labels l = series.get(i);
                    w.beginSeries(l.hash(), l.size(), 1);
                    for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
                    w.sample(base + s * 15_000L, 1000.0 + s * 1.5 + (i % 7));
                    w.endSeries();
                }
                records.add(w.finish());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SERIES * SCRAPES)
    public long replay() {
        memory = new MemShard(0, MemShardOptions.defaults());
        if (!indexKnowsSeries || index == null) index = ShardIndex.inMemory(0);
        MockConsumer<byte[], byte[]> kafka = new MockConsumer<>("earliest");
        kafka.updateBeginningOffsets(Map.of(tp, 0L));
        kafka.updateEndOffsets(Map.of(tp, (long) records.size()));
        ShardConsumer consumer = new ShardConsumer(new ShardConsumerConfig(TOPIC, 0, 0, Duration.ZERO, Duration.ofHours(1)), kafka,
                new MemShardStore(memory), new ShardIndexSeries(index), System::nanoTime);
        kafka.schedulePollTask(() -> {
            for (int i = 0; i < records.size(); i++) kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, i, null, records.get(i)));
        });
        kafka.schedulePollTask(consumer::stop);
        consumer.run();
        if (memory.appendedCount() != (long) SERIES * SCRAPES) {
            throw new IllegalStateException("replayed " + memory.appendedCount() + " samples, expected " + (long) SERIES * SCRAPES);
        }
        return memory.appendedCount();
    }
}

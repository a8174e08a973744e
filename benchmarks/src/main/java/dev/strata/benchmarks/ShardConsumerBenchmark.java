package dev.strata.benchmarks;

import dev.strata.ingest.bench.NodeExporterWorkload;
import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.MemShardStore;
import dev.strata.ingest.consumer.SeriesIndex;
import dev.strata.ingest.consumer.ShardIndexSeries;
import dev.strata.ingest.consumer.ShardConsumer;
import dev.strata.ingest.consumer.ShardConsumerConfig;
import dev.strata.ingest.consumer.ShardStore;
import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Kafka record -> store + index at ~100k series: decode shard records, resolve each series through
 * the in-memory cache, append every sample. {@code target=memshard} uses the real MemShard and an
 * in-memory ShardIndex (the "Kafka -> store + index" measure, minus the Kafka client's
 * fetch); {@code target=overhead} uses array stand-ins to isolate the consumer's own cost.
 * One invocation = one scrape round of all series (records of 2000 series, one sample each); the
 * score is samples/s on one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ShardConsumerBenchmark {
    static final int HOSTS = 705;
    static final int SERIES_PER_HOST = 142; // NodeExporterWorkload with 8 CPUs: 100,110 series in all

    static final class ArrayShard implements ShardStore, SeriesIndex {
        final Map<Labels, Integer> ids = new HashMap<>();
        long[] lastTs = new long[1 << 17];
        double[] lastV = new double[1 << 17];
        int series;

        @Override public boolean hasSeries(int id) { return id < series; }
        @Override public void createSeries(int id, Labels labels) { series = Math.max(series, id + 1); }
        @Override public String append(int id, long ts, double v) {
            if (ts <= lastTs[id]) return "duplicate";
            lastTs[id] = ts;
            lastV[id] = v;
            return null;
        }
        @Override public boolean needsBackpressure() { return false; }
        @Override public int seriesCount() { return series; }
        @Override public int seriesId(Labels labels) { return ids.getOrDefault(labels, -1); }
        @Override public int addSeries(Labels labels, long firstMs) {
            Integer id = ids.get(labels);
            if (id != null) return id;
            int n = ids.size();
            if (n >= lastTs.length) {
                lastTs = Arrays.copyOf(lastTs, n * 2);
                lastV = Arrays.copyOf(lastV, n * 2);
            }
            ids.put(labels, n);
            return n;
        }
        @Override public void updateLastSampleTime(int id, long ms) {}
    }

    /** overhead: array stand-ins for store and index; memshard: the real MemShard and an in-memory ShardIndex. */
    @Param({"overhead", "memshard"})
    public String target;

    NodeExporterWorkload workload;
    ShardIndex index;
    ShardConsumer consumer;
    ArrayShard shard;

    @org.openjdk.jmh.annotations.TearDown
    public void close() throws Exception {
        if (index != null) index.close();
    }
    List<byte[]> round = new ArrayList<>();
    long ts = 1_700_000_000_000L;
    long offset;

    @Setup
    public void setup() {
        workload = new NodeExporterWorkload(HOSTS, 8, 1);
        ShardStore store;
        SeriesIndex seriesIndex;
        if (target.equals("memshard")) {
            store = new MemShardStore(new MemShard(0, MemShardOptions.defaults()));
            index = ShardIndex.inMemory(0);
            seriesIndex = new ShardIndexSeries(index);
        } else {
            shard = new ArrayShard();
            store = shard;
            seriesIndex = shard;
        }
        consumer = new ShardConsumer(ShardConsumerConfig.of("ingest", 0, 0), new MockConsumer<>("earliest"), store, seriesIndex, System::nanoTime);
        encodeRound();
        for (byte[] r : round) consumer.apply(offset++, r); // create the series
        if (consumer.stats().seriesCreated() != workload.size()) throw new IllegalStateException("series not created");
        if (workload.size() != HOSTS * SERIES_PER_HOST) throw new IllegalStateException("workload has " + workload.size() + " series");
    }

    /** Re-encodes the round with later timestamps outside the measurement (per iteration). */
    @Setup(Level.Invocation)
    public void nextRound() {
        ts += 15_000;
        encodeRound();
    }

    private void encodeRound() {
        round.clear();
        double[] values = workload.advance();
        List<Labels> series = workload.series();
        ShardRecordWriter w = new ShardRecordWriter();
        for (int from = 0; from < series.size(); from += 2000) {
            w.reset(0);
            for (int i = from; i < Math.min(series.size(), from + 2000); i++) {
                Labels l = series.get(i);
                w.beginSeries(l.hash(), l.size(), 1);
                for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
                w.sample(ts, values[i]);
                w.endSeries();
            }
            round.add(w.finish());
        }
    }

    @Benchmark
    @OperationsPerInvocation(HOSTS * SERIES_PER_HOST)
    public void consumeRound(Blackhole bh) {
        cpu.begin();
        for (byte[] r : round) consumer.apply(offset++, r);
        cpu.end(workload.size());
        bh.consume(consumer.stats().samplesTotal());
    }

    final ThreadCpu cpu = new ThreadCpu();

    @org.openjdk.jmh.annotations.TearDown(Level.Iteration)
    public void reportCpu() {
        if (consumer.stats().rejectedTotal() > 0) {
            throw new IllegalStateException("samples were rejected: " + consumer.stats().rejected());
        }
        cpu.report("samples (" + target + ")");
    }
}

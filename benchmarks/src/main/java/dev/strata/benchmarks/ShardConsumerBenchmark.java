package dev.strata.benchmarks;

import dev.strata.ingest.bench.NodeExporterWorkload;
import dev.strata.ingest.consumer.SeriesIndex;
import dev.strata.ingest.consumer.ShardConsumer;
import dev.strata.ingest.consumer.ShardConsumerConfig;
import dev.strata.ingest.consumer.ShardStore;
import dev.strata.ingest.record.ShardRecordWriter;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The shard consumer's own cost per sample at ~100k series: decode shard records, resolve each
 * series through the in-memory cache, call the store per sample. The store and index here are
 * minimal array-backed stand-ins (the sample is written to a per-series slot), so this isolates the
 * consumer's overhead; the end-to-end number with MemShard + ShardIndex needs those modules.
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

    NodeExporterWorkload workload;
    ShardConsumer consumer;
    ArrayShard shard;
    List<byte[]> round = new ArrayList<>();
    long ts = 1_700_000_000_000L;
    long offset;

    @Setup
    public void setup() {
        workload = new NodeExporterWorkload(HOSTS, 8, 1);
        shard = new ArrayShard();
        consumer = new ShardConsumer(ShardConsumerConfig.of("ingest", 0, 0), new MockConsumer<>("earliest"), shard, shard, System::nanoTime);
        encodeRound();
        for (byte[] r : round) consumer.apply(offset++, r); // create the series
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
        for (byte[] r : round) consumer.apply(offset++, r);
        bh.consume(consumer.stats().samplesTotal());
    }
}

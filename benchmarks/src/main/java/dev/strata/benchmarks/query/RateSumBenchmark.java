package dev.strata.benchmarks.query;

import dev.strata.query.engine.QueryResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code sum by (job) (rate(m[5m]))} as a range query over 1 h at 15 s steps, on {@code series}
 * counters scraped every 15 s, read through the real in-memory store (MemShard chunks + ShardIndex,
 * see {@link RateSumData}). Single-threaded, so the auxiliary counters are per core (of wall time:
 * on a shared machine prefer {@link QueryCpuProbe}'s CPU-time figures): {@code decoded} = samples
 * decoded from storage (each once), {@code promSamples} = Prometheus's "samples" statistic
 * (totalQueryableSamples: each sample once per step whose 5 m window holds it, ~20x decoded here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class RateSumBenchmark {
    @Param({"10000"})
    public int series;

    private RateSumData data;

    /** Samples per query, reported by JMH as rates (per second of measurement). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Scanned {
        public long decoded;
        public long promSamples;
    }

    @Setup(Level.Trial)
    public void setup() {
        data = new RateSumData(series);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        data.close();
    }

    @Benchmark
    public QueryResult sumByJobRate(Scanned scanned) {
        QueryResult r = data.engine.rangeQuery("sum by (job) (rate(m[5m]))", RateSumData.START, RateSumData.END,
                RateSumData.STEP);
        scanned.decoded += r.stats().samplesScanned();
        scanned.promSamples += r.stats().totalQueryableSamples();
        return r;
    }
}

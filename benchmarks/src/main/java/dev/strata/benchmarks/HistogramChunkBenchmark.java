package dev.strata.benchmarks;

import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.HistogramChunkReader;
import dev.strata.store.encoding.HistogramChunkWriter;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.tools.HistogramSamples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Native histogram chunk encode and decode speed on the seeded dataset of HistogramChunkSizeReport
 * (40 series x 480 samples of latency histograms, schema 3 (about 60 buckets) or 0, ~100
 * observations per 15-s scrape; one chunk per series as the memstore cuts them). One invocation
 * encodes (or decodes, CRC32C included) every chunk; the {@code samples} aux counter gives
 * histogram samples/s, so ns/sample = 1e9 / samples score; on a shared machine read the
 * {@code [cpu]} lines (samples per CPU-second of the benchmark thread) instead.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class HistogramChunkBenchmark {
    @Param({"3", "0"})
    public int schema;

    private final List<long[]> timestamps = new ArrayList<>();
    private final List<FloatHistogram[]> histograms = new ArrayList<>();
    private final List<byte[]> encoded = new ArrayList<>();
    private final HistogramChunkWriter writer = new HistogramChunkWriter();
    private final HistogramChunkReader reader = new HistogramChunkReader();
    private final ByteArrayBuilder out = new ByteArrayBuilder(1 << 20);
    /** Thread CPU time per invocation: the machine is shared, so the per-CPU-second rate is the number to read. */
    private final ThreadCpu cpu = new ThreadCpu();

    /** Samples processed, reported by JMH as a throughput (samples/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Samples {
        public long samples;

        @Setup(Level.Iteration)
        public void reset() {
            samples = 0;
        }
    }

    @Setup
    public void load() {
        Random rnd = new Random(20261207L);
        for (int s = 0; s < 40; s++) {
            HistogramSamples gen = new HistogramSamples(rnd.nextLong(), schema, false);
            long[] ts = new long[480];
            FloatHistogram[] hs = new FloatHistogram[480];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = 1_765_000_000_000L + 15_000L * i + rnd.nextInt(3);
                hs[i] = gen.next(50 + rnd.nextInt(101), FloatHistogram.ResetHint.NO);
            }
            timestamps.add(ts);
            histograms.add(hs);
            out.reset();
            writer.write(ts, null, hs, 0, hs.length, out);
            encoded.add(Arrays.copyOf(out.array(), out.length()));
        }
    }

    @TearDown(Level.Iteration)
    public void report() {
        cpu.report("histogram samples (schema " + schema + ")");
    }

    @Benchmark
    public int encode(Samples counter) {
        cpu.begin();
        int n = 0;
        int bytes = 0;
        for (int i = 0; i < histograms.size(); i++) {
            out.reset();
            bytes += writer.write(timestamps.get(i), null, histograms.get(i), 0, histograms.get(i).length, out);
            counter.samples += histograms.get(i).length;
            n += histograms.get(i).length;
        }
        cpu.end(n);
        return bytes;
    }

    @Benchmark
    public void decode(Samples counter, Blackhole bh) {
        cpu.begin();
        int n = 0;
        for (byte[] b : encoded) {
            HistogramChunkReader.Decoded d = reader.decode(b, 0, b.length);
            bh.consume(d.histograms()[d.count() - 1]);
            counter.samples += d.count();
            n += d.count();
        }
        cpu.end(n);
    }
}

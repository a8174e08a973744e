package dev.strata.benchmarks;

import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkHeader;
import dev.strata.store.encoding.ChunkReader;
import dev.strata.store.encoding.ChunkWriter;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Chunk encode and decode speed on the real datasets, chunked as the memstore chunks them. One
 * invocation encodes (or decodes) every chunk of the dataset; the {@code samples} aux counter gives
 * samples/s, so ns/sample = 1e9 / samples score. Decode includes the CRC32C check.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ChunkCodecBenchmark {
    @Param({"node-15s", "node-1s"})
    public String dataset;

    private List<Datasets.Chunk> chunks;
    private final ChunkWriter writer = new ChunkWriter();
    private final ChunkReader reader = new ChunkReader();
    private final ByteArrayBuilder out = new ByteArrayBuilder(1 << 20);
    private long[] ts;
    private double[] vs;

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
        chunks = Datasets.chunks(dataset);
        int max = 0;
        for (Datasets.Chunk c : chunks) max = Math.max(max, c.count());
        ts = new long[max];
        vs = new double[max];
    }

    @Benchmark
    public int encode(Samples counter) {
        int bytes = 0;
        for (Datasets.Chunk c : chunks) {
            out.reset();
            bytes += writer.write(c.timestamps(), c.values(), c.count(), out);
            counter.samples += c.count();
        }
        return bytes;
    }

    @Benchmark
    public void decode(Samples counter, Blackhole bh) {
        for (Datasets.Chunk c : chunks) {
            byte[] b = c.encoded();
            int n = reader.decode(b, 0, b.length, ts, vs);
            bh.consume(vs[n - 1]);
            counter.samples += n;
        }
    }

    /** Decode without the checksum pass (as when storage already verified the row). */
    @Benchmark
    public void decodeNoCrc(Samples counter, Blackhole bh) {
        for (Datasets.Chunk c : chunks) {
            byte[] b = c.encoded();
            ChunkHeader h = ChunkHeader.read(b, 0, b.length);
            int n = reader.decode(b, 0, b.length, h, ts, vs);
            bh.consume(vs[n - 1]);
            counter.samples += n;
        }
    }
}

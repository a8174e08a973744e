package dev.strata.store.tools;

import dev.strata.store.encoding.ByteArrayBuilder;
import dev.strata.store.encoding.ChunkHeader;
import dev.strata.store.encoding.ChunkReader;
import dev.strata.store.encoding.ChunkWriter;
import dev.strata.store.encoding.ConstValueCodec;
import dev.strata.store.encoding.DecimalBlockValueCodec;
import dev.strata.store.encoding.DecimalUlpValueCodec;
import dev.strata.store.encoding.DecimalValueCodec;
import dev.strata.store.encoding.ValueCodec;
import dev.strata.store.encoding.XorValueCodec;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.memstore.SealedChunk;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code strata inspect compression FILE}: loads a dataset file into a {@link MemShard} with the
 * default chunking (so chunks are cut exactly as ingestion cuts them), seals the tail, and reports
 * bytes per sample for each value codec forced on every chunk (header and timestamps included; a
 * codec that cannot represent a chunk is charged the gorilla-xor size for it, and its coverage is
 * shown), then, last, what the encoder actually chose: {@code chosen: <bytes/sample> bytes/sample}.
 */
public final class CompressionReport {
    private CompressionReport() {}

    public static void run(Path datasetFile, PrintStream out) {
        run(datasetFile, MemShardOptions.defaults(), out);
    }

    public static void run(Path datasetFile, MemShardOptions chunking, PrintStream out) {
        MemShard shard = new MemShard(0, chunking.withMemoryBudgetBytes(Long.MAX_VALUE));
        int[] series = {0};
        long[] samples = {0};
        try {
            DatasetReader.read(datasetFile, (labels, ts, vs, n) -> {
                int id = series[0]++;
                shard.createSeries(id, labels);
                for (int i = 0; i < n; i++) {
                    shard.append(id, ts[i], vs[i]);
                }
                samples[0] += n;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + datasetFile + ": " + e.getMessage(), e);
        }
        shard.sealAll();

        ValueCodec[] codecs = {new XorValueCodec(), new ConstValueCodec(), new DecimalValueCodec(0), new DecimalValueCodec(1),
            new DecimalValueCodec(2), new DecimalValueCodec(), new DecimalBlockValueCodec(), DecimalBlockValueCodec.patched(), new DecimalUlpValueCodec()};
        long[] bytes = new long[codecs.length];
        long[] applicable = new long[codecs.length];
        long[] chosenBy = new long[16];
        long chosenBytes = 0, chunks = 0, stored = 0;
        ChunkWriter writer = new ChunkWriter();
        ChunkReader reader = new ChunkReader();
        ByteArrayBuilder buf = new ByteArrayBuilder(1 << 16);
        long[] ts = new long[0];
        double[] vs = new double[0];
        for (int id = 0; id < series[0]; id++) {
            for (SealedChunk c : shard.chunks(id)) {
                byte[] b = c.bytes();
                ChunkHeader h = ChunkHeader.read(b, 0, b.length);
                if (ts.length < h.count()) {
                    ts = new long[h.count()];
                    vs = new double[h.count()];
                }
                int n = reader.decode(b, 0, b.length, ts, vs);
                chunks++;
                stored += n;
                chosenBytes += b.length;
                chosenBy[h.valueCodec()]++;
                buf.reset();
                int xorLen = writer.write(ts, vs, n, codecs[0], buf);
                for (int k = 0; k < codecs.length; k++) {
                    buf.reset();
                    int len = writer.write(ts, vs, n, codecs[k], buf);
                    if (len >= 0) applicable[k]++;
                    bytes[k] += len >= 0 ? len : xorLen;
                }
            }
        }
        if (stored != samples[0]) {
            throw new IllegalStateException("chunks hold " + stored + " samples but the file has " + samples[0] + " (rejected duplicates or out-of-order samples?)");
        }
        out.printf(Locale.ROOT, "file: %s%n", datasetFile);
        out.printf(Locale.ROOT, "series: %d%n", series[0]);
        out.printf(Locale.ROOT, "samples: %d%n", samples[0]);
        out.printf(Locale.ROOT, "chunks: %d (window %d ms, at most %d samples)%n", chunks, chunking.chunkDurationMs(), chunking.maxSamplesPerChunk());
        for (int k = 0; k < codecs.length; k++) {
            out.printf(Locale.ROOT, "codec %-15s %.3f bytes/sample (applies to %.1f%% of chunks%s)%n", codecs[k].name(),
                per(bytes[k], samples[0]), chunks == 0 ? 0.0 : 100.0 * applicable[k] / chunks,
                applicable[k] == chunks ? "" : "; gorilla-xor size counted for the rest");
        }
        StringBuilder mix = new StringBuilder();
        for (ValueCodec c : new ValueCodec[] {codecs[0], codecs[1], codecs[5], codecs[6], codecs[7], codecs[8]}) {
            mix.append(' ').append(c.name()).append('=').append(chosenBy[c.id()]);
        }
        out.printf(Locale.ROOT, "chosen codecs (chunks):%s%n", mix);
        out.printf(Locale.ROOT, "chosen: %.3f bytes/sample%n", per(chosenBytes, samples[0]));
    }

    private static double per(long bytes, long samples) {
        return samples == 0 ? 0 : (double) bytes / samples;
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: CompressionReport DATASET.jsonl.gz");
            System.exit(2);
        }
        run(Path.of(args[0]), System.out);
    }
}

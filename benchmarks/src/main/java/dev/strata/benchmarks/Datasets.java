package dev.strata.benchmarks;

import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.memstore.SealedChunk;
import dev.strata.store.model.Labels;
import dev.strata.store.tools.DatasetReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads the shared datasets (../shared/datasets relative to the working directory, i.e. the repo
 * root, or -Dstrata.datasets=DIR) for benchmarks.
 */
final class Datasets {
    private Datasets() {}

    record Series(Labels labels, long[] timestamps, double[] values) {}

    /** Raw samples of one chunk, as the memstore cuts them, and its encoded bytes. */
    record Chunk(long[] timestamps, double[] values, int count, byte[] encoded) {}

    static Path file(String name) {
        Path dir = Path.of(System.getProperty("strata.datasets", "../shared/datasets"));
        Path f = dir.resolve(name + ".jsonl.gz");
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("dataset " + f.toAbsolutePath() + " not found; run from the repo root or set -Dstrata.datasets=DIR");
        }
        return f;
    }

    static List<Series> load(String name) {
        List<Series> out = new ArrayList<>();
        try {
            DatasetReader.read(file(name), (labels, ts, vs, n) -> out.add(new Series(labels, Arrays.copyOf(ts, n), Arrays.copyOf(vs, n))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The dataset cut into chunks exactly as a MemShard with default options cuts it. */
    static List<Chunk> chunks(String name) {
        List<Series> series = load(name);
        MemShard shard = new MemShard(0, MemShardOptions.defaults().withMemoryBudgetBytes(Long.MAX_VALUE));
        for (int id = 0; id < series.size(); id++) {
            Series s = series.get(id);
            shard.createSeries(id, s.labels());
            for (int i = 0; i < s.timestamps().length; i++) shard.append(id, s.timestamps()[i], s.values()[i]);
        }
        shard.sealAll();
        List<Chunk> out = new ArrayList<>();
        for (int id = 0; id < series.size(); id++) {
            Series s = series.get(id);
            int from = 0;
            for (SealedChunk c : shard.chunks(id)) {
                int n = c.count();
                out.add(new Chunk(Arrays.copyOfRange(s.timestamps(), from, from + n), Arrays.copyOfRange(s.values(), from, from + n), n, c.bytes()));
                from += n;
            }
        }
        return out;
    }
}

package dev.strata.benchmarks;

import dev.strata.index.ShardIndex;
import dev.strata.store.series.SeriesKeyListing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A committed ~1M-series label index cached on disk under benchmarks/target between benchmark runs
 * (building it takes a while). Override the location with -Dstrata.bench.dir=...
 */
final class CachedLabelIndex {
    static final int SHARD = 0;
    static final long COMMITTED_OFFSET = 123_456_789L;

    private CachedLabelIndex() {}

    static Path dir() {
        return Path.of(System.getProperty("strata.bench.dir", "benchmarks/target/bench-data"), "label-index-1m-v6");
    }

    /** Opens the cached index, building and committing it first if absent or stale. */
    static ShardIndex openOrBuild(LabelSetGenerator gen) throws IOException {
        Path dir = dir();
        if (Files.exists(dir)) {
            ShardIndex index = ShardIndex.open(dir, SHARD, SeriesKeyListing.empty());
            if (index.seriesCount() == gen.seriesCount() && index.committedOffset() == COMMITTED_OFFSET) return index;
            index.close();
            deleteRecursively(dir);
        }
        ShardIndex index = ShardIndex.open(dir, SHARD, SeriesKeyListing.empty());
        long t0 = System.nanoTime();
        long[] n = {0};
        gen.forEach(l -> {
            int id = index.addSeries(l, 1_700_000_000_000L + n[0]);
            index.updateLastSampleTime(id, 1_700_000_000_000L + 3_600_000L + n[0]++);
        });
        index.commit(COMMITTED_OFFSET);
        System.out.printf("built %d-series label index in %s in %.1f s%n", n[0], dir, (System.nanoTime() - t0) / 1e9);
        return index;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}

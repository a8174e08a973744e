package dev.strata.store.paging;

import dev.strata.store.cassandra.ChunkRow;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where paged chunks come from: the stored chunks of one series (by label hash) overlapping
 * [fromMs, toMs], in start order; they may overlap each other. {@code ChunkTable::read} is one.
 */
@FunctionalInterface
public interface ChunkSource {
    CompletionStage<List<ChunkRow>> read(int shard, long seriesHash, long fromMs, long toMs);
}

package dev.strata.query.api;

import dev.strata.index.Matcher;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.model.Labels;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.roaringbitmap.IntIterator;

/**
 * Series, label names and label values straight from the shards' label indexes (no samples are read),
 * merged over the shards this node holds. The shard list is asked for on every call, so shards that
 * open later are included. Thread safe.
 */
public final class IndexMetadataSource implements SeriesMetadataSource {
    private final Supplier<List<LocalShardsQueryable.Shard>> shards;

    public IndexMetadataSource(Supplier<List<LocalShardsQueryable.Shard>> shards) {
        this.shards = shards;
    }

    @Override
    public List<Labels> series(List<Matcher> matchers, long minT, long maxT, long limitHint) {
        TreeSet<Labels> out = new TreeSet<>();
        for (LocalShardsQueryable.Shard shard : shards.get()) {
            IntIterator it = shard.index().select(matchers, minT, maxT).getIntIterator();
            while (it.hasNext()) {
                Labels labels = shard.index().labels(it.next());
                if (labels != null) out.add(labels);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers, long minT, long maxT, long limitHint) {
        TreeSet<String> out = new TreeSet<>();
        for (LocalShardsQueryable.Shard shard : shards.get()) {
            out.addAll(shard.index().labelNames(matchers, minT, maxT));
        }
        return List.copyOf(out);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers, long minT, long maxT, long limitHint) {
        TreeSet<String> out = new TreeSet<>();
        for (LocalShardsQueryable.Shard shard : shards.get()) {
            out.addAll(shard.index().labelValues(name, matchers, minT, maxT));
        }
        out.remove("");
        return List.copyOf(out);
    }
}

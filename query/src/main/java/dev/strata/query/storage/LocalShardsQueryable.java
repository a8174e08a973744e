package dev.strata.query.storage;

import dev.strata.index.Matcher;
import dev.strata.index.ShardIndex;
import dev.strata.store.SampleIterator;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * {@link Queryable} over the shards held by this node: each shard's label index picks the series
 * (matchers + activity in the time range) and its {@link MemShard} supplies the samples. Reads only
 * what is in memory; older, evicted data is the business of the persistent store's reader.
 */
public final class LocalShardsQueryable implements Queryable {
    /** One shard: its index and its in-memory samples, sharing series ids. */
    public record Shard(ShardIndex index, MemShard memory) {}

    private final List<Shard> shards;

    public LocalShardsQueryable(List<Shard> shards) {
        this.shards = List.copyOf(shards);
    }

    @Override
    public List<Series> select(List<Matcher> matchers, long minT, long maxT) {
        List<Series> out = new ArrayList<>();
        long[] ts = new long[256];
        double[] vs = new double[256];
        for (Shard shard : shards) {
            RoaringBitmap ids = shard.index().select(matchers, minT, maxT);
            IntIterator it = ids.getIntIterator();
            while (it.hasNext()) {
                int id = it.next();
                SampleIterator si = shard.memory().iterator(id, minT, maxT);
                int n = 0;
                while (si.next()) {
                    if (n == ts.length) {
                        ts = Arrays.copyOf(ts, n * 2);
                        vs = Arrays.copyOf(vs, n * 2);
                    }
                    ts[n] = si.timestamp();
                    vs[n++] = si.value();
                }
                if (n == 0) continue;
                Labels labels = shard.index().labels(id);
                if (labels == null) labels = shard.memory().labels(id);
                if (labels == null) continue;
                out.add(new Series(labels, Arrays.copyOf(ts, n), Arrays.copyOf(vs, n)));
            }
        }
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return out;
    }
}

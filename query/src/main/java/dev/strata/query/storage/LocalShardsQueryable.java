package dev.strata.query.storage;

import dev.strata.index.Matcher;
import dev.strata.store.SampleIterator;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.model.Labels;
import dev.strata.store.paging.ChunkPager;
import dev.strata.store.paging.PageBudget;
import dev.strata.index.ShardIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * {@link Queryable} over the shards held by this node: each shard's label index picks the series
 * (matchers + activity in the time range) and its {@link MemShard} supplies the samples. Reads only
 * what is in memory; older, evicted data is the business of the persistent store's reader.
 * Series are visited in label order; each one's chunks are decoded into one reused pair of arrays
 * right before its visit, so a select holds one series' samples at a time.
 */
public final class LocalShardsQueryable implements Queryable {
    /**
     * One shard: its index and its in-memory samples, sharing series ids, and optionally the pager
     * that reads what is older than memory from persistent storage (null: memory only).
     */
    public record Shard(ShardIndex index, MemShard memory, ChunkPager pager) {
        public Shard(ShardIndex index, MemShard memory) {
            this(index, memory, null);
        }
    }

    /** Per-query paging limits: at most this many chunks and bytes read from storage by one select. */
    private static final long MAX_PAGED_CHUNKS = 2_000_000;
    private static final long MAX_PAGED_BYTES = 1L << 30;

    /** A selected series before its samples are read. */
    private record Ref(Labels labels, Shard shard, int id) {}

    private final List<Shard> shards;

    public LocalShardsQueryable(List<Shard> shards) {
        this.shards = List.copyOf(shards);
    }

    @Override
    public List<Series> select(List<Matcher> matchers, long minT, long maxT) {
        List<Series> out = new ArrayList<>();
        select(matchers, minT, maxT, (labels, ts, vs, sts, hs, n) -> out.add(new Series(labels, Arrays.copyOf(ts, n),
                Arrays.copyOf(vs, n), sts == null ? null : Arrays.copyOf(sts, n), hs == null ? null : Arrays.copyOf(hs, n))));
        return out;
    }

    @Override
    public void select(List<Matcher> matchers, long minT, long maxT, SeriesVisitor visitor) {
        List<Ref> refs = new ArrayList<>();
        for (Shard shard : shards) {
            RoaringBitmap ids = shard.index().select(matchers, minT, maxT);
            IntIterator it = ids.getIntIterator();
            while (it.hasNext()) {
                int id = it.next();
                Labels labels = shard.index().labels(id);
                if (labels == null) labels = shard.memory().labels(id);
                if (labels != null) refs.add(new Ref(labels, shard, id));
            }
        }
        refs.sort((a, b) -> a.labels().compareTo(b.labels()));
        PageBudget budget = new PageBudget(MAX_PAGED_CHUNKS, MAX_PAGED_BYTES);
        SampleBuffer buf = new SampleBuffer();
        for (Ref r : refs) {
            int n = buf.read(iterator(r.shard(), r.id(), minT, maxT, budget));
            if (n == 0) continue;
            visitor.visit(r.labels(), buf.timestamps, buf.values, buf.startTimestampsOrNull(), buf.histogramsOrNull(), n);
        }
    }

    private static SampleIterator iterator(Shard shard, int id, long minT, long maxT, PageBudget budget) {
        if (shard.pager() == null) return shard.memory().iterator(id, minT, maxT);
        Labels labels = shard.index().labels(id);
        if (labels == null) return shard.memory().iterator(id, minT, maxT);
        return shard.pager().iterator(id, labels, shard.index().firstSampleTime(id), minT, maxT, budget);
    }
}

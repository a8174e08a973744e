package dev.strata.query.distributed;

import dev.strata.index.Matcher;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.query.api.IndexMetadataSource;
import dev.strata.query.api.SeriesMetadataSource;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Series, label names and label values across the cluster from the owners' label indexes (no samples
 * are read): each needed shard (pruned by the shard key as for selects) is asked of one ready owner,
 * this node first, over {@code POST /internal/v1/metadata} (docs/format/select.md), with the routing,
 * failover and timeouts of {@link ShardRouter}; answers are merged and deduplicated. With a limit hint,
 * every owner sends only its first {@code limitHint} items in sorted order, which is enough for the
 * first {@code limitHint} of the merged answer. Shards without a ready owner are reported by
 * {@link #request}: a warning naming them, or an {@code unavailable} failure with
 * {@code partial_response=false}.
 */
public final class ClusterMetadataSource implements SeriesMetadataSource {
    public static final String METADATA_PATH = "/internal/v1/metadata";

    private final ShardOwners topology;
    private final LocalShards local;
    private final PeerTransport peers;
    private final ShardMapper mapper;
    private final ShardRouter router;

    public ClusterMetadataSource(ShardOwners topology, LocalShards local, PeerTransport peers, ShardMapper mapper) {
        this.topology = topology;
        this.local = local;
        this.peers = peers;
        this.mapper = mapper;
        this.router = new ShardRouter(topology, local, peers);
    }

    @Override
    public <T> T request(boolean partialAllowed, List<String> warnings, Supplier<T> body) {
        QueryScope[] scope = new QueryScope[1];
        T out = QueryScope.run(partialAllowed, scope, body);
        Set<Integer> missing = scope[0].missing();
        if (!missing.isEmpty()) warnings.add(PartialResponseEvaluator.WARNING_PREFIX + missing);
        return out;
    }

    @Override
    public List<Labels> series(List<Matcher> matchers, long minT, long maxT, long limitHint) {
        List<Labels> out = new ArrayList<>();
        for (Object o : lookup(MetadataRequest.Kind.SERIES, "", matchers, minT, maxT, limitHint)) out.add((Labels) o);
        return out;
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers, long minT, long maxT, long limitHint) {
        return strings(lookup(MetadataRequest.Kind.LABEL_NAMES, "", matchers, minT, maxT, limitHint));
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers, long minT, long maxT, long limitHint) {
        return strings(lookup(MetadataRequest.Kind.LABEL_VALUES, name, matchers, minT, maxT, limitHint));
    }

    private static List<String> strings(List<Object> items) {
        List<String> out = new ArrayList<>(items.size());
        for (Object o : items) out.add((String) o);
        return out;
    }

    /** Sorted, deduplicated items of every touched shard. */
    private List<Object> lookup(MetadataRequest.Kind kind, String name, List<Matcher> matchers, long minT, long maxT,
                                long limitHint) {
        int[] shards = ClusterQueryable.touchedShards(mapper, topology.shardCount(), matchers);
        List<List<Object>> answers = router.gatherAnswers(shards,
                s -> answer(local, new MetadataRequest(kind, new ArrayList<>(s), name, matchers, minT, maxT, limitHint), s),
                (peer, s) -> peers.post(peer, METADATA_PATH,
                        MetadataCodec.encodeRequest(new MetadataRequest(kind, s, name, matchers, minT, maxT, limitHint))),
                body -> MetadataCodec.decodeResponse(kind, body));
        TreeSet<Object> merged = new TreeSet<>();
        for (List<Object> a : answers) merged.addAll(a);
        return new ArrayList<>(merged);
    }

    /**
     * Answers {@code r} from the label indexes of the given local shards: sorted, deduplicated, cut to
     * the request's limit. Used for this node's part and by the {@code /internal/v1/metadata} endpoint.
     */
    public static List<Object> answer(LocalShards local, MetadataRequest r, Set<Integer> shards) {
        IndexMetadataSource index = new IndexMetadataSource(() -> local.open(shards));
        List<?> items = switch (r.kind()) {
            case SERIES -> index.series(r.matchers(), r.minT(), r.maxT(), r.limit());
            case LABEL_NAMES -> index.labelNames(r.matchers(), r.minT(), r.maxT(), r.limit());
            case LABEL_VALUES -> index.labelValues(r.name(), r.matchers(), r.minT(), r.maxT(), r.limit());
        };
        int n = r.limit() > 0 ? (int) Math.min(items.size(), r.limit()) : items.size();
        return new ArrayList<>(items.subList(0, n));
    }
}

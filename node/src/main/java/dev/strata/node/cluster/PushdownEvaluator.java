package dev.strata.node.cluster;

import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.QueryStats;
import dev.strata.query.engine.Sample;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.engine.Value;
import dev.strata.query.engine.Vector;
import dev.strata.query.parser.Parser;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.query.storage.Series;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evaluates {@link AggregationPushdown} plans by sending the query itself to one ready owner per
 * shard (POST /internal/v1/query) and merging the partial aggregates, so only aggregated series cross
 * the network; every other query goes to the delegate (the engine over {@link ClusterQueryable}).
 * The merged result is sorted by labels, as the engine sorts its own.
 */
public final class PushdownEvaluator implements QueryEvaluator {
    public static final String QUERY_PATH = "/internal/v1/query";

    private final QueryEvaluator delegate;
    private final ClusterQueryable cluster;
    private final ShardRouter router;
    private final LocalShards local;
    private final PeerClient peers;

    public PushdownEvaluator(QueryEvaluator delegate, ClusterQueryable cluster, ClusterTopology topology, LocalShards local,
                             PeerClient peers, long peerTimeoutMs) {
        this.delegate = delegate;
        this.cluster = cluster;
        this.router = new ShardRouter(topology, local, peerTimeoutMs);
        this.local = local;
        this.peers = peers;
    }

    @Override
    public QueryResult instant(String query, long timeMs, QueryOptions options) {
        Optional<AggregationPushdown.Plan> plan = AggregationPushdown.plan(Parser.parse(query));
        if (plan.isEmpty()) return delegate.instant(query, timeMs, options);
        return run(plan.get(), query, timeMs, timeMs, 0, options);
    }

    @Override
    public QueryResult range(String query, long startMs, long endMs, long stepMs, QueryOptions options) {
        Optional<AggregationPushdown.Plan> plan = AggregationPushdown.plan(Parser.parse(query));
        if (plan.isEmpty()) return delegate.range(query, startMs, endMs, stepMs, options);
        return run(plan.get(), query, startMs, endMs, stepMs, options);
    }

    private QueryResult run(AggregationPushdown.Plan plan, String query, long start, long end, long step, QueryOptions options) {
        long t0 = System.nanoTime();
        int[] shards = cluster.touchedShards(plan.matchers());
        Map<Labels, TreeMap<Long, Double>> merged;
        if (plan.op().equals("avg")) {
            Map<Labels, TreeMap<Long, Double>> sums = gather("sum", plan.as("sum"), shards, start, end, step, options);
            Map<Labels, TreeMap<Long, Double>> counts = gather("count", plan.as("count"), shards, start, end, step, options);
            merged = new TreeMap<>();
            sums.forEach((labels, points) -> {
                TreeMap<Long, Double> c = counts.get(labels);
                TreeMap<Long, Double> avg = new TreeMap<>();
                points.forEach((t, sum) -> {
                    Double n = c == null ? null : c.get(t);
                    if (n != null && n > 0) avg.put(t, sum / n);
                });
                if (!avg.isEmpty()) merged.put(labels, avg);
            });
        } else {
            merged = gather(plan.op(), query, shards, start, end, step, options);
        }
        Value value;
        if (step == 0) {
            List<Sample> samples = new ArrayList<>();
            merged.forEach((labels, points) -> points.forEach((t, v) -> samples.add(new Sample(labels, t, v))));
            value = new Vector(samples);
        } else {
            List<SeriesPoints> series = new ArrayList<>();
            merged.forEach((labels, points) -> {
                long[] ts = new long[points.size()];
                double[] vs = new double[points.size()];
                int i = 0;
                for (Map.Entry<Long, Double> p : points.entrySet()) {
                    ts[i] = p.getKey();
                    vs[i++] = p.getValue();
                }
                series.add(new SeriesPoints(labels, ts, vs));
            });
            value = new Matrix(series);
        }
        return new QueryResult(value, List.of(), List.of(), new QueryStats(0, 0, System.nanoTime() - t0));
    }

    /** Runs {@code query} on one ready owner of each shard and merges the partial aggregates with {@code op}. */
    private Map<Labels, TreeMap<Long, Double>> gather(String op, String query, int[] shards, long start, long end, long step,
                                                      QueryOptions options) {
        List<Series> partials = router.gather(shards,
                s -> evaluateOn(local, s, query, start, end, step, options),
                (peer, s) -> peers.post(peer, QUERY_PATH, SelectCodec.encodePushdown(
                        new PushdownRequest(s, query, start, end, step, options.lookbackDeltaMs()))));
        Map<Labels, TreeMap<Long, Double>> merged = new TreeMap<>();
        for (Series s : partials) {
            TreeMap<Long, Double> points = merged.computeIfAbsent(s.labels(), k -> new TreeMap<>());
            for (int i = 0; i < s.size(); i++) {
                points.merge(s.timestamps()[i], s.values()[i], (a, b) -> AggregationPushdown.merge(op, a, b));
            }
        }
        return merged;
    }

    /**
     * Evaluates {@code query} over the given local shards only, as series (an instant result is one
     * sample per series). Used for this node's part and by the {@code /internal/v1/query} endpoint.
     */
    static List<Series> evaluateOn(LocalShards local, Set<Integer> shards, String query, long start, long end, long step,
                                   QueryOptions options) {
        Engine engine = new Engine(new LocalShardsQueryable(local.open(shards)), options);
        List<Series> out = new ArrayList<>();
        if (step == 0) {
            Value v = engine.instantQuery(query, start, options).value();
            for (Sample s : ((Vector) v).samples()) {
                out.add(new Series(s.metric(), new long[] {s.timestampMs()}, new double[] {s.value()}));
            }
        } else {
            Value v = engine.rangeQuery(query, start, end, step, options).value();
            for (SeriesPoints p : ((Matrix) v).series()) out.add(new Series(p.metric(), p.timestamps(), p.values()));
        }
        return out;
    }
}

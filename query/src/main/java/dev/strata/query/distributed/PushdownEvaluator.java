package dev.strata.query.distributed;

import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.ast.Expr;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.PartialAggregation;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.Sample;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.engine.Vector;
import dev.strata.query.parser.Parser;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.query.storage.Series;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Evaluates queries with pushable aggregations ({@link AggregationPushdown}) in three steps, plan
 * ({@link PushdownPlan}), fan-out ({@link PartialFanOut}) and merge ({@link PartialMerge}): sending each of them to
 * one ready owner per shard (POST /internal/v1/query), merging the partial answers, and evaluating the
 * rest of the query here with the engine over the merged results ({@link PlaceholderQueryable}) and, for
 * parts that are not pushed, the cluster's raw series. Only aggregated series cross the network for the
 * pushed parts. Queries without a pushable aggregation go to the delegate (the engine over
 * {@link ClusterQueryable}).
 *
 * <p>Native histograms: the {@code sum} of a pushed sum or avg is asked with
 * {@link #PARTIALS_PARAM}; owners answer its histogram steps as {@link dev.strata.query.engine.HistogramPartial}s
 * (response version 6), which {@link PartialMerge} merges into one node's values and annotations. An
 * answer holding histograms the merge cannot take (an owner that predates version 6) makes the query
 * run over the cluster's raw series instead.
 *
 * <p>Limits: every sample of the partial answers is held here at once, so their total counts against the
 * query's max-samples limit, with the engine's error; the evaluation of the rest counts as usual.
 * Warnings and infos of the owners' evaluations come back with their answers and are reported with the
 * merging node's own, without repeats.
 *
 * <p>Concurrency: all partial queries of a query (each pushed aggregation's, avg's sum and count, the
 * order keys of an instant answer) run at once on the partial-query executor (a lone one on the calling
 * thread), each bounded by the peer and work timeouts of {@link PeerTransport} as
 * {@link ShardRouter} applies them, in the caller's {@link QueryScope}. The first failure fails the
 * query; the other partial queries are then cancelled (their threads interrupted, their calls to peers
 * aborted). Merging happens after all have answered, in a fixed order, so annotations keep their order.
 *
 * <p>Statistics: Prometheus's "samples" count ({@code totalQueryableSamples}, also per step) is what the
 * owners report they loaded for each pushed aggregation (response version 4; avg's count and the order
 * keys read the same series again and are not counted, the three parts of stddev/stdvar count as one)
 * plus what this node's engine loads for the rest of the query, without the values of the placeholders
 * ({@link PlaceholderQueryable#placeholderValuesPerStep}): the same figures as one node holding all the
 * data. {@code peakSamples} is this node's engine's own peak over the merged results, not comparable with
 * one node's; the evaluation time covers the partial queries and the merge.
 */
public final class PushdownEvaluator implements QueryEvaluator {
    public static final String QUERY_PATH = "/internal/v1/query";
    /** Query parameter of {@link #QUERY_PATH}: {@code samples=1} asks for the owner's sample counts (response version 4). */
    public static final String SAMPLES_PARAM = "samples";
    static final String QUERY_WITH_SAMPLES = QUERY_PATH + "?" + SAMPLES_PARAM + "=1";
    /**
     * Query parameter of {@link #QUERY_PATH}: {@code partials=1} asks, for a {@code sum}, for its native
     * histograms as {@link dev.strata.query.engine.HistogramPartial}s (response version 6) rather than as
     * final sums, so that the asker can merge them exactly. An owner that predates it ignores it.
     */
    public static final String PARTIALS_PARAM = "partials";
    static final String QUERY_WITH_PARTIALS = QUERY_WITH_SAMPLES + "&" + PARTIALS_PARAM + "=1";

    private final QueryEvaluator delegate;
    private final ClusterQueryable cluster;
    private final PartialFanOut fanOut;

    /**
     * @param partialExecutor runs a query's partial queries when it has more than one (see the class comment);
     *                        its tasks wait on peers but never on this executor, so any size is deadlock-free
     */
    public PushdownEvaluator(QueryEvaluator delegate, ClusterQueryable cluster, ShardOwners topology, LocalShards local,
                             PeerTransport peers, ExecutorService partialExecutor) {
        this.delegate = delegate;
        this.cluster = cluster;
        this.fanOut = new PartialFanOut(cluster, new ShardRouter(topology, local, peers), local, peers, partialExecutor);
    }

    @Override
    public QueryResult instant(String query, long timeMs, QueryOptions options) {
        Parser.Parsed parsed = Parser.parseWithPositions(query);
        AggregationPushdown.Rewrite rw = AggregationPushdown.rewrite(parsed.expr(), options.delayedNameRemoval());
        if (rw.pushed().isEmpty()) return delegate.instant(query, timeMs, options);
        return run(query, parsed, rw, timeMs, timeMs, 0, options);
    }

    @Override
    public QueryResult range(String query, long startMs, long endMs, long stepMs, QueryOptions options) {
        Parser.Parsed parsed = Parser.parseWithPositions(query);
        AggregationPushdown.Rewrite rw = AggregationPushdown.rewrite(parsed.expr(), options.delayedNameRemoval());
        // Invalid ranges and result types are reported by the delegate, with the engine's errors.
        if (rw.pushed().isEmpty() || stepMs <= 0 || endMs < startMs || !isVectorOrScalar(rw.expr())) {
            return delegate.range(query, startMs, endMs, stepMs, options);
        }
        return run(query, parsed, rw, startMs, endMs, stepMs, options);
    }

    private static boolean unmergeableHistograms(List<PushdownPlan.Partial> partials, List<List<SelectResponse>> answers) {
        for (int i = 0; i < partials.size(); i++) {
            if (PartialMerge.unmergeableHistograms(partials.get(i), answers.get(i))) return true;
        }
        return false;
    }

    private static boolean isVectorOrScalar(Expr e) {
        return e.type() == dev.strata.query.ast.ValueType.VECTOR || e.type() == dev.strata.query.ast.ValueType.SCALAR;
    }

    private QueryResult run(String query, Parser.Parsed parsed, AggregationPushdown.Rewrite rw, long start, long end, long step, QueryOptions options) {
        long t0 = System.nanoTime();
        long[] stepTimes = PushdownPlan.stepTimes(start, end, step);
        List<PushdownPlan.Partial> partials = PushdownPlan.partials(rw, step);
        List<List<SelectResponse>> answers = fanOut.runAll(partials, start, end, step, options);
        if (unmergeableHistograms(partials, answers)) {
            // Native histograms the merge cannot take (an owner that predates histogram partials): the
            // query is evaluated over the cluster's raw series instead (correct, without the pushdown's savings).
            return step == 0 ? delegate.instant(query, start, options) : delegate.range(query, start, end, step, options);
        }

        Set<String> warnings = new LinkedHashSet<>(), infos = new LinkedHashSet<>();
        long[] ownerSamples = new long[stepTimes.length];
        for (int i = 0; i < partials.size(); i++) {
            PushdownPlan.Partial part = partials.get(i);
            if (part.role() != PushdownPlan.Role.ORDER_KEYS) PartialMerge.annotations(part, answers.get(i), parsed, query, warnings, infos);
            if (part.role() == PushdownPlan.Role.MAIN) PartialMerge.addSamples(part, answers.get(i), ownerSamples);
        }
        Map<String, List<Series>> placeholders = new HashMap<>();
        for (AggregationPushdown.Pushed p : rw.pushed()) {
            Map<PushdownPlan.Role, List<SelectResponse>> of = new HashMap<>();
            for (int i = 0; i < partials.size(); i++) if (partials.get(i).pushed() == p) of.put(partials.get(i).role(), answers.get(i));
            String position = parsed.position(p.aggregate().expr(), query);
            List<Series> series = PlaceholderQueryable.series(PartialMerge.merged(p, of.get(PushdownPlan.Role.MAIN),
                    of.get(PushdownPlan.Role.AVG_COUNT), position, warnings, infos), stepTimes);
            if (of.containsKey(PushdownPlan.Role.ORDER_KEYS)) series = PartialMerge.inEngineOrder(p, series, of.get(PushdownPlan.Role.ORDER_KEYS));
            placeholders.put(p.placeholder(), series);
        }
        PlaceholderQueryable storage = new PlaceholderQueryable(placeholders, cluster, stepTimes.length);
        Engine engine = new Engine(storage, options);
        // Nodes of the rewritten query point where their originals are in the user's query.
        IdentityHashMap<Expr, Integer> positions = new IdentityHashMap<>(parsed.positions());
        rw.origins().forEach((built, original) -> {
            Integer pos = parsed.positions().get(original);
            if (pos != null) positions.put(built, pos);
        });
        QueryResult r = engine.evaluate(new Parser.Parsed(rw.expr(), positions), query, start, end, step, options);
        warnings.addAll(r.warnings());
        infos.addAll(r.infos());
        return new QueryResult(r.value(), new ArrayList<>(warnings), new ArrayList<>(infos),
                PartialMerge.stats(r.stats(), ownerSamples, storage.placeholderValuesPerStep(), System.nanoTime() - t0));
    }

    /**
     * Evaluates {@code query} over the given local shards only, as series (an instant result is one
     * sample per series) with the evaluation's warnings, infos and sample counts. Used for this node's part and by the
     * {@code /internal/v1/query} endpoint. {@code histogramPartials}: {@code query} is a sum, answered
     * with {@link Engine#partialAggregation} (see {@link #PARTIALS_PARAM}).
     */
    public static SelectResponse evaluateOn(LocalShards local, Set<Integer> shards, String query, long start, long end, long step,
                                   QueryOptions options, boolean histogramPartials) {
        Engine engine = new Engine(new LocalShardsQueryable(local.open(shards)), options);
        if (histogramPartials) {
            PartialAggregation p = engine.partialAggregation(query, start, end, step, options);
            return new SelectResponse(new ArrayList<>(shards), p.series(), p.warnings(), p.infos(), SampleCounts.of(p.stats()),
                    p.partials());
        }
        List<Series> out = new ArrayList<>();
        QueryResult r;
        if (step == 0) {
            r = engine.instantQuery(query, start, options);
            for (Sample s : ((Vector) r.value()).samples()) {
                out.add(new Series(s.metric(), new long[] {s.timestampMs()}, new double[] {s.value()}, null,
                        s.histogram() == null ? null : new dev.strata.store.model.FloatHistogram[] {s.histogram()}));
            }
        } else {
            r = engine.rangeQuery(query, start, end, step, options);
            for (SeriesPoints p : ((Matrix) r.value()).series()) {
                out.add(new Series(p.metric(), p.timestamps(), p.values(), null, p.histograms()));
            }
        }
        return new SelectResponse(new ArrayList<>(shards), out, r.warnings(), r.infos(), SampleCounts.of(r.stats()));
    }
}

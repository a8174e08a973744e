package dev.strata.query.distributed;

import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.ast.Expr;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryException;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.QueryStats;
import dev.strata.query.engine.Sample;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.engine.Vector;
import dev.strata.query.parser.Parser;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.query.storage.Series;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evaluates queries with pushable aggregations ({@link AggregationPushdown}) by sending each of them to
 * one ready owner per shard (POST /internal/v1/query), merging the partial answers, and evaluating the
 * rest of the query here with the engine over the merged results ({@link PlaceholderQueryable}) and, for
 * parts that are not pushed, the cluster's raw series. Only aggregated series cross the network for the
 * pushed parts. Queries without a pushable aggregation go to the delegate (the engine over
 * {@link ClusterQueryable}).
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
    private static final String QUERY_WITH_SAMPLES = QUERY_PATH + "?" + SAMPLES_PARAM + "=1";

    private final QueryEvaluator delegate;
    private final ClusterQueryable cluster;
    private final ShardRouter router;
    private final LocalShards local;
    private final PeerTransport peers;
    private final ExecutorService partialExecutor;

    /**
     * @param partialExecutor runs a query's partial queries when it has more than one (see the class comment);
     *                        its tasks wait on peers but never on this executor, so any size is deadlock-free
     */
    public PushdownEvaluator(QueryEvaluator delegate, ClusterQueryable cluster, ShardOwners topology, LocalShards local,
                             PeerTransport peers, ExecutorService partialExecutor) {
        this.delegate = delegate;
        this.cluster = cluster;
        this.router = new ShardRouter(topology, local, peers);
        this.local = local;
        this.peers = peers;
        this.partialExecutor = partialExecutor;
    }

    @Override
    public QueryResult instant(String query, long timeMs, QueryOptions options) {
        Parser.Parsed parsed = Parser.parseWithPositions(query);
        AggregationPushdown.Rewrite rw = AggregationPushdown.rewrite(parsed.expr());
        if (rw.pushed().isEmpty()) return delegate.instant(query, timeMs, options);
        return run(query, parsed, rw, timeMs, timeMs, 0, options);
    }

    @Override
    public QueryResult range(String query, long startMs, long endMs, long stepMs, QueryOptions options) {
        Parser.Parsed parsed = Parser.parseWithPositions(query);
        AggregationPushdown.Rewrite rw = AggregationPushdown.rewrite(parsed.expr());
        // Invalid ranges and result types are reported by the delegate, with the engine's errors.
        if (rw.pushed().isEmpty() || stepMs <= 0 || endMs < startMs || !isVectorOrScalar(rw.expr())) {
            return delegate.range(query, startMs, endMs, stepMs, options);
        }
        return run(query, parsed, rw, startMs, endMs, stepMs, options);
    }

    private static boolean isVectorOrScalar(Expr e) {
        return e.type() == dev.strata.query.ast.ValueType.VECTOR || e.type() == dev.strata.query.ast.ValueType.SCALAR;
    }

    /** What a partial query is for. */
    private enum Role {
        /** The aggregation's own answer (avg: its sum; stddev/stdvar: the three parts): the samples it loads count. */
        MAIN,
        /** avg's count: reads the same series as its sum, whose samples already count. */
        AVG_COUNT,
        /** The first input series of each group (instant answers): neither samples nor annotations count. */
        ORDER_KEYS
    }

    /** One query sent to the owners of a pushed aggregation's shards. */
    private record Partial(AggregationPushdown.Pushed pushed, Role role, String query) {}

    private static List<Partial> partials(AggregationPushdown.Rewrite rw, long step) {
        List<Partial> out = new ArrayList<>();
        for (AggregationPushdown.Pushed p : rw.pushed()) {
            switch (p.merge()) {
                case AVG -> {
                    out.add(new Partial(p, Role.MAIN, p.as("sum")));
                    out.add(new Partial(p, Role.AVG_COUNT, p.as("count")));
                }
                case VARIANCE -> out.add(new Partial(p, Role.MAIN, p.varianceParts()));
                default -> out.add(new Partial(p, Role.MAIN, p.aggregate().toString()));
            }
            if (step == 0 && p.needsOrderKeys()) out.add(new Partial(p, Role.ORDER_KEYS, p.orderKeys()));
        }
        return out;
    }

    private QueryResult run(String query, Parser.Parsed parsed, AggregationPushdown.Rewrite rw, long start, long end, long step, QueryOptions options) {
        long t0 = System.nanoTime();
        long[] stepTimes = stepTimes(start, end, step);
        List<Partial> partials = partials(rw, step);
        List<List<SelectResponse>> answers = runAll(partials, start, end, step, options);

        Set<String> warnings = new LinkedHashSet<>(), infos = new LinkedHashSet<>();
        long[] ownerSamples = new long[stepTimes.length];
        for (int i = 0; i < partials.size(); i++) {
            Partial part = partials.get(i);
            if (part.role() != Role.ORDER_KEYS) annotations(part, answers.get(i), parsed, query, warnings, infos);
            if (part.role() == Role.MAIN) addSamples(part, answers.get(i), ownerSamples);
        }
        Map<String, List<Series>> placeholders = new HashMap<>();
        for (AggregationPushdown.Pushed p : rw.pushed()) {
            Map<Role, List<SelectResponse>> of = new HashMap<>();
            for (int i = 0; i < partials.size(); i++) if (partials.get(i).pushed() == p) of.put(partials.get(i).role(), answers.get(i));
            List<Series> series = PlaceholderQueryable.series(merged(p, of.get(Role.MAIN), of.get(Role.AVG_COUNT)), stepTimes);
            if (of.containsKey(Role.ORDER_KEYS)) series = inEngineOrder(p, series, of.get(Role.ORDER_KEYS));
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
                stats(r.stats(), ownerSamples, storage.placeholderValuesPerStep(), System.nanoTime() - t0));
    }

    /**
     * The query's stats: this node's engine's, with the samples the owners loaded for the pushed
     * aggregations in place of the placeholder values the engine counted for them.
     */
    private static QueryStats stats(QueryStats engine, long[] ownerSamples, long[] placeholderValues, long nanos) {
        long[] perStep = engine.totalQueryableSamplesPerStep().clone();
        if (perStep.length != ownerSamples.length) {
            throw new IllegalStateException("engine counted samples at " + perStep.length + " steps, the query has " + ownerSamples.length);
        }
        long total = 0;
        for (int i = 0; i < perStep.length; i++) total += perStep[i] += ownerSamples[i] - placeholderValues[i];
        return new QueryStats(engine.samplesScanned(), engine.peakSamples(), nanos, total, perStep, engine.firstStepMs(),
                engine.stepMs());
    }

    /**
     * Adds the sample counts the answers to a {@link Role#MAIN} partial query report. stddev/stdvar's
     * query evaluates its argument three times (count, mean, variance), each loading the same samples.
     * An answer without counts (an owner that predates them) adds nothing (docs/format/select.md).
     */
    private static void addSamples(Partial part, List<SelectResponse> answers, long[] into) {
        int evaluations = part.pushed().merge() == AggregationPushdown.Merge.VARIANCE ? 3 : 1;
        long[] sum = new long[into.length];
        for (SelectResponse r : answers) {
            SampleCounts c = r.samples();
            if (c == null || c.total() == 0) continue;
            long[] perStep = c.perStep();
            if (perStep.length != into.length) {
                throw new QueryException("internal", "an owner reported sample counts for " + perStep.length
                        + " steps of a pushed-down query of " + into.length + " steps");
            }
            for (int i = 0; i < perStep.length; i++) sum[i] += perStep[i];
        }
        for (int i = 0; i < into.length; i++) into[i] += sum[i] / evaluations;
    }

    /** Adds the answers' warnings and infos, positioned in the user's query, without repeats. */
    private static void annotations(Partial part, List<SelectResponse> answers, Parser.Parsed parsed, String query,
                                    Set<String> warnings, Set<String> infos) {
        AnnotationPositions at = null;
        for (SelectResponse r : answers) {
            if (r.warnings().isEmpty() && r.infos().isEmpty()) continue;
            if (at == null) at = AnnotationPositions.of(part.query(), part.pushed().aggregate(), parsed, query);
            for (String w : r.warnings()) warnings.add(at.map(w));
            for (String i : r.infos()) infos.add(at.map(i));
        }
    }

    /**
     * Runs every partial query at once (see the class comment); answers in the order of {@code partials}.
     * Their samples are taken from one max-samples budget; exhausting it fails the query as the engine would.
     */
    private List<List<SelectResponse>> runAll(List<Partial> partials, long start, long end, long step, QueryOptions options) {
        AtomicLong budget = new AtomicLong(options.maxSamples());
        if (partials.size() == 1) return List.of(gather(partials.get(0), start, end, step, options, budget));
        QueryScope scope = QueryScope.current();
        List<CompletableFuture<List<SelectResponse>>> results = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        try {
            for (Partial part : partials) {
                CompletableFuture<List<SelectResponse>> result = new CompletableFuture<>();
                result.whenComplete((v, e) -> {
                    if (e != null) firstFailure.completeExceptionally(e);
                });
                results.add(result);
                running.add(partialExecutor.submit(() -> {
                    try {
                        result.complete(QueryScope.within(scope, () -> gather(part, start, end, step, options, budget)));
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                }));
            }
            // Every partial query is bounded by the peer and work timeouts; the first failure ends the wait.
            CompletableFuture.anyOf(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)), firstFailure).get();
            List<List<SelectResponse>> out = new ArrayList<>(partials.size());
            for (CompletableFuture<List<SelectResponse>> r : results) out.add(r.join());
            return out;
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new QueryException("internal", "pushed-down partial query failed: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryException.Canceled("waiting for pushed-down partial queries");
        } finally {
            // Interrupts partial queries still waiting on peers; ShardRouter then aborts their calls.
            for (Future<?> f : running) f.cancel(true);
        }
    }

    /**
     * Runs one partial query on one ready owner of each shard its aggregation touches; one answer per
     * node that answered (this node's part, each peer's).
     */
    private List<SelectResponse> gather(Partial part, long start, long end, long step, QueryOptions options, AtomicLong budget) {
        String query = part.query();
        List<List<SelectResponse>> answers = router.gatherAnswers(cluster.touchedShards(part.pushed().matchers()),
                s -> List.of(evaluateOn(local, s, query, start, end, step, options)),
                (peer, s) -> peers.post(peer, QUERY_WITH_SAMPLES, SelectCodec.encodePushdown(
                        new PushdownRequest(s, query, start, end, step, options.lookbackDeltaMs()))),
                body -> {
                    SelectResponse r = SelectCodec.decodeResponse(body);
                    return new ShardRouter.Answer<>(r.served(), List.of(r));
                });
        List<SelectResponse> out = new ArrayList<>();
        for (List<SelectResponse> a : answers) out.addAll(a);
        for (SelectResponse r : out) {
            for (Series s : r.series()) {
                if (budget.addAndGet(-s.size()) < 0) throw new QueryException.TooManySamples();
            }
        }
        return out;
    }

    /**
     * The merged series of an instant answer in the order one node's engine would see its groups: by
     * the first input series of each group, the smallest of the owners' firsts (each owner's input is
     * sorted, and one node's input is their sorted merge), then by labels within a group (topk & co.).
     */
    private static List<Series> inEngineOrder(AggregationPushdown.Pushed p, List<Series> series, List<SelectResponse> orderKeys) {
        Map<Labels, Labels> firstOf = new HashMap<>();
        for (Series key : seriesOf(orderKeys)) {
            firstOf.merge(p.groupOf(key.labels()), key.labels(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        List<Series> ordered = new ArrayList<>(series);
        ordered.sort((a, b) -> {
            Labels ka = firstOf.get(p.groupOf(a.labels())), kb = firstOf.get(p.groupOf(b.labels()));
            int c = ka == null || kb == null ? (ka == kb ? 0 : ka == null ? 1 : -1) : ka.compareTo(kb);
            return c != 0 ? c : a.labels().compareTo(b.labels());
        });
        return ordered;
    }

    private static List<Series> seriesOf(List<SelectResponse> answers) {
        List<Series> out = new ArrayList<>();
        for (SelectResponse r : answers) out.addAll(r.series());
        return out;
    }

    private static long[] stepTimes(long start, long end, long step) {
        if (step == 0) return new long[] {start};
        long[] ts = new long[(int) ((end - start) / step) + 1];
        for (int i = 0; i < ts.length; i++) ts[i] = start + i * step;
        return ts;
    }

    /**
     * The merged answer of one pushed aggregation, points per output label set, from the answers to its
     * {@link Role#MAIN} query and, for avg, to its count.
     */
    private static Map<Labels, TreeMap<Long, Double>> merged(AggregationPushdown.Pushed p, List<SelectResponse> main,
                                                             List<SelectResponse> avgCount) {
        return switch (p.merge()) {
            case FOLD -> fold(p.foldOp(), seriesOf(main));
            case SELECT_AGAIN, UNION -> fold("first", seriesOf(main));
            case AVG -> {
                Map<Labels, TreeMap<Long, Double>> sums = fold("sum", seriesOf(main));
                Map<Labels, TreeMap<Long, Double>> counts = fold("sum", seriesOf(avgCount));
                Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
                sums.forEach((labels, points) -> {
                    TreeMap<Long, Double> c = counts.get(labels);
                    TreeMap<Long, Double> avg = new TreeMap<>();
                    points.forEach((t, sum) -> {
                        Double n = c == null ? null : c.get(t);
                        if (n != null && n > 0) avg.put(t, sum / n);
                    });
                    if (!avg.isEmpty()) out.put(labels, avg);
                });
                yield out;
            }
            case VARIANCE -> {
                List<List<Series>> perAnswer = new ArrayList<>();
                for (SelectResponse r : main) perAnswer.add(r.series());
                yield variance(p.aggregate().op().equals("stddev"), perAnswer);
            }
        };
    }

    /** Partial series merged per label set and timestamp with {@code op} ("first" keeps the first value). */
    private static Map<Labels, TreeMap<Long, Double>> fold(String op, List<Series> partials) {
        Map<Labels, TreeMap<Long, Double>> merged = new TreeMap<>();
        for (Series s : partials) {
            TreeMap<Long, Double> points = merged.computeIfAbsent(s.labels(), k -> new TreeMap<>());
            for (int i = 0; i < s.size(); i++) {
                points.merge(s.timestamps()[i], s.values()[i],
                        op.equals("first") ? (a, b) -> a : (a, b) -> AggregationPushdown.fold(op, a, b));
            }
        }
        return merged;
    }

    /**
     * stdvar (or its square root) per label set and timestamp. Each answer holds, per group, three series
     * tagged {@link AggregationPushdown#PART_LABEL} n (count), m (mean) and v (variance) over the same
     * shards, so the triple of one answer belongs together; the triples of all answers are merged.
     */
    private static Map<Labels, TreeMap<Long, Double>> variance(boolean sqrt, List<List<Series>> answers) {
        Map<Labels, TreeMap<Long, List<double[]>>> parts = new TreeMap<>();
        for (List<Series> answer : answers) {
            Map<Labels, TreeMap<Long, double[]>> triples = new HashMap<>();
            for (Series s : answer) {
                int field = switch (s.labels().get(AggregationPushdown.PART_LABEL)) {
                    case "n" -> 0;
                    case "m" -> 1;
                    case "v" -> 2;
                    default -> throw new IllegalStateException("pushed-down variance part without a tag: " + s.labels());
                };
                Labels group = s.labels().without(AggregationPushdown.PART_LABEL);
                TreeMap<Long, double[]> byTime = triples.computeIfAbsent(group, k -> new TreeMap<>());
                for (int i = 0; i < s.size(); i++) {
                    byTime.computeIfAbsent(s.timestamps()[i], k -> new double[] {Double.NaN, Double.NaN, Double.NaN})[field] =
                            s.values()[i];
                }
            }
            triples.forEach((group, byTime) -> byTime.forEach((t, triple) -> {
                if (!Double.isNaN(triple[0])) parts.computeIfAbsent(group, k -> new TreeMap<>())
                        .computeIfAbsent(t, k -> new ArrayList<>()).add(triple);
            }));
        }
        Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
        parts.forEach((labels, byTime) -> {
            TreeMap<Long, Double> points = new TreeMap<>();
            byTime.forEach((t, list) -> {
                int k = list.size();
                double[] n = new double[k], m = new double[k], v = new double[k];
                for (int i = 0; i < k; i++) {
                    n[i] = list.get(i)[0];
                    m[i] = list.get(i)[1];
                    v[i] = list.get(i)[2];
                }
                double var = AggregationPushdown.mergedVariance(n, m, v);
                points.put(t, sqrt ? Math.sqrt(var) : var);
            });
            out.put(labels, points);
        });
        return out;
    }

    /**
     * Evaluates {@code query} over the given local shards only, as series (an instant result is one
     * sample per series) with the evaluation's warnings, infos and sample counts. Used for this node's part and by the
     * {@code /internal/v1/query} endpoint.
     */
    public static SelectResponse evaluateOn(LocalShards local, Set<Integer> shards, String query, long start, long end, long step,
                                   QueryOptions options) {
        Engine engine = new Engine(new LocalShardsQueryable(local.open(shards)), options);
        List<Series> out = new ArrayList<>();
        QueryResult r;
        if (step == 0) {
            r = engine.instantQuery(query, start, options);
            for (Sample s : ((Vector) r.value()).samples()) {
                out.add(new Series(s.metric(), new long[] {s.timestampMs()}, new double[] {s.value()}));
            }
        } else {
            r = engine.rangeQuery(query, start, end, step, options);
            for (SeriesPoints p : ((Matrix) r.value()).series()) out.add(new Series(p.metric(), p.timestamps(), p.values()));
        }
        return new SelectResponse(new ArrayList<>(shards), out, r.warnings(), r.infos(), SampleCounts.of(r.stats()));
    }
}

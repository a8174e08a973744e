package dev.strata.node.cluster;

import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.ast.Expr;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryException;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
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

    private QueryResult run(String query, Parser.Parsed parsed, AggregationPushdown.Rewrite rw, long start, long end, long step, QueryOptions options) {
        Run run = new Run(options.maxSamples(), parsed, query);
        Map<String, List<Series>> placeholders = new HashMap<>();
        long[] stepTimes = stepTimes(start, end, step);
        for (AggregationPushdown.Pushed p : rw.pushed()) {
            List<Series> series = PlaceholderQueryable.series(merged(p, start, end, step, options, run), stepTimes);
            if (step == 0 && p.needsOrderKeys()) series = inEngineOrder(p, series, start, options, run);
            placeholders.put(p.placeholder(), series);
        }
        Engine engine = new Engine(new PlaceholderQueryable(placeholders, cluster), options);
        // Nodes of the rewritten query point where their originals are in the user's query.
        IdentityHashMap<Expr, Integer> positions = new IdentityHashMap<>(parsed.positions());
        rw.origins().forEach((built, original) -> {
            Integer pos = parsed.positions().get(original);
            if (pos != null) positions.put(built, pos);
        });
        QueryResult r = engine.evaluate(new Parser.Parsed(rw.expr(), positions), query, start, end, step, options);
        run.warnings.addAll(r.warnings());
        run.infos.addAll(r.infos());
        return new QueryResult(r.value(), new ArrayList<>(run.warnings), new ArrayList<>(run.infos), r.stats());
    }

    /**
     * One evaluation's state: what is left of the max-samples budget for partial answers, and the
     * warnings and infos of the owners' evaluations and this node's (in order, without repeats).
     */
    private static final class Run {
        long budget;
        final Parser.Parsed parsed;
        final String query;
        /** The pushed aggregation whose partial answers are being read (for annotation positions). */
        AggregationPushdown.Pushed current;
        private final Map<String, AnnotationPositions> positions = new HashMap<>();
        /** False while reading order keys: their annotations would repeat the aggregation's at other positions. */
        boolean collecting = true;
        final Set<String> warnings = new LinkedHashSet<>();
        final Set<String> infos = new LinkedHashSet<>();

        Run(long budget, Parser.Parsed parsed, String query) {
            this.budget = budget;
            this.parsed = parsed;
            this.query = query;
        }

        /** The series of a partial answer to {@code pushedText}; keeps its annotations, positioned in the user's query. */
        List<Series> take(SelectResponse partial, String pushedText) {
            if (collecting && (!partial.warnings().isEmpty() || !partial.infos().isEmpty())) {
                AnnotationPositions at = positions.computeIfAbsent(pushedText,
                        t -> AnnotationPositions.of(t, current.aggregate(), parsed, query));
                for (String w : partial.warnings()) warnings.add(at.map(w));
                for (String i : partial.infos()) infos.add(at.map(i));
            }
            return partial.series();
        }
    }

    /**
     * The merged series of an instant answer in the order one node's engine would see its groups: by
     * the first input series of each group, the smallest of the owners' firsts (each owner's input is
     * sorted, and one node's input is their sorted merge), then by labels within a group (topk & co.).
     */
    private List<Series> inEngineOrder(AggregationPushdown.Pushed p, List<Series> series, long time, QueryOptions options,
                                       Run run) {
        Map<Labels, Labels> firstOf = new HashMap<>();
        run.collecting = false;
        try {
            for (Series key : gather(p.orderKeys(), cluster.touchedShards(p.matchers()), time, time, 0, options, run)) {
                firstOf.merge(p.groupOf(key.labels()), key.labels(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        } finally {
            run.collecting = true;
        }
        List<Series> ordered = new ArrayList<>(series);
        ordered.sort((a, b) -> {
            Labels ka = firstOf.get(p.groupOf(a.labels())), kb = firstOf.get(p.groupOf(b.labels()));
            int c = ka == null || kb == null ? (ka == kb ? 0 : ka == null ? 1 : -1) : ka.compareTo(kb);
            return c != 0 ? c : a.labels().compareTo(b.labels());
        });
        return ordered;
    }

    private static long[] stepTimes(long start, long end, long step) {
        if (step == 0) return new long[] {start};
        long[] ts = new long[(int) ((end - start) / step) + 1];
        for (int i = 0; i < ts.length; i++) ts[i] = start + i * step;
        return ts;
    }

    /** The merged answer of one pushed aggregation: points per output label set. */
    private Map<Labels, TreeMap<Long, Double>> merged(AggregationPushdown.Pushed p, long start, long end, long step,
                                                      QueryOptions options, Run run) {
        int[] shards = cluster.touchedShards(p.matchers());
        run.current = p;
        return switch (p.merge()) {
            case FOLD -> fold(p.foldOp(), gather(p.aggregate().toString(), shards, start, end, step, options, run));
            case SELECT_AGAIN, UNION -> fold("first", gather(p.aggregate().toString(), shards, start, end, step, options, run));
            case AVG -> {
                Map<Labels, TreeMap<Long, Double>> sums = fold("sum", gather(p.as("sum"), shards, start, end, step, options, run));
                Map<Labels, TreeMap<Long, Double>> counts = fold("sum", gather(p.as("count"), shards, start, end, step, options, run));
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
            case VARIANCE -> variance(p.aggregate().op().equals("stddev"),
                    gatherAnswers(p.varianceParts(), shards, start, end, step, options, run));
        };
    }

    /** Runs {@code query} on one ready owner of each shard; the partial answers, flattened. */
    private List<Series> gather(String query, int[] shards, long start, long end, long step, QueryOptions options, Run run) {
        List<Series> out = new ArrayList<>();
        for (List<Series> a : gatherAnswers(query, shards, start, end, step, options, run)) out.addAll(a);
        return out;
    }

    /**
     * Runs {@code query} on one ready owner of each shard; one list per answer (this node's, each peer's).
     * Their samples are taken from {@code budget}; exhausting it fails the query as the engine would.
     */
    private List<List<Series>> gatherAnswers(String query, int[] shards, long start, long end, long step, QueryOptions options,
                                             Run run) {
        List<List<Series>> answers = router.gatherAnswers(shards,
                s -> run.take(evaluateOn(local, s, query, start, end, step, options), query),
                (peer, s) -> peers.post(peer, QUERY_PATH, SelectCodec.encodePushdown(
                        new PushdownRequest(s, query, start, end, step, options.lookbackDeltaMs()))),
                body -> {
                    SelectResponse r = SelectCodec.decodeResponse(body);
                    return new ShardRouter.Answer<>(r.served(), run.take(r, query));
                });
        for (List<Series> answer : answers) {
            for (Series s : answer) {
                run.budget -= s.size();
                if (run.budget < 0) throw new QueryException.TooManySamples();
            }
        }
        return answers;
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
     * sample per series) with the evaluation's warnings and infos. Used for this node's part and by the
     * {@code /internal/v1/query} endpoint.
     */
    static SelectResponse evaluateOn(LocalShards local, Set<Integer> shards, String query, long start, long end, long step,
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
        return new SelectResponse(new ArrayList<>(shards), out, r.warnings(), r.infos());
    }
}

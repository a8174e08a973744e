package dev.strata.query.distributed;

import dev.strata.query.engine.QueryException;
import dev.strata.query.engine.QueryStats;
import dev.strata.query.parser.Parser;
import dev.strata.query.storage.Series;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import dev.strata.query.distributed.PushdownPlan.Partial;
import dev.strata.query.distributed.PushdownPlan.Role;

/**
 * Merge of a pushed-down query's partial answers (last of three steps, after {@link PushdownPlan} and
 * {@link PartialFanOut}): the merged series of each pushed aggregation, their order for instant
 * answers, the owners' annotations and sample counts, and the query's stats.
 */
final class PartialMerge {
    private PartialMerge() {}

    /**
     * The query's stats: this node's engine's, with the samples the owners loaded for the pushed
     * aggregations in place of the placeholder values the engine counted for them.
     */
    static QueryStats stats(QueryStats engine, long[] ownerSamples, long[] placeholderValues, long nanos) {
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
    static void addSamples(Partial part, List<SelectResponse> answers, long[] into) {
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
    static void annotations(Partial part, List<SelectResponse> answers, Parser.Parsed parsed, String query,
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
     * The merged series of an instant answer in the order one node's engine would see its groups: by
     * the first input series of each group, the smallest of the owners' firsts (each owner's input is
     * sorted, and one node's input is their sorted merge), then by labels within a group (topk & co.).
     */
    static List<Series> inEngineOrder(AggregationPushdown.Pushed p, List<Series> series, List<SelectResponse> orderKeys) {
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

    /**
     * The merged answer of one pushed aggregation, points per output label set, from the answers to its
     * {@link Role#MAIN} query and, for avg, to its count.
     */
    static Map<Labels, TreeMap<Long, Double>> merged(AggregationPushdown.Pushed p, List<SelectResponse> main,
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
}

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
import dev.strata.query.engine.HistogramPartial;
import dev.strata.query.engine.HistogramPartialMerge;
import dev.strata.store.model.FloatHistogram;
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
     * The merged points of a pushed aggregation per output label set: floats and native histograms (a
     * label set may have both, at different steps).
     */
    record Merged(Map<Labels, TreeMap<Long, Double>> floats, Map<Labels, TreeMap<Long, FloatHistogram>> histograms) {
        static Merged ofFloats(Map<Labels, TreeMap<Long, Double>> floats) {
            return new Merged(floats, Map.of());
        }
    }

    /**
     * The merged answer of one pushed aggregation, points per output label set, from the answers to its
     * {@link Role#MAIN} query and, for avg, to its count. The annotations of merging histogram partials
     * (sum, avg) are added to {@code warnings} and {@code infos} with {@code position}, the aggregation's
     * argument's place in the user's query.
     */
    static Merged merged(AggregationPushdown.Pushed p, List<SelectResponse> main, List<SelectResponse> avgCount,
                         String position, Set<String> warnings, Set<String> infos) {
        return switch (p.merge()) {
            case FOLD -> p.aggregate().op().equals("sum") ? sumOrAvg(false, main, null, position, warnings, infos)
                    : Merged.ofFloats(fold(p.foldOp(), seriesOf(main)));
            case SELECT_AGAIN, UNION -> first(seriesOf(main));
            case AVG -> sumOrAvg(true, main, avgCount, position, warnings, infos);
            case VARIANCE -> {
                List<List<Series>> perAnswer = new ArrayList<>();
                for (SelectResponse r : main) perAnswer.add(r.series());
                yield Merged.ofFloats(variance(p.aggregate().op().equals("stddev"), perAnswer));
            }
        };
    }

    /**
     * Whether the answers to {@code part} hold native histograms this merge cannot take: any but the
     * whole samples of topk & co. (passed on as they are) and the partials of a sum/avg. An owner that
     * predates partials (response version 6) answers a sum with final histogram sums, which do not merge
     * exactly; the query is then evaluated over raw series.
     */
    static boolean unmergeableHistograms(Partial part, List<SelectResponse> answers) {
        if (part.role() == Role.ORDER_KEYS) return false; // only their labels are used
        AggregationPushdown.Merge m = part.pushed().merge();
        if (m == AggregationPushdown.Merge.SELECT_AGAIN || m == AggregationPushdown.Merge.UNION) return false;
        for (SelectResponse r : answers) {
            for (int i = 0; i < r.series().size(); i++) {
                FloatHistogram[] hs = r.series().get(i).histograms();
                if (hs == null) continue;
                HistogramPartial[] ps = part.histogramPartials() ? r.partialsOf(i) : null;
                for (int k = 0; k < hs.length; k++) if (hs[k] != null && (ps == null || ps[k] == null)) return true;
            }
        }
        return false;
    }

    /**
     * sum or avg: float sums add (avg: divided by the count query's merged counts); steps where some
     * owner had histograms merge their {@link HistogramPartial}s ({@link HistogramPartialMerge}), a float
     * sum of another owner at the same step counting as floats seen (the step is then dropped).
     */
    private static Merged sumOrAvg(boolean avg, List<SelectResponse> main, List<SelectResponse> avgCount, String position,
                                   Set<String> warnings, Set<String> infos) {
        Map<Labels, TreeMap<Long, Double>> sums = new TreeMap<>();
        Map<Labels, TreeMap<Long, HistogramPartialMerge>> partials = new TreeMap<>();
        for (SelectResponse r : main) {
            for (int i = 0; i < r.series().size(); i++) {
                Series s = r.series().get(i);
                HistogramPartial[] ps = r.partialsOf(i);
                for (int k = 0; k < s.size(); k++) {
                    long t = s.timestamps()[k];
                    if (ps != null && ps[k] != null) {
                        partials.computeIfAbsent(s.labels(), x -> new TreeMap<>())
                                .computeIfAbsent(t, x -> new HistogramPartialMerge(avg, position)).add(ps[k]);
                    } else {
                        sums.computeIfAbsent(s.labels(), x -> new TreeMap<>()).merge(t, s.values()[k], Double::sum);
                    }
                }
            }
        }
        Map<Labels, TreeMap<Long, FloatHistogram>> histograms = new TreeMap<>();
        partials.forEach((labels, byTime) -> byTime.forEach((t, merge) -> {
            TreeMap<Long, Double> floats = sums.get(labels);
            if (floats != null && floats.remove(t) != null) merge.addFloats();
            FloatHistogram h = merge.result(warnings, infos);
            if (h != null) histograms.computeIfAbsent(labels, x -> new TreeMap<>()).put(t, h);
        }));
        if (!avg) return new Merged(sums, histograms);
        Map<Labels, TreeMap<Long, Double>> counts = fold("sum", seriesOf(avgCount));
        Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
        sums.forEach((labels, points) -> {
            TreeMap<Long, Double> c = counts.get(labels);
            TreeMap<Long, Double> mean = new TreeMap<>();
            points.forEach((t, sum) -> {
                Double n = c == null ? null : c.get(t);
                if (n != null && n > 0) mean.put(t, sum / n);
            });
            if (!mean.isEmpty()) out.put(labels, mean);
        });
        return new Merged(out, histograms);
    }

    /** topk & co.: the first owner's sample per label set and timestamp (each series lives in one shard), histograms as they are. */
    private static Merged first(List<Series> partials) {
        Map<Labels, TreeMap<Long, Double>> floats = new TreeMap<>();
        Map<Labels, TreeMap<Long, FloatHistogram>> histograms = new TreeMap<>();
        for (Series s : partials) {
            for (int i = 0; i < s.size(); i++) {
                long t = s.timestamps()[i];
                FloatHistogram h = s.histograms() == null ? null : s.histograms()[i];
                boolean seen = floats.containsKey(s.labels()) && floats.get(s.labels()).containsKey(t)
                        || histograms.containsKey(s.labels()) && histograms.get(s.labels()).containsKey(t);
                if (seen) continue;
                if (h != null) histograms.computeIfAbsent(s.labels(), x -> new TreeMap<>()).put(t, h);
                else floats.computeIfAbsent(s.labels(), x -> new TreeMap<>()).put(t, s.values()[i]);
            }
        }
        return new Merged(floats, histograms);
    }

    /** Partial series merged per label set and timestamp with {@code op}. */
    private static Map<Labels, TreeMap<Long, Double>> fold(String op, List<Series> partials) {
        Map<Labels, TreeMap<Long, Double>> merged = new TreeMap<>();
        for (Series s : partials) {
            TreeMap<Long, Double> points = merged.computeIfAbsent(s.labels(), k -> new TreeMap<>());
            for (int i = 0; i < s.size(); i++) {
                points.merge(s.timestamps()[i], s.values()[i], (a, b) -> AggregationPushdown.fold(op, a, b));
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

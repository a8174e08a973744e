package dev.strata.query.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.query.engine.Engine;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.PartialAggregation;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.parser.Parser;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.query.storage.Series;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The merge of histogram partials ({@link PartialMerge} with {@code HistogramPartialMerge}) equals one
 * evaluation over all the input: seeded random inputs (exponential histograms of schemas 0 to 3 and two
 * zero thresholds, custom-bucket histograms of two bound sets, floats, steps without a sample, all four
 * reset hints, two metric names in one group) split at random among 1 to 4 parts; each part's
 * {@code sum} partials travel through the codec (response version 6); {@code sum} and {@code avg} by
 * group are compared step by step with one engine over everything: values to 1e-9 relative, layout,
 * warnings and infos exactly (infos not where exponential and custom histograms meet, see
 * {@code HistogramPartialMerge}).
 */
class PartialMergeHistogramTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long STEP = 15_000;
    private static final int STEPS = 12;
    private static final double[][] BOUNDS = {{0.5, 1, 2}, {0.5, 2}};

    @Test
    void mergedPartialsEqualOneEvaluation() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("PartialMergeHistogramTest seed=" + seed);
        Random random = new Random(seed);
        int histograms = 0;
        Set<String> annotationsSeen = new TreeSet<>();
        for (int trial = 0; trial < 30; trial++) {
            int parts = 1 + random.nextInt(4);
            InMemoryQueryable all = new InMemoryQueryable();
            List<InMemoryQueryable> stores = new ArrayList<>();
            for (int p = 0; p < parts; p++) stores.add(new InMemoryQueryable());
            int kinds = random.nextInt(5); // 0 exponential only, 1 + custom, 2 + floats, 3 everything, 4 custom only
            for (int s = 0; s < 12; s++) {
                Labels l = Labels.of("__name__", random.nextBoolean() ? "a" : "b", "grp", "g" + random.nextInt(3), "i", "i" + s);
                InMemoryQueryable part = stores.get(random.nextInt(parts));
                int schema = random.nextInt(4);
                double zt = random.nextBoolean() ? 0.001 : 0.01;
                int offset = random.nextInt(9) - 4;
                for (int k = 0; k < STEPS; k++) {
                    long t = T0 + k * STEP;
                    int what = random.nextInt(10);
                    if (what == 0) continue;
                    if (what == 1 && (kinds == 2 || kinds == 3)) {
                        double v = random.nextInt(100) / 4.0;
                        all.append(l, t, v);
                        part.append(l, t, v);
                        continue;
                    }
                    FloatHistogram h = kinds == 4 || what == 2 && kinds % 2 == 1 ? custom(random) : exponential(random, schema, zt, offset);
                    all.append(l, t, h);
                    part.append(l, t, h);
                }
            }
            for (String op : new String[] {"sum", "avg"}) {
                String q = op + " by (grp) ({__name__=~\"a|b\"})";
                String ctx = q + " trial " + trial + " parts " + parts + " seed=" + seed;
                QueryResult want = new Engine(all, QueryOptions.defaults()).rangeQuery(q, T0, T0 + (STEPS - 1) * STEP, STEP);
                Set<String> warnings = new LinkedHashSet<>(), infos = new LinkedHashSet<>();
                PartialMerge.Merged got = merge(q, stores, warnings, infos);
                assertEquals(new TreeSet<>(want.warnings()), new TreeSet<>(warnings), ctx + " warnings");
                // Not reproduced (HistogramPartialMerge): whether custom bounds were reconciled at a step that
                // also has exponential histograms (dropped with the warning either way).
                if (want.warnings().stream().noneMatch(w -> w.contains("exponential and custom"))) {
                    assertEquals(new TreeSet<>(want.infos()), new TreeSet<>(infos), ctx + " infos, warnings " + want.warnings());
                }
                annotationsSeen.addAll(want.warnings());
                annotationsSeen.addAll(want.infos());
                int points = 0;
                for (SeriesPoints sp : ((Matrix) want.value()).series()) {
                    TreeMap<Long, Double> floats = got.floats().getOrDefault(sp.metric(), new TreeMap<>());
                    TreeMap<Long, FloatHistogram> hs = got.histograms().getOrDefault(sp.metric(), new TreeMap<>());
                    for (int k = 0; k < sp.size(); k++) {
                        long t = sp.timestamps()[k];
                        String at = ctx + " " + sp.metric() + " t=" + t;
                        if (sp.histogram(k) != null) {
                            histograms++;
                            sameHistogram(sp.histogram(k), hs.get(t), at);
                        } else {
                            assertTrue(floats.containsKey(t), at + " float expected");
                            close(sp.values()[k], floats.get(t), at);
                        }
                        points++;
                    }
                }
                int merged = 0;
                for (TreeMap<Long, Double> m : got.floats().values()) merged += m.size();
                for (TreeMap<Long, FloatHistogram> m : got.histograms().values()) merged += m.size();
                assertEquals(points, merged, ctx + " no extra points");
            }
        }
        assertTrue(histograms > 500, "histograms compared: " + histograms + " seed=" + seed);
        // The inputs raise every annotation of combining histograms.
        for (String a : List.of("mix of histograms and floats", "exponential and custom buckets", "conflicting counter resets",
                "mismatched custom buckets")) {
            assertTrue(annotationsSeen.stream().anyMatch(x -> x.contains(a)), a + " in " + annotationsSeen + " seed=" + seed);
        }
    }

    /** The asker's merge of the parts' answers, each part's sum partials through the codec. */
    private static PartialMerge.Merged merge(String q, List<InMemoryQueryable> stores, Set<String> warnings, Set<String> infos) {
        Parser.Parsed parsed = Parser.parseWithPositions(q);
        AggregationPushdown.Pushed p = AggregationPushdown.rewrite(parsed.expr()).pushed().get(0);
        List<SelectResponse> main = new ArrayList<>(), counts = new ArrayList<>();
        long end = T0 + (STEPS - 1) * STEP;
        for (InMemoryQueryable store : stores) {
            Engine engine = new Engine(store, QueryOptions.defaults());
            PartialAggregation pa = engine.partialAggregation(p.as("sum"), T0, end, STEP, QueryOptions.defaults());
            SelectResponse r = new SelectResponse(List.of(1), pa.series(), pa.warnings(), pa.infos(), null, pa.partials());
            main.add(SelectCodec.decodeResponse(SelectCodec.encodeResponse(r)));
            List<Series> cs = new ArrayList<>();
            for (SeriesPoints sp : ((Matrix) engine.rangeQuery(p.as("count"), T0, end, STEP).value()).series()) {
                cs.add(new Series(sp.metric(), sp.timestamps(), sp.values()));
            }
            counts.add(new SelectResponse(List.of(1), cs));
            warnings.addAll(pa.warnings());
            infos.addAll(pa.infos());
        }
        return PartialMerge.merged(p, main, counts, parsed.position(p.aggregate().expr(), q), warnings, infos);
    }

    private static FloatHistogram exponential(Random random, int schema, double zt, int offset) {
        int n = 1 + random.nextInt(5);
        double[] buckets = new double[n];
        double count = 0;
        for (int i = 0; i < n; i++) count += buckets[i] = random.nextInt(20) / (random.nextBoolean() ? 1.0 : 3.0);
        double zero = random.nextInt(3);
        ResetHint hint = ResetHint.values()[random.nextInt(4)];
        return new FloatHistogram(hint, schema, zt, zero, count + zero, count * 1.7, new int[] {offset + random.nextInt(2)},
                new int[] {n}, buckets, null, null, null, null);
    }

    private static FloatHistogram custom(Random random) {
        double[] bounds = BOUNDS[random.nextInt(BOUNDS.length)];
        double[] buckets = new double[bounds.length + 1];
        double count = 0;
        for (int i = 0; i < buckets.length; i++) count += buckets[i] = random.nextInt(10);
        return new FloatHistogram(ResetHint.values()[random.nextInt(3)], FloatHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, count, count * 0.9,
                new int[] {0}, new int[] {buckets.length}, buckets, null, null, null, bounds);
    }

    private static void sameHistogram(FloatHistogram want, FloatHistogram got, String ctx) {
        if (got == null) fail(ctx + " histogram expected: " + want);
        assertEquals(want.schema(), got.schema(), ctx + " schema");
        assertEquals(want.resetHint(), got.resetHint(), ctx + " hint");
        assertEquals(want.zeroThreshold(), got.zeroThreshold(), ctx + " zero threshold");
        assertEquals(Arrays.toString(want.positiveSpanOffsets()), Arrays.toString(got.positiveSpanOffsets()), ctx + " spans");
        assertEquals(Arrays.toString(want.positiveSpanLengths()), Arrays.toString(got.positiveSpanLengths()), ctx + " spans");
        assertEquals(Arrays.toString(want.customValues()), Arrays.toString(got.customValues()), ctx + " bounds");
        close(want.count(), got.count(), ctx + " count");
        close(want.sum(), got.sum(), ctx + " sum");
        close(want.zeroCount(), got.zeroCount(), ctx + " zero count");
        for (int i = 0; i < want.positiveBuckets().length; i++) close(want.positiveBuckets()[i], got.positiveBuckets()[i], ctx + " bucket " + i);
    }

    private static void close(double a, double b, String ctx) {
        if (a == b || Double.isNaN(a) && Double.isNaN(b)) return;
        if (Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))) return;
        fail(ctx + ": " + a + " vs " + b);
    }
}

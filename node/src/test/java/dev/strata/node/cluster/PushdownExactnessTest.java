package dev.strata.node.cluster;

import dev.strata.query.distributed.AggregationPushdown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryException;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.Sample;
import dev.strata.query.engine.Scalar;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.engine.Value;
import dev.strata.query.engine.Vector;
import dev.strata.query.parser.Parser;
import dev.strata.store.model.Labels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every pushed-down form answers exactly as one node holding the same data: 3 in-process nodes, 8 shards,
 * R=2 ({@link InProcessCluster}), seeded random counters and gauges (some series stop half-way, so
 * aggregations have steps without a value), instant queries at several times and range queries, asked
 * of every node. Values are compared to 1e-9 relative (partial sums add in another order); labels,
 * order, timestamps, warnings, infos and errors exactly (stddev of values near 1e9: 1e-6, the conformance tolerance).
 */
class PushdownExactnessTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int STEPS = 120;
    private static final long SCRAPE = 15_000;
    private static final long END = T0 + (STEPS - 1) * SCRAPE;
    private static final long SEED = Long.getLong("seed", System.nanoTime());
    private static InProcessCluster cluster;
    private static QueryEvaluator single;

    /** Queries with at least one pushed-down aggregation. */
    static final List<String> PUSHED = List.of(
            "sum by (job) (rate(m_total[5m]))",
            "sum(rate(m_total[5m]))",
            "count by (zone) (g)",
            "min without (instance) (g)",
            "max by (job) (g)",
            "group by (zone) (g)",
            "avg by (zone) (g)",
            "avg(rate(m_total[2m]))",
            "topk(5, rate(m_total[5m]))",
            "bottomk(3, g)",
            "topk by (job) (2, g)",
            "bottomk without (instance) (1, rate(m_total[5m]))",
            "topk(1000, g)",
            "limitk(3, g)",
            "limitk by (zone) (2, g)",
            "limit_ratio(0.5, g)",
            "limit_ratio(2, g)",
            "sum by (zone) (rate(g[5m]))",
            "1 + avg   by(zone)(rate(g[5m]))",
            "max(stddev by (zone) (rate(g[5m])))",
            "count_values(\"v\", round(g / 100000))",
            "count_values by (zone) (\"bucket\", floor(g / 1e6))",
            "stddev(g)",
            "stdvar by (job) (g)",
            "stddev by (zone) (rate(m_total[5m]))",
            "stddev without (instance) (big)",
            "sum(sum by (job) (rate(m_total[5m])))",
            "max by (zone) (sum by (zone, job) (g))",
            "sum by (job) (rate(m_total[5m])) / on (job) count by (job) (g)",
            "sum(rate(m_total[5m])) / sum(g)",
            "topk(3, sum by (job) (rate(m_total[5m])))",
            "sum by (job) (rate(m_total[5m])) > 1",
            "sum(abs(g - 1e6))",
            "sum by (zone) (g * 2 > 2e6)",
            "sum by (job) (g{job=\"j3\"})",
            "scalar(sum(g)) * 2",
            "count(nonexistent)",
            "absent(sum(nonexistent))",
            "absent(sum by (job) (g))",
            "timestamp(max by (zone) (g))",
            "sort_desc(sum by (job) (g))",
            "-avg without (instance, zone) (g) + 1",
            "sum(rate(m_total[5m])) + on () group_left count(g)",
            "sum by (job) (rate(m_total[5m])) and on (job) g{instance=\"i1\"}");

    /** Queries that are not pushed down (raw series) and must still be exact. */
    static final List<String> NOT_PUSHED = List.of(
            "quantile(0.9, g)",
            "quantile by (zone) (0.5, rate(m_total[5m]))",
            "max_over_time(sum(g)[10m:1m])",
            "sum(rate(m_total[5m:1m]))",
            "sum(g / on (instance, job, zone) big)",
            "rate(m_total[5m])");

    /**
     * Aggregations of arguments that may give series of several metric names one label set: pushed with
     * delayed name removal, evaluated over all shards at once (not pushed) when names are dropped at once,
     * so that Prometheus's same-labelset error comes where one node raises it (m_total, g and big share
     * their other labels and live in different shards).
     */
    static final List<String> MAY_MERGE = List.of(
            "sum(rate({job=\"j1\"}[5m]))",
            "count by (zone) (-{instance=\"i1\"})",
            "max({zone=\"z1\", __name__=~\"g|big\"} * 2)",
            "sum by (__name__) (rate({__name__=~\"m_total\"}[5m]))",
            "topk(2, abs({__name__=~\"g\"}))");

    @BeforeAll
    static void load() throws Exception {
        QueryOptions options = QueryOptions.defaults();
        cluster = new InProcessCluster(3, 8, 2, options);
        single = cluster.single();
        Random random = new Random(SEED);
        int n = 0;
        for (int j = 0; j < 10; j++) {
            for (int i = 0; i < 20; i++, n++) {
                String job = "j" + j, instance = "i" + i, zone = "z" + (i % 3);
                Labels counter = Labels.of("__name__", "m_total", "job", job, "instance", instance, "zone", zone);
                Labels gauge = Labels.of("__name__", "g", "job", job, "instance", instance, "zone", zone);
                Labels big = Labels.of("__name__", "big", "job", job, "instance", instance, "zone", zone);
                int steps = n % 7 == 0 ? STEPS / 2 : STEPS; // some series stop half-way
                double c = 0;
                for (int s = 0; s < steps; s++) {
                    long t = T0 + s * SCRAPE;
                    // A fraction in every increment: with whole increments, rates are multiples of 1/300
                    // and two jobs' sums tie exactly, so topk's pick among the tied depends on summation order.
                    c += random.nextInt(50) + random.nextDouble();
                    cluster.append(counter, t, c);
                    cluster.append(gauge, t, 1e6 + Math.round(random.nextGaussian() * 1e7) / 100.0);
                    cluster.append(big, t, 1e9 + random.nextGaussian());
                }
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        cluster.close();
    }

    @Test
    void pushedQueriesArePushedAndTheOthersAreNot() {
        for (String q : PUSHED) assertFalse(AggregationPushdown.rewrite(Parser.parse(q)).pushed().isEmpty(), q);
        for (String q : NOT_PUSHED) assertTrue(AggregationPushdown.rewrite(Parser.parse(q)).pushed().isEmpty(), q);
    }

    @Test
    void everyNodeAnswersAsOneNode() {
        for (String q : concat(PUSHED, NOT_PUSHED)) {
            for (long t : new long[] {T0, T0 + 61 * SCRAPE, END + 4 * 60_000}) {
                QueryResult want = single.instant(q, t, cluster.options);
                for (InProcessCluster.Node node : cluster.nodes) {
                    QueryResult got = node.evaluator.instant(q, t, cluster.options);
                    if (q.startsWith("count_values")) { // instant order: by labels, not one node's first appearance
                        want = sorted(want);
                        got = sorted(got);
                    }
                    assertSame(want, got, q + " @" + t + " node " + node.ordinal);
                }
            }
            QueryResult want = single.range(q, T0, END + 10 * 60_000, 60_000, cluster.options);
            for (InProcessCluster.Node node : cluster.nodes) {
                assertSame(want, node.evaluator.range(q, T0, END + 10 * 60_000, 60_000, cluster.options),
                        q + " range, node " + node.ordinal);
            }
        }
    }

    @Test
    void bothNameRemovalModesAnswerAsOneNode() {
        for (String q : MAY_MERGE) {
            assertFalse(AggregationPushdown.rewrite(Parser.parse(q), true).pushed().isEmpty(), q);
            assertTrue(AggregationPushdown.rewrite(Parser.parse(q), false).pushed().isEmpty(), q);
            for (boolean delayed : new boolean[] {false, true}) {
                QueryOptions o = cluster.options.withDelayedNameRemoval(delayed);
                String what = q + (delayed ? " (delayed)" : " (immediate)");
                for (long t : new long[] {T0 + 61 * SCRAPE, END}) {
                    QueryException oneError = null;
                    QueryResult one = null;
                    try {
                        one = single.instant(q, t, o);
                    } catch (QueryException e) {
                        oneError = e;
                    }
                    for (InProcessCluster.Node node : cluster.nodes) {
                        if (oneError != null) {
                            QueryException got = assertThrows(QueryException.class, () -> node.evaluator.instant(q, t, o),
                                    what + " node " + node.ordinal);
                            assertEquals(oneError.getMessage(), got.getMessage(), what);
                        } else {
                            assertSame(one, node.evaluator.instant(q, t, o), what + " @" + t + " node " + node.ordinal);
                        }
                    }
                }
            }
        }
        // Names dropped at once: several metrics collide, as on one node.
        assertThrows(QueryException.class, () -> single.instant(MAY_MERGE.get(0), END, cluster.options));
    }

    @Test
    void aShardNotReadyOnItsFirstOwnerIsReadFromTheNext() {
        InProcessCluster.Node node0 = cluster.nodes.get(0);
        int shard = node0.owned.keySet().iterator().next();
        node0.notReady.add(shard);
        try {
            for (String q : List.of("sum by (job) (rate(m_total[5m]))", "topk(5, rate(m_total[5m]))", "stddev by (zone) (g)")) {
                for (InProcessCluster.Node node : cluster.nodes) {
                    QueryResult got = node.evaluator.instant(q, END, cluster.options);
                    assertTrue(got.warnings().isEmpty(), got.warnings().toString());
                    assertSame(single.instant(q, END, cluster.options), got, q + " node " + node.ordinal);
                }
            }
        } finally {
            node0.notReady.remove(shard);
        }
    }

    @Test
    void maxSamplesFailsThePushedQueryWithTheEngineError() {
        QueryOptions tight = cluster.options.withMaxSamples(150);
        for (String q : List.of("sum by (instance, job, zone) (g)", "topk(1000, g)", "sum by (job) (rate(m_total[5m]))")) {
            QueryException one = assertThrows(QueryException.class, () -> single.instant(q, END, tight), q);
            for (InProcessCluster.Node node : cluster.nodes) {
                QueryException got = assertThrows(QueryException.class, () -> node.evaluator.instant(q, END, tight),
                        q + " node " + node.ordinal);
                assertEquals(one.getMessage(), got.getMessage(), q);
                assertEquals(one.errorType(), got.errorType(), q);
            }
        }
        // Under the limit everywhere: same answer.
        QueryOptions roomy = cluster.options.withMaxSamples(100_000);
        assertSame(single.instant("sum by (job) (g)", END, roomy), cluster.nodes.get(1).evaluator.instant("sum by (job) (g)", END, roomy),
                "roomy");
    }

    private static QueryResult sorted(QueryResult r) {
        List<Sample> samples = new java.util.ArrayList<>(((Vector) r.value()).samples());
        samples.sort((a, b) -> a.metric().compareTo(b.metric()));
        return new QueryResult(new Vector(samples), r.warnings(), r.infos(), r.stats());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static void assertSame(QueryResult want, QueryResult got, String what) {
        String ctx = what + " seed=" + SEED;
        assertEquals(new java.util.TreeSet<>(want.warnings()), new java.util.TreeSet<>(got.warnings()), ctx + " warnings");
        assertEquals(new java.util.TreeSet<>(want.infos()), new java.util.TreeSet<>(got.infos()), ctx + " infos");
        Value w = want.value(), g = got.value();
        assertEquals(w.getClass(), g.getClass(), ctx);
        if (w instanceof Scalar ws) {
            Scalar gs = (Scalar) g;
            assertEquals(ws.timestampMs(), gs.timestampMs(), ctx);
            assertClose(ws.value(), gs.value(), ctx);
        } else if (w instanceof Vector wv) {
            List<Sample> a = wv.samples(), b = ((Vector) g).samples();
            assertEquals(a.size(), b.size(), ctx + " sizes: " + a + " vs " + b);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).metric(), b.get(i).metric(), ctx + " #" + i + ": " + a + " vs " + b);
                assertEquals(a.get(i).timestampMs(), b.get(i).timestampMs(), ctx + " #" + i);
                assertClose(a.get(i).value(), b.get(i).value(), ctx + " " + a.get(i).metric());
            }
        } else if (w instanceof Matrix wm) {
            List<SeriesPoints> a = wm.series(), b = ((Matrix) g).series();
            assertEquals(a.size(), b.size(), ctx + " series counts");
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).metric(), b.get(i).metric(), ctx + " #" + i);
                assertEquals(java.util.Arrays.toString(a.get(i).timestamps()), java.util.Arrays.toString(b.get(i).timestamps()),
                        ctx + " " + a.get(i).metric());
                for (int k = 0; k < a.get(i).size(); k++) {
                    assertClose(a.get(i).values()[k], b.get(i).values()[k], ctx + " " + a.get(i).metric() + " t=" + a.get(i).timestamps()[k]);
                }
            }
        } else {
            fail("unexpected value " + w);
        }
    }

    static void assertClose(double a, double b, String ctx) {
        if (Double.isNaN(a) && Double.isNaN(b)) return;
        if (a == b) return;
        // The variance of values near 1e9 that differ by ~1 is itself only good to ~1e-7 on one node
        // (Welford's mean carries an error of ulp(1e9)); there the conformance tolerance (1e-6) applies.
        double tolerance = ctx.contains("big") ? 1e-6 : 1e-9;
        if (Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b))) return;
        fail(ctx + ": " + a + " vs " + b);
    }
}

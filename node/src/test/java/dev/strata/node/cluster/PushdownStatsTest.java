package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryStats;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Query statistics over a cluster equal one node's for the same data: Prometheus's "samples" count
 * ({@code totalQueryableSamples}) and its per-step counts, for pushed-down queries (the owners report
 * what they loaded) and for the others (raw series read here), instant and range, asked of every node
 * of a 3-node cluster with R=1 and with R=2 ({@link InProcessCluster}, 8 shards, seeded random data
 * where some series stop half-way); with R=2 also while a shard is not ready on one of its owners.
 */
class PushdownStatsTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int STEPS = 80;
    private static final long SCRAPE = 15_000;
    private static final long END = T0 + (STEPS - 1) * SCRAPE;

    @ParameterizedTest(name = "R={0}")
    @ValueSource(ints = {1, 2})
    void samplesEqualOneNodes(int replicas) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        List<String> queries = new ArrayList<>(PushdownExactnessTest.PUSHED);
        queries.addAll(PushdownExactnessTest.NOT_PUSHED);
        queries.addAll(List.of("g", "m_total", "rate(m_total[1m])", "m_total[2m]", "sum by (job) (g) + on (job) group by (job) (m_total)",
                "count by (zone) (rate(m_total[5m] offset 2m))", "avg by (job) (g @ " + (END / 1000) + ")"));
        try (InProcessCluster cluster = new InProcessCluster(3, 8, replicas, QueryOptions.defaults())) {
            load(cluster, seed);
            QueryEvaluator single = cluster.single();
            long checked = 0;
            for (String q : queries) {
                for (long t : new long[] {T0 + 30 * SCRAPE, END + 4 * 60_000}) {
                    QueryStats want = single.instant(q, t, cluster.options).stats();
                    for (InProcessCluster.Node node : cluster.nodes) {
                        same(want, node.evaluator.instant(q, t, cluster.options).stats(), q + " @" + t + " node " + node.ordinal
                                + " R=" + replicas + " seed=" + seed);
                    }
                    checked += want.totalQueryableSamples();
                }
                if (q.endsWith("[2m]")) continue; // a range vector is not a range query's result
                QueryStats want = single.range(q, T0, END + 10 * 60_000, 60_000, cluster.options).stats();
                for (InProcessCluster.Node node : cluster.nodes) {
                    same(want, node.evaluator.range(q, T0, END + 10 * 60_000, 60_000, cluster.options).stats(),
                            q + " range, node " + node.ordinal + " R=" + replicas + " seed=" + seed);
                }
                checked += want.totalQueryableSamples();
            }
            assertTrue(checked > 100_000, "the queries load samples: " + checked + " seed=" + seed);
            if (replicas == 2) failover(cluster, single, seed);
        }
    }

    /** A shard not ready on its first owner is counted once, from the owner that answers for it. */
    private static void failover(InProcessCluster cluster, QueryEvaluator single, long seed) {
        for (InProcessCluster.Node down : cluster.nodes) {
            int shard = down.owned.keySet().iterator().next();
            down.notReady.add(shard);
            try {
                for (String q : List.of("sum by (job) (rate(m_total[5m]))", "avg by (zone) (g)", "stddev(g)", "topk(3, g)")) {
                    same(single.instant(q, END, cluster.options).stats(), cluster.nodes.get(0).evaluator.instant(q, END, cluster.options).stats(),
                            q + " shard " + shard + " not ready on node " + down.ordinal + " seed=" + seed);
                    same(single.range(q, T0, END, 60_000, cluster.options).stats(),
                            cluster.nodes.get(1).evaluator.range(q, T0, END, 60_000, cluster.options).stats(),
                            q + " range, shard " + shard + " not ready on node " + down.ordinal + " seed=" + seed);
                }
            } finally {
                down.notReady.remove(shard);
            }
        }
    }

    private static void same(QueryStats want, QueryStats got, String what) {
        assertEquals(want.totalQueryableSamples(), got.totalQueryableSamples(), what + " total samples");
        assertArrayEquals(want.totalQueryableSamplesPerStep(), got.totalQueryableSamplesPerStep(), what + " per-step samples");
        assertEquals(want.firstStepMs(), got.firstStepMs(), what + " first step");
        assertEquals(want.stepMs(), got.stepMs(), what + " step");
    }

    /** Counters m_total, gauges g and big over 10 jobs x 20 instances; every 7th series stops half-way. */
    static void load(InProcessCluster cluster, long seed) {
        Random random = new Random(seed);
        int n = 0;
        for (int j = 0; j < 10; j++) {
            for (int i = 0; i < 20; i++, n++) {
                String job = "j" + j, instance = "i" + i, zone = "z" + (i % 3);
                Labels counter = Labels.of("__name__", "m_total", "job", job, "instance", instance, "zone", zone);
                Labels gauge = Labels.of("__name__", "g", "job", job, "instance", instance, "zone", zone);
                Labels big = Labels.of("__name__", "big", "job", job, "instance", instance, "zone", zone);
                int steps = n % 7 == 0 ? STEPS / 2 : STEPS;
                double c = 0;
                for (int s = 0; s < steps; s++) {
                    long t = T0 + s * SCRAPE;
                    c += random.nextInt(50);
                    cluster.append(counter, t, c);
                    cluster.append(gauge, t, 1e6 + Math.round(random.nextGaussian() * 1e7) / 100.0);
                    cluster.append(big, t, 1e9 + random.nextGaussian());
                }
            }
        }
    }
}

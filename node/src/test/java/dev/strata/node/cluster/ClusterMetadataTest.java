package dev.strata.node.cluster;

import dev.strata.query.distributed.PartialResponseEvaluator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.index.Matcher;
import dev.strata.query.api.IndexMetadataSource;
import dev.strata.query.engine.QueryException;
import dev.strata.query.engine.QueryOptions;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Series, label names and label values across an in-process cluster ({@link InProcessCluster}) come from
 * the owners' label indexes and equal one node's answer over the same shards; a shard without a ready
 * owner gives a warning naming it, or an {@code unavailable} failure with partial_response=false.
 */
class ClusterMetadataTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void everyNodeAnswersAsOneNodeFromTheLabelIndexes() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Random random = new Random(seed);
        try (InProcessCluster cluster = new InProcessCluster(3, 8, 2, QueryOptions.defaults())) {
            for (int i = 0; i < 300; i++) {
                Labels l = Labels.of("__name__", "m" + random.nextInt(4), "job", "j" + random.nextInt(12),
                        "instance", "i" + random.nextInt(40), random.nextBoolean() ? "zone" : "rack", "z" + random.nextInt(3));
                cluster.append(l, T0 + random.nextInt(3_600) * 1000L, random.nextDouble());
            }
            IndexMetadataSource one = new IndexMetadataSource(cluster::referenceShards);
            List<List<Matcher>> sets = List.of(List.of(), List.of(Matcher.eq("__name__", "m1")),
                    List.of(Matcher.eq("job", "j3")), List.of(Matcher.re("instance", "i1.*"), Matcher.neq("job", "j0")));
            long[][] ranges = {{Long.MIN_VALUE / 2, Long.MAX_VALUE / 2}, {T0 + 600_000, T0 + 1_200_000}};
            for (InProcessCluster.Node node : cluster.nodes) {
                for (List<Matcher> m : sets) {
                    for (long[] r : ranges) {
                        String what = "node " + node.ordinal + " " + m + " seed=" + seed;
                        if (!m.isEmpty()) assertEquals(one.series(m, r[0], r[1], 0), node.metadata.series(m, r[0], r[1], 0), what);
                        assertEquals(one.labelNames(m, r[0], r[1], 0), node.metadata.labelNames(m, r[0], r[1], 0), what);
                        for (String name : List.of("instance", "zone", "__name__", "absent")) {
                            assertEquals(one.labelValues(name, m, r[0], r[1], 0), node.metadata.labelValues(name, m, r[0], r[1], 0),
                                    what + " " + name);
                        }
                    }
                }
                // With a limit hint, the first items of the merged answer are still right.
                List<String> all = one.labelValues("instance", List.of(), Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, 0);
                List<String> limited = node.metadata.labelValues("instance", List.of(), Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, 5);
                assertEquals(all.subList(0, 5), limited.subList(0, 5), "limit, seed=" + seed);
            }
        }
    }

    @Test
    void aShardWithoutReadyOwnerIsNamedOrFails() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(2, 4, 1, QueryOptions.defaults())) {
            for (int j = 0; j < 20; j++) cluster.append(Labels.of("__name__", "up", "job", "j" + j), T0, 1);
            InProcessCluster.Node node0 = cluster.nodes.get(0), node1 = cluster.nodes.get(1);
            int lost = node1.owned.keySet().iterator().next();
            node1.notReady.add(lost);
            List<String> warnings = new ArrayList<>();
            List<String> values = node0.metadata.request(true, warnings,
                    () -> node0.metadata.labelValues("job", List.of(), Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, 0));
            assertEquals(List.of(PartialResponseEvaluator.WARNING_PREFIX + "[" + lost + "]"), warnings);
            assertTrue(values.size() < 20 && !values.isEmpty(), values.toString());
            QueryException e = assertThrows(QueryException.class, () -> node0.metadata.request(false, new ArrayList<>(),
                    () -> node0.metadata.labelNames(List.of(), Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, 0)));
            assertEquals("unavailable", e.errorType());
            assertTrue(e.getMessage().contains("[" + lost + "]"), e.getMessage());
            node1.notReady.clear();
            List<String> none = new ArrayList<>();
            assertEquals(20, node0.metadata.request(false, none,
                    () -> node0.metadata.labelValues("job", List.of(), Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, 0)).size());
            assertTrue(none.isEmpty(), none.toString());
        }
    }
}

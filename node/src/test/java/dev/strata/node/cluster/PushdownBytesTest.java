package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.engine.Engine;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.Vector;
import dev.strata.store.model.Labels;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Bytes a node receives from the other nodes ({@code strata_cluster_peer_bytes_received_total}) for
 * pushed-down queries over 10k series of a counter in 10 jobs (3 in-process nodes, 8 shards, R=2): they
 * follow the output series, not the input. Prints the figures (and those of reading the raw series).
 */
class PushdownBytesTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int SAMPLES = 21;
    private static final long END = T0 + (SAMPLES - 1) * 15_000L;

    @Test
    void bytesFollowTheOutputSeries() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Random random = new Random(seed);
        try (InProcessCluster cluster = new InProcessCluster(3, 8, 2, QueryOptions.defaults())) {
            for (int i = 0; i < 10_000; i++) {
                Labels l = Labels.of("__name__", "m", "job", "job-" + i % 10, "instance", "host-" + i);
                double c = 0;
                for (int s = 0; s < SAMPLES; s++) cluster.append(l, T0 + s * 15_000L, c += random.nextInt(100));
            }
            InProcessCluster.Node node = cluster.nodes.get(0);
            long sum = bytes(node, () -> node.evaluator.instant("sum by (job) (rate(m[5m]))", END, cluster.options).value());
            long top5 = bytes(node, () -> node.evaluator.instant("topk(5, rate(m[5m]))", END, cluster.options).value());
            long top50 = bytes(node, () -> node.evaluator.instant("topk(50, rate(m[5m]))", END, cluster.options).value());
            long rangeSum = bytes(node, () -> node.evaluator.range("sum by (job) (rate(m[5m]))", END - 600_000, END, 60_000,
                    cluster.options).value());
            Engine raw = new Engine(node.data, cluster.options);
            long rawSum = bytes(node, () -> raw.instantQuery("sum by (job) (rate(m[5m]))", END, cluster.options).value());
            long rawTop5 = bytes(node, () -> raw.instantQuery("topk(5, rate(m[5m]))", END, cluster.options).value());
            System.out.printf("bytes received by node 0 over 10k series (seed=%d): sum by (job) %d (raw selects %d), "
                    + "topk(5) %d (raw selects %d), topk(50) %d, range sum by (job) 11 steps %d%n",
                    seed, sum, rawSum, top5, rawTop5, top50, rangeSum);
            String ctx = " seed=" + seed;
            assertTrue(sum < 4_000 && top5 < 4_000, "pushed-down answers stay small: " + sum + ", " + top5 + ctx);
            assertTrue(rawSum > 100 * sum && rawTop5 > 100 * top5, "raw selects move the input: " + rawSum + ", " + rawTop5 + ctx);
            assertTrue(top50 > 4 * top5 && top50 < 20 * top5, "topk bytes follow k: " + top5 + " vs " + top50 + ctx);
        }
    }

    private static long bytes(InProcessCluster.Node node, Supplier<Object> query) {
        long before = node.bytesReceived();
        Object v = query.get();
        assertTrue(!(v instanceof Vector vec) || !vec.samples().isEmpty(), "empty answer");
        return node.bytesReceived() - before;
    }
}

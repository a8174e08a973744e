package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.http.HttpResponses;
import dev.strata.query.engine.QueryException;
import dev.strata.query.engine.QueryOptions;
import dev.strata.store.model.Labels;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The partial queries of one query are in flight at the same time, and the first failure ends the query
 * without waiting for the others. Two in-process nodes, R=2, none of node 0's shards ready, so node 0
 * sends every partial query to node 1, which holds its answers ({@link InProcessCluster.AnswerHook}):
 * <ul>
 *   <li>until all the query's partial queries have arrived there: run one after another, the first would
 *       be held until the hold times out, which the test reports;</li>
 *   <li>or, for one partial failing, until the test releases them after the query has failed.</li>
 * </ul>
 * No timing is asserted: holds end on arrivals or on the test's release; timeouts only bound a broken run.
 */
class PushdownConcurrencyTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long END = T0 + 39 * 15_000L;
    private static final long HOLD_SECONDS = 10;
    private static InProcessCluster cluster;
    private static final ExecutorService holders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-hold-answer");
        t.setDaemon(true);
        return t;
    });

    @BeforeAll
    static void load() throws Exception {
        cluster = new InProcessCluster(2, 4, 2, QueryOptions.defaults());
        for (int i = 0; i < 40; i++) {
            Labels g = Labels.of("__name__", "g", "job", "j" + i % 4, "instance", "i" + i, "zone", "z" + i % 3);
            for (int s = 0; s < 40; s++) cluster.append(g, T0 + s * 15_000L, i * 100 + s);
        }
        InProcessCluster.Node asker = cluster.nodes.get(0);
        asker.notReady.addAll(asker.owned.keySet());
    }

    @AfterAll
    static void close() throws Exception {
        cluster.close();
        holders.shutdownNow();
    }

    @Test
    void allPartialQueriesOfAQueryAreInFlightTogether() {
        // query -> its partial queries: avg = sum + count (+ order keys when instant and grouped).
        Map<String, Integer> instant = Map.of(
                "avg by (zone) (g)", 3,
                "avg(g)", 2,
                "avg by (job) (g) / sum by (job) (g)", 5,
                "sum(g) + max(g) + min(g) + count(g)", 4);
        InProcessCluster.Node asker = cluster.nodes.get(0), owner = cluster.nodes.get(1);
        try {
            instant.forEach((q, partials) -> {
                CountDownLatch arrived = new CountDownLatch(partials);
                Set<String> heldAlone = ConcurrentHashMap.newKeySet();
                owner.pushdownAnswers = (request, answer) -> answer.thenApplyAsync(r -> {
                    arrived.countDown();
                    if (!await(arrived)) heldAlone.add(request.query());
                    return r;
                }, holders);
                var got = asker.evaluator.instant(q, END, cluster.options);
                assertEquals(Set.of(), heldAlone, q + ": partial queries answered before all " + partials + " were asked");
                assertEquals(0, arrived.getCount(), q);
                PushdownExactnessTest.assertSame(cluster.single().instant(q, END, cluster.options), got, q);
            });
            // A range query: avg's sum and count.
            CountDownLatch arrived = new CountDownLatch(2);
            Set<String> heldAlone = ConcurrentHashMap.newKeySet();
            owner.pushdownAnswers = (request, answer) -> answer.thenApplyAsync(r -> {
                arrived.countDown();
                if (!await(arrived)) heldAlone.add(request.query());
                return r;
            }, holders);
            String q = "avg by (zone) (rate(g[2m]))";
            var got = asker.evaluator.range(q, T0, END, 60_000, cluster.options);
            assertEquals(Set.of(), heldAlone, q + " range");
            PushdownExactnessTest.assertSame(cluster.single().range(q, T0, END, 60_000, cluster.options), got, q + " range");
        } finally {
            owner.pushdownAnswers = (request, answer) -> answer;
        }
    }

    @Test
    void theFirstFailureEndsTheQueryWithoutWaitingForTheOtherPartialQueries() {
        InProcessCluster.Node asker = cluster.nodes.get(0), owner = cluster.nodes.get(1);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> releasedByTimeout = ConcurrentHashMap.newKeySet();
        owner.pushdownAnswers = (request, answer) -> {
            if (request.query().startsWith("count")) {
                return CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.UNPROCESSABLE_ENTITY,
                        "execution\nthe count failed here"));
            }
            return answer.thenApplyAsync(r -> {
                if (!await(release)) releasedByTimeout.add(request.query());
                return r;
            }, holders);
        };
        try {
            // sum by (zone) runs on the asking thread and is held; the count fails on another thread.
            QueryException e = assertThrows(QueryException.class, () -> asker.evaluator.instant("avg by (zone) (g)", END, cluster.options));
            assertEquals("the count failed here", e.getMessage());
            assertEquals(1, release.getCount());
            assertEquals(Set.of(), releasedByTimeout, "the query failed while the other answers were still held");
        } finally {
            release.countDown();
            owner.pushdownAnswers = (request, answer) -> answer;
        }
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}

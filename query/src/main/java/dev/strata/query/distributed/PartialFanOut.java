package dev.strata.query.distributed;

import dev.strata.query.engine.QueryException;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.storage.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import dev.strata.query.distributed.PushdownPlan.Partial;

/**
 * Fan-out of a pushed-down query's partial queries (second of three steps, after {@link PushdownPlan}):
 * each partial query goes to one ready owner per shard its aggregation touches, through
 * {@link ShardRouter}, all partial queries of a query at once; see {@link PushdownEvaluator} for the
 * concurrency and limit contracts.
 */
final class PartialFanOut {
    private final ClusterQueryable cluster;
    private final ShardRouter router;
    private final LocalShards local;
    private final PeerTransport peers;
    private final ExecutorService partialExecutor;

    PartialFanOut(ClusterQueryable cluster, ShardRouter router, LocalShards local, PeerTransport peers,
                  ExecutorService partialExecutor) {
        this.cluster = cluster;
        this.router = router;
        this.local = local;
        this.peers = peers;
        this.partialExecutor = partialExecutor;
    }

    /**
     * Runs every partial query at once (see the class comment); answers in the order of {@code partials}.
     * Their samples are taken from one max-samples budget; exhausting it fails the query as the engine would.
     */
    List<List<SelectResponse>> runAll(List<Partial> partials, long start, long end, long step, QueryOptions options) {
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
                s -> List.of(PushdownEvaluator.evaluateOn(local, s, query, start, end, step, options, part.histogramPartials())),
                (peer, s) -> peers.post(peer, part.histogramPartials() ? PushdownEvaluator.QUERY_WITH_PARTIALS : PushdownEvaluator.QUERY_WITH_SAMPLES,
                        SelectCodec.encodePushdown(
                        new PushdownRequest(s, query, start, end, step, options.lookbackDeltaMs(),
                                options.delayedNameRemoval(), options.useStartTimestamps()))),
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
}

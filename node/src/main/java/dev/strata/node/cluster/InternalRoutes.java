package dev.strata.node.cluster;

import dev.strata.store.http.Responses;
import dev.strata.query.distributed.ClusterMetadataSource;
import dev.strata.query.distributed.LocalShards;
import dev.strata.query.distributed.MetadataCodec;
import dev.strata.query.distributed.MetadataRequest;
import dev.strata.query.distributed.PushdownEvaluator;
import dev.strata.query.distributed.PushdownRequest;
import dev.strata.query.distributed.SampleCounts;
import dev.strata.query.distributed.SelectCodec;
import dev.strata.query.distributed.SelectFormatException;
import dev.strata.query.distributed.SelectRequest;
import dev.strata.query.distributed.SelectResponse;
import dev.strata.node.http.HttpResponses;
import dev.strata.query.engine.QueryException;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.query.storage.Series;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The node-to-node endpoints.
 * <ul>
 *   <li>{@code POST /internal/v1/select}: body a select request (docs/format/select.md); answers the
 *       requested shards that are ready here, naming them in the response, from this node's memory only.</li>
 *   <li>{@code POST /internal/v1/query}: a pushed-down aggregation ({@link PushdownEvaluator}); same answer format;
 *       with {@code ?partials=1} (a sum) the answer carries histogram partials (response version 6, when there are any);
 *       with {@code ?samples=1} the answer carries the evaluation's sample counts (response version 4; without
 *       it, version 1 to 3 as before, for askers that cannot read version 4);
 *       when the evaluation fails, 422 with the engine's error type on the first line and its message after.</li>
 *   <li>{@code POST /internal/v1/metadata}: series, label names or label values from the label indexes
 *       ({@link ClusterMetadataSource}, {@link MetadataCodec}).</li>
 *   <li>{@code GET /internal/v1/shards}: this node's owned shards, one line each:
 *       {@code shard open(0|1) position target running(0|1) lag unflushedAgeMs} (the last field since the
 *       retention guard; a line without it is read as unknown).</li>
 * </ul>
 * Reads run on the query executor, never on the event loop.
 */
public final class InternalRoutes {
    static final String SHARDS_PATH = "/internal/v1/shards";

    private final LocalShards local;
    private final Executor executor;
    private final dev.strata.query.engine.QueryOptions queryOptions;

    /** @param queryOptions the node's query limits; a pushed-down query's lookback and PromQL modes come from the asker */
    public InternalRoutes(LocalShards local, Executor executor, dev.strata.query.engine.QueryOptions queryOptions) {
        this.local = local;
        this.executor = executor;
        this.queryOptions = queryOptions;
    }

    /** {@code POST /internal/v1/query}: a pushed-down aggregation over the requested shards that are ready here. */
    public CompletableFuture<FullHttpResponse> query(FullHttpRequest req) {
        byte[] body = ByteBufUtil.getBytes(req.content());
        java.util.Map<String, List<String>> params = new QueryStringDecoder(req.uri()).parameters();
        boolean withSamples = params.getOrDefault(PushdownEvaluator.SAMPLES_PARAM, List.of()).contains("1");
        boolean partials = params.getOrDefault(PushdownEvaluator.PARTIALS_PARAM, List.of()).contains("1");
        return CompletableFuture.supplyAsync(() -> {
            PushdownRequest r;
            try {
                r = SelectCodec.decodePushdown(body);
            } catch (SelectFormatException | IllegalArgumentException e) {
                return HttpResponses.text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            }
            Set<Integer> served = new TreeSet<>();
            for (int s : r.shards()) if (local.isReady(s)) served.add(s);
            SelectResponse answer;
            try {
                answer = served.isEmpty() ? new SelectResponse(List.of(), List.of(), List.of(), List.of(), SampleCounts.NONE)
                        : PushdownEvaluator.evaluateOn(local, served, r.query(), r.startMs(), r.endMs(), r.stepMs(),
                                queryOptions.withLookbackDeltaMs(r.lookbackMs())
                                        .withDelayedNameRemoval(r.delayedNameRemoval())
                                        .withUseStartTimestamps(r.useStartTimestamps()), partials);
            } catch (QueryException e) {
                // The query itself failed (limits, bad data): another owner would fail alike, so the asker
                // fails the query with this error instead of trying the next owner.
                return HttpResponses.text(HttpResponseStatus.UNPROCESSABLE_ENTITY, e.errorType() + "\n" + e.getMessage());
            } catch (RuntimeException e) {
                return HttpResponses.text(HttpResponseStatus.UNPROCESSABLE_ENTITY, "internal\npushed-down query failed: " + e);
            }
            return binary(SelectCodec.encodeResponse(withSamples ? answer : answer.withoutSamples()));
        }, executor);
    }

    /** {@code POST /internal/v1/metadata}: series, label names or values from the label indexes of the requested shards ready here. */
    public CompletableFuture<FullHttpResponse> metadata(FullHttpRequest req) {
        byte[] body = ByteBufUtil.getBytes(req.content());
        return CompletableFuture.supplyAsync(() -> {
            MetadataRequest r;
            try {
                r = MetadataCodec.decodeRequest(body);
            } catch (SelectFormatException | IllegalArgumentException e) {
                return HttpResponses.text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            }
            Set<Integer> served = new TreeSet<>();
            for (int s : r.shards()) if (local.isReady(s)) served.add(s);
            List<Object> items = served.isEmpty() ? List.of() : ClusterMetadataSource.answer(local, r, served);
            return binary(MetadataCodec.encodeResponse(r.kind(), new ArrayList<>(served), items));
        }, executor);
    }

    public CompletableFuture<FullHttpResponse> select(FullHttpRequest req) {
        byte[] body = ByteBufUtil.getBytes(req.content());
        return CompletableFuture.supplyAsync(() -> {
            SelectRequest r;
            try {
                r = SelectCodec.decodeRequest(body);
            } catch (SelectFormatException | IllegalArgumentException e) {
                return HttpResponses.text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            }
            Set<Integer> served = new TreeSet<>();
            for (int s : r.shards()) if (local.isReady(s)) served.add(s);
            List<Series> series = new ArrayList<>();
            if (!served.isEmpty()) {
                try {
                    selectWithin(r, served, series);
                } catch (QueryException e) { // over the asker's limits: it fails the query with this error
                    return HttpResponses.text(HttpResponseStatus.UNPROCESSABLE_ENTITY, e.errorType() + "\n" + e.getMessage());
                }
            }
            return binary(SelectCodec.encodeResponse(new SelectResponse(new ArrayList<>(served), series)));
        }, executor);
    }

    /** Reads the selected series, stopping at the request's sample limit and deadline (checked per series). */
    private void selectWithin(SelectRequest r, Set<Integer> served, List<Series> out) {
        long deadline = r.timeoutMs() > 0 ? System.nanoTime() + r.timeoutMs() * 1_000_000 : Long.MAX_VALUE;
        long[] samples = {0};
        new LocalShardsQueryable(local.open(served)).select(r.matchers(), r.minT(), r.maxT(), (labels, ts, vs, sts, hs, n) -> {
            if (System.nanoTime() > deadline) throw new QueryException.Timeout("query execution");
            samples[0] += n;
            if (r.maxSamples() > 0 && samples[0] > r.maxSamples()) throw new QueryException.TooManySamples();
            out.add(new Series(labels, Arrays.copyOf(ts, n), Arrays.copyOf(vs, n), sts == null ? null : Arrays.copyOf(sts, n),
                    hs == null ? null : Arrays.copyOf(hs, n)));
        });
    }

    private static FullHttpResponse binary(byte[] out) {
        return Responses.binary(HttpResponseStatus.OK, out);
    }

    public CompletableFuture<FullHttpResponse> shards(FullHttpRequest req) {
        return CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.OK, renderShards(local.progress())));
    }

    static String renderShards(Map<Integer, LocalShards.ShardProgress> progress) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, LocalShards.ShardProgress> e : progress.entrySet()) {
            LocalShards.ShardProgress p = e.getValue();
            sb.append(e.getKey()).append(' ').append(p.open() ? 1 : 0).append(' ').append(p.position()).append(' ')
                    .append(p.target()).append(' ').append(p.running() ? 1 : 0).append(' ').append(p.lag()).append(' ')
                    .append(p.unflushedAgeMs()).append('\n');
        }
        return sb.toString();
    }

    /** Parses {@link #renderShards}; a malformed line is an IllegalArgumentException quoting it. */
    static Map<Integer, LocalShards.ShardProgress> parseShards(String text) {
        Map<Integer, LocalShards.ShardProgress> m = new java.util.TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.trim().split(" ");
            if (f.length != 6 && f.length != 7) throw new IllegalArgumentException("bad shard status line '" + line + "'");
            try {
                m.put(Integer.parseInt(f[0]), new LocalShards.ShardProgress(f[1].equals("1"), Long.parseLong(f[2]),
                        Long.parseLong(f[3]), f[4].equals("1"), Long.parseLong(f[5]), f.length == 7 ? Long.parseLong(f[6]) : -1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad shard status line '" + line + "'");
            }
        }
        return m;
    }
}

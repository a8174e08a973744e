package dev.strata.node.status;

import dev.strata.store.json.JsonWriter;
import dev.strata.index.ValueCount;
import dev.strata.node.cluster.ClusterTopology;
import dev.strata.query.distributed.LocalShards;
import dev.strata.node.cluster.PeerClient;
import dev.strata.node.http.HttpResponses;
import dev.strata.query.storage.LocalShardsQueryable;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code GET /api/v1/status/tsdb}: cardinality statistics of the whole cluster, in Prometheus 2.42's
 * shape. Every node is asked ({@code POST /internal/v1/tsdb}) for the stats of the shards it serves
 * ready ({@link ShardTsdbStats}); each shard is counted once (this node's copy first, else the first
 * owner that answered). Shards no owner served are named in {@code warnings}, as the query API does
 * for partial data.
 * <pre>
 * {"status":"success","data":{
 *   "headStats":{"numSeries":508,"numLabelPairs":1234,"chunkCount":937,"minTime":1591516800000,"maxTime":1598896800143},
 *   "seriesCountByMetricName":[{"name":"up","value":20},...],      series per metric name
 *   "labelValueCountByLabelName":[{"name":"instance","value":211},...],  distinct values per label name
 *   "memoryInBytesByLabelName":[{"name":"instance","value":8266},...],   bytes of the distinct values (as 2.42: sum of their lengths)
 *   "seriesCountByLabelValuePair":[{"name":"job=node","value":425},...]}}
 * </pre>
 * Each list holds the {@code limit} largest entries (default 10), largest first, ties by name.
 * {@code chunkCount} counts the sealed chunks held in memory; {@code minTime}/{@code maxTime} span the
 * samples held in memory (Prometheus's head: {@code 9223372036854775807}/{@code -9223372036854775808}
 * when empty).
 */
public final class TsdbStatus {
    public static final String INTERNAL_PATH = "/internal/v1/tsdb";
    static final int DEFAULT_LIMIT = 10;

    private final ClusterTopology topology;
    private final LocalShards local;
    private final PeerClient peers;
    private final Executor executor;

    /** @param executor where the index walks run (never the event loop) */
    public TsdbStatus(ClusterTopology topology, LocalShards local, PeerClient peers, Executor executor) {
        this.topology = topology;
        this.local = local;
        this.peers = peers;
        this.executor = executor;
    }

    /** {@code GET /api/v1/status/tsdb?limit=N}. */
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest req) {
        List<String> limits = new QueryStringDecoder(req.uri()).parameters().getOrDefault("limit", List.of());
        int limit = DEFAULT_LIMIT;
        if (!limits.isEmpty()) {
            try {
                limit = Integer.parseInt(limits.get(0));
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1) {
                return CompletableFuture.completedFuture(HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "bad_data",
                        "limit must be a positive number"));
            }
        }
        int n = limit;
        Map<Integer, CompletableFuture<List<ShardTsdbStats>>> asks = new TreeMap<>();
        asks.put(topology.self(), CompletableFuture.supplyAsync(this::localStats, executor));
        for (dev.strata.node.cluster.Member m : topology.view().members().values()) {
            int o = m.ordinal();
            if (o == topology.self() || m.state() == dev.strata.node.cluster.MemberState.DOWN) continue;
            asks.put(o, peers.post(o, INTERNAL_PATH, new byte[0]).thenApply(ShardTsdbStats::decode));
        }
        return CompletableFuture.allOf(asks.values().stream().map(f -> f.exceptionally(e -> null))
                        .toArray(CompletableFuture[]::new))
                .thenApplyAsync(v -> {
                    Map<Integer, ShardTsdbStats> byShard = new TreeMap<>();
                    for (CompletableFuture<List<ShardTsdbStats>> f : asks.values()) { // self first, then by ordinal
                        List<ShardTsdbStats> got = f.join();
                        if (got == null) continue;
                        for (ShardTsdbStats s : got) byShard.putIfAbsent(s.shard(), s);
                    }
                    Set<Integer> missing = new TreeSet<>();
                    for (int s = 0; s < topology.shardCount(); s++) if (!byShard.containsKey(s)) missing.add(s);
                    return HttpResponses.of(HttpResponseStatus.OK, HttpResponses.JSON,
                            render(byShard.values(), n, missing));
                }, executor);
    }

    /** {@code POST /internal/v1/tsdb}: the stats of the shards ready here. */
    public CompletableFuture<FullHttpResponse> internal(FullHttpRequest req) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] out = ShardTsdbStats.encode(localStats());
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(out));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            return resp;
        }, executor);
    }

    private List<ShardTsdbStats> localStats() {
        Set<Integer> ready = new TreeSet<>();
        for (int s : local.progress().keySet()) if (local.isReady(s)) ready.add(s);
        List<ShardTsdbStats> out = new ArrayList<>();
        for (LocalShardsQueryable.Shard s : local.open(ready)) out.add(ShardTsdbStats.of(s));
        return out;
    }

    /** The Prometheus-shaped answer over {@code shards} (each counted once). */
    static String render(Iterable<ShardTsdbStats> shards, int limit, Set<Integer> missing) {
        long series = 0;
        long chunks = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        Map<String, Map<String, Long>> pairs = new HashMap<>();
        for (ShardTsdbStats s : shards) {
            series += s.numSeries();
            chunks += s.chunkCount();
            min = Math.min(min, s.minTime());
            max = Math.max(max, s.maxTime());
            for (Map.Entry<String, List<ValueCount>> e : s.labels().entrySet()) {
                Map<String, Long> values = pairs.computeIfAbsent(e.getKey(), k -> new HashMap<>());
                for (ValueCount vc : e.getValue()) values.merge(vc.value(), vc.count(), Long::sum);
            }
        }
        long labelPairs = 0;
        Map<String, Long> metricSeries = new LinkedHashMap<>();
        Map<String, Long> valueCounts = new LinkedHashMap<>();
        Map<String, Long> valueBytes = new LinkedHashMap<>();
        Map<String, Long> pairSeries = new HashMap<>();
        for (Map.Entry<String, Map<String, Long>> e : pairs.entrySet()) {
            String name = e.getKey();
            long bytes = 0;
            for (Map.Entry<String, Long> v : e.getValue().entrySet()) {
                if (name.equals("__name__")) metricSeries.put(v.getKey(), v.getValue());
                pairSeries.put(name + "=" + v.getKey(), v.getValue());
                bytes += v.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            labelPairs += e.getValue().size();
            valueCounts.put(name, (long) e.getValue().size());
            valueBytes.put(name, bytes);
        }
        StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"headStats\":{\"numSeries\":").append(series)
                .append(",\"numLabelPairs\":").append(labelPairs).append(",\"chunkCount\":").append(chunks)
                .append(",\"minTime\":").append(min).append(",\"maxTime\":").append(max).append('}');
        top(sb, "seriesCountByMetricName", metricSeries, limit);
        top(sb, "labelValueCountByLabelName", valueCounts, limit);
        top(sb, "memoryInBytesByLabelName", valueBytes, limit);
        top(sb, "seriesCountByLabelValuePair", pairSeries, limit);
        sb.append('}');
        if (!missing.isEmpty()) {
            sb.append(",\"warnings\":[").append(JsonWriter.quote("no ready owner answered for shards " + missing
                    + ": their series are not counted")).append(']');
        }
        return sb.append('}').toString();
    }

    private static void top(StringBuilder sb, String field, Map<String, Long> counts, int limit) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        sb.append(",\"").append(field).append("\":[");
        for (int i = 0; i < Math.min(limit, entries.size()); i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"name\":").append(JsonWriter.quote(entries.get(i).getKey())).append(",\"value\":")
                    .append(entries.get(i).getValue()).append('}');
        }
        sb.append(']');
    }
}

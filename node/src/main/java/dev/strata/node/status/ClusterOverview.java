package dev.strata.node.status;

import dev.strata.store.json.JsonWriter;
import dev.strata.ingest.consumer.ShardConsumerStats;
import dev.strata.ingest.status.ShardStatusHandler;
import dev.strata.node.cluster.ClusterTopology;
import dev.strata.node.cluster.PeerClient;
import dev.strata.node.http.HttpResponses;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the UI's cluster and ingestion pages show per node, from every node at once.
 * <ul>
 *   <li>{@code GET /internal/v1/overview}: this node's shard consumers (the objects of
 *       {@code /api/v1/status/local-shards}: offsets, lag, rates, rejected samples by reason, replay
 *       progress and ETA) and per shard the age of its last flush and of its oldest flush-group checkpoint:
 *       <pre>{"node":0,"now":1700000000000,"ingest":{"status":"success","data":{"shards":[...]}},
 *  "flush":[{"shard":0,"lastFlushAgeSeconds":3.2,"oldestCheckpointAgeSeconds":41.0,"consecutiveFailures":0},...]}</pre>
 *       (ages are -1 until this process flushed the shard, or every one of its groups, once);</li>
 *   <li>{@code GET /api/v1/status/cluster}: every node's overview (peers asked in parallel, peer timeout):
 *       <pre>{"status":"success","data":{"self":0,"nodes":[{"node":0,"address":"...","up":true,"error":"",
 *  "overview":{...}},{"node":1,"up":false,"error":"...","overview":null}]}}</pre></li>
 * </ul>
 * Shard ownership and owner states are {@code /api/v1/status/shards} ({@link dev.strata.node.cluster.ClusterStatus}).
 */
public final class ClusterOverview {
    public static final String INTERNAL_PATH = "/internal/v1/overview";

    /**
     * @param lastFlushMs         wall-clock ms of the shard's last successful flush, 0 for none
     * @param oldestCheckpointMs  wall-clock ms of the oldest of its groups' last checkpoints, 0 until every group flushed
     */
    public record FlushTimes(int shard, long lastFlushMs, long oldestCheckpointMs, long consecutiveFailures) {}

    private final ClusterTopology topology;
    private final PeerClient peers;
    private final Supplier<Collection<ShardConsumerStats>> consumers;
    /** Each owned shard's supervised state ("running", "restarting in ..."), as on /api/v1/status/local-shards. */
    private final Supplier<java.util.Map<Integer, String>> states;
    private final Supplier<List<FlushTimes>> flushes;
    private final LongSupplier clock;

    public ClusterOverview(ClusterTopology topology, PeerClient peers, Supplier<Collection<ShardConsumerStats>> consumers,
                           Supplier<java.util.Map<Integer, String>> states, Supplier<List<FlushTimes>> flushes, LongSupplier clock) {
        this.topology = topology;
        this.peers = peers;
        this.consumers = consumers;
        this.states = states;
        this.flushes = flushes;
        this.clock = clock;
    }

    /** {@code GET /internal/v1/overview}. */
    public CompletableFuture<FullHttpResponse> local(FullHttpRequest req) {
        return CompletableFuture.completedFuture(HttpResponses.of(HttpResponseStatus.OK, HttpResponses.JSON, renderLocal()));
    }

    String renderLocal() {
        long now = clock.getAsLong();
        StringBuilder sb = new StringBuilder("{\"node\":").append(topology.self()).append(",\"now\":").append(now)
                .append(",\"ingest\":").append(ShardStatusHandler.render(consumers.get(), states.get(), now)).append(",\"flush\":[");
        boolean first = true;
        for (FlushTimes f : flushes.get()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"shard\":").append(f.shard()).append(",\"lastFlushAgeSeconds\":").append(age(now, f.lastFlushMs()))
                    .append(",\"oldestCheckpointAgeSeconds\":").append(age(now, f.oldestCheckpointMs()))
                    .append(",\"consecutiveFailures\":").append(f.consecutiveFailures()).append('}');
        }
        return sb.append("]}").toString();
    }

    private static double age(long now, long ms) {
        return ms <= 0 ? -1 : Math.max(0, now - ms) / 1000.0;
    }

    /** {@code GET /api/v1/status/cluster}. */
    public CompletableFuture<FullHttpResponse> cluster(FullHttpRequest req) {
        Map<Integer, CompletableFuture<String>> asks = new TreeMap<>();
        Map<Integer, String> addresses = new TreeMap<>();
        for (dev.strata.node.cluster.Member m : topology.view().members().values()) addresses.put(m.ordinal(), m.address());
        for (int o : addresses.keySet()) {
            asks.put(o, o == topology.self() ? CompletableFuture.completedFuture(renderLocal())
                    : peers.get(o, INTERNAL_PATH).thenApply(b -> checkObject(new String(b, StandardCharsets.UTF_8))));
        }
        return CompletableFuture.allOf(asks.values().stream().map(f -> f.exceptionally(e -> null))
                        .toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"self\":").append(topology.self())
                            .append(",\"nodes\":[");
                    asks.forEach((o, f) -> {
                        if (sb.charAt(sb.length() - 1) != '[') sb.append(',');
                        String overview = null;
                        String error = "";
                        try {
                            overview = f.join();
                        } catch (RuntimeException e) {
                            error = (e.getCause() != null ? e.getCause() : e).toString();
                        }
                        sb.append("{\"node\":").append(o).append(",\"address\":").append(JsonWriter.quote(addresses.get(o)))
                                .append(",\"up\":").append(overview != null).append(",\"error\":").append(JsonWriter.quote(error))
                                .append(",\"overview\":").append(overview == null ? "null" : overview).append('}');
                    });
                    return HttpResponses.of(HttpResponseStatus.OK, HttpResponses.JSON, sb.append("]}}").toString());
                });
    }

    /** A peer's answer is embedded as is; it must at least be one JSON object. */
    private static String checkObject(String s) {
        String t = s.strip();
        if (!t.startsWith("{") || !t.endsWith("}")) throw new IllegalArgumentException("not a JSON object: " + t.substring(0, Math.min(80, t.length())));
        return t;
    }
}

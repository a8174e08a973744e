package dev.strata.node.cluster;

import dev.strata.store.json.JsonWriter;
import dev.strata.query.distributed.LocalShards;
import dev.strata.node.http.HttpResponses;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/v1/status/shards}: the whole cluster. Asks every other node for its shards
 * ({@code GET /internal/v1/shards}, peer timeout) in parallel, merges with this node's own, and
 * answers, for every shard, its owners and each owner's state:
 * <ul>
 *   <li>{@code ready}: open and caught up with the end offset at open;</li>
 *   <li>{@code recovering}: opening or replaying, with {@code position}, {@code target} and
 *       {@code progress} (position/target, 0..1);</li>
 *   <li>{@code down}: the node did not answer (its error is in {@code nodes}).</li>
 * </ul>
 * Also the membership: {@code epoch} (the assignment's), {@code members} (address, zone, state:
 * joining, active, leaving, drained, down; slots: replica slots the assignment gives it) and
 * {@code handoffs} in progress ({@link ShardHandoff#inProgress}). The static form shows epoch 0, every
 * node active and no handoffs.
 * <pre>
 * {"status":"success","data":{"self":0,"epoch":3,"nodes":[{"node":0,"address":"...","up":true,"error":""},...],
 *  "shards":[{"shard":0,"readyOwners":2,"owners":[{"node":0,"state":"ready","position":42,"target":42,
 *  "progress":1.0,"lag":0},...]},...],
 *  "members":[{"node":0,"address":"...","zone":"a","state":"active","slots":6},...],
 *  "handoffs":[{"shard":5,"from":[1],"to":[3],"state":"recovering"},...]}}
 * </pre>
 */
public final class ClusterStatus {
    private final ClusterTopology topology;
    private final LocalShards local;
    private final PeerClient peers;

    public ClusterStatus(ClusterTopology topology, LocalShards local, PeerClient peers) {
        this.topology = topology;
        this.local = local;
        this.peers = peers;
    }

    /**
     * Asks every other live member for its shards' progress ({@code /internal/v1/shards}), by node
     * ordinal; members membership reports down are not asked (their shards count as not reported).
     */
    static Map<Integer, CompletableFuture<Map<Integer, LocalShards.ShardProgress>>> askPeers(ClusterTopology topology, PeerClient peers) {
        Map<Integer, CompletableFuture<Map<Integer, LocalShards.ShardProgress>>> asks = new HashMap<>();
        for (Member m : topology.view().members().values()) {
            int o = m.ordinal();
            if (o == topology.self() || m.state() == MemberState.DOWN) continue;
            asks.put(o, peers.get(o, InternalRoutes.SHARDS_PATH)
                    .thenApply(b -> InternalRoutes.parseShards(new String(b, StandardCharsets.UTF_8))));
        }
        return asks;
    }

    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest req) {
        Map<Integer, CompletableFuture<Map<Integer, LocalShards.ShardProgress>>> asks = askPeers(topology, peers);
        return CompletableFuture.allOf(asks.values().stream().map(f -> f.exceptionally(e -> null))
                        .toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    Map<Integer, Map<Integer, LocalShards.ShardProgress>> byNode = new HashMap<>();
                    Map<Integer, String> errors = new HashMap<>();
                    byNode.put(topology.self(), local.progress());
                    asks.forEach((o, f) -> {
                        try {
                            byNode.put(o, f.join());
                        } catch (RuntimeException e) {
                            Throwable c = e.getCause() != null ? e.getCause() : e;
                            errors.put(o, c.toString());
                        }
                    });
                    return HttpResponses.of(HttpResponseStatus.OK, HttpResponses.JSON, render(byNode, errors));
                });
    }

    String render(Map<Integer, Map<Integer, LocalShards.ShardProgress>> byNode, Map<Integer, String> errors) {
        ClusterView view = topology.view();
        Assignment a = view.assignment();
        StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"self\":").append(topology.self());
        sb.append(",\"epoch\":").append(a.epoch());
        sb.append(",\"nodes\":[");
        boolean first = true;
        for (Member m : view.members().values()) {
            int o = m.ordinal();
            if (!first) sb.append(',');
            first = false;
            String error = errors.getOrDefault(o, m.state() == MemberState.DOWN && !byNode.containsKey(o) ? "down: no heartbeat" : "");
            sb.append("{\"node\":").append(o).append(",\"address\":").append(JsonWriter.quote(m.address()))
                    .append(",\"up\":").append(byNode.containsKey(o))
                    .append(",\"error\":").append(JsonWriter.quote(error)).append('}');
        }
        sb.append("],\"members\":[");
        first = true;
        for (Member m : view.members().values()) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"node\":").append(m.ordinal()).append(",\"address\":").append(JsonWriter.quote(m.address()))
                    .append(",\"zone\":").append(JsonWriter.quote(m.zone()))
                    .append(",\"state\":\"").append(m.state().text()).append('"')
                    .append(",\"slots\":").append(a.ownedBy(m.ordinal()).size()).append('}');
        }
        sb.append("],\"handoffs\":[");
        first = true;
        for (ShardHandoff.Move h : ShardHandoff.inProgress(view)) {
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"shard\":").append(h.shard()).append(",\"from\":").append(h.from())
                    .append(",\"to\":").append(h.to()).append(",\"state\":\"").append(h.state()).append("\"}");
        }
        sb.append("],\"shards\":[");
        for (int s = 0; s < a.shards(); s++) {
            if (s > 0) sb.append(',');
            StringBuilder owners = new StringBuilder();
            int ready = 0;
            int[] os = a.owners(s);
            for (int k = 0; k < os.length; k++) {
                int o = os[k];
                if (k > 0) owners.append(',');
                owners.append("{\"node\":").append(o);
                Map<Integer, LocalShards.ShardProgress> m = byNode.get(o);
                LocalShards.ShardProgress p = m == null ? null : m.get(s);
                if (p == null) {
                    // down, or (mid-reconfiguration) the node does not consider the shard its own
                    owners.append(",\"state\":\"down\"}");
                    continue;
                }
                if (p.ready()) ready++;
                double progress = p.target() <= 0 ? (p.open() ? 1.0 : 0.0) : Math.min(1.0, p.position() / (double) p.target());
                owners.append(",\"state\":\"").append(p.ready() ? "ready" : "recovering").append('"')
                        .append(",\"position\":").append(p.position()).append(",\"target\":").append(p.target())
                        .append(",\"progress\":").append(Math.round(progress * 1000) / 1000.0)
                        .append(",\"lag\":").append(p.lag()).append('}');
            }
            sb.append("{\"shard\":").append(s).append(",\"readyOwners\":").append(ready).append(",\"owners\":[")
                    .append(owners).append("]}");
        }
        return sb.append("]}}").toString();
    }
}

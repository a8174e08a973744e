package dev.strata.node.cluster;

import dev.strata.node.http.HttpResponses;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/admin/drain?node=N} and {@code POST /api/v1/admin/undrain?node=N} (public port,
 * behind {@code Access.ADMIN}; any node answers for any node): marks node N drained, or no longer, in the
 * membership ({@link ClusterMembership#setDrained}). A drained node gets no replica slots in the next
 * assignment; it hands its shards over (make-before-break) and then serves nothing, so an operator can
 * replace its volume. Undrain puts it back among the eligible members; the planner moves slots back.
 *
 * <p>The call only records the decision and answers at once; the handoff follows with the heartbeats
 * ({@code /api/v1/status/shards} shows its progress). The parameter may also come as a form body
 * ({@code curl -d node=3}), as Prometheus's own admin calls accept.
 *
 * <p>Answers (Prometheus API JSON): 200 {@code {"status":"success","data":{"node":N,"drained":true}}};
 * 400 {@code bad_data} for a missing or non-numeric node, or one the cluster does not know; 409 when the
 * cluster's members are fixed by {@code cluster.nodes} (drain needs dynamic membership) or when draining
 * would leave no node to own shards; 503 {@code unavailable} while membership has not started (the node
 * waits for Cassandra) or when writing the flag to Cassandra fails.
 */
public final class DrainRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DrainRoutes.class);

    private final Supplier<ClusterMembership> membership;
    private final Executor executor;

    /**
     * @param membership the running membership; null from the supplier while it has not started, and
     *                   always null on a cluster with static members ({@code cluster.nodes} set): pass
     *                   {@link #STATIC} there so the answer says why
     * @param executor   where the Cassandra write runs (it blocks; never on the event loop)
     */
    public DrainRoutes(Supplier<ClusterMembership> membership, Executor executor) {
        this.membership = membership;
        this.executor = executor;
    }

    /** The supplier for a cluster whose members are fixed by {@code cluster.nodes}. */
    public static final Supplier<ClusterMembership> STATIC = () -> {
        throw new IllegalStateException("static membership");
    };

    public CompletableFuture<FullHttpResponse> drain(FullHttpRequest req) {
        return handle(req, true);
    }

    public CompletableFuture<FullHttpResponse> undrain(FullHttpRequest req) {
        return handle(req, false);
    }

    private CompletableFuture<FullHttpResponse> handle(FullHttpRequest req, boolean drained) {
        String what = drained ? "drain" : "undrain";
        if (membership == STATIC) {
            return done(HttpResponseStatus.CONFLICT, what + " needs dynamic membership: this cluster's members are fixed by cluster.nodes"
                    + " (remove cluster.nodes and cluster.peers from the nodes' configuration to let nodes join, leave and be drained)");
        }
        List<String> values = new ArrayList<>(new QueryStringDecoder(req.uri()).parameters().getOrDefault("node", List.of()));
        values.addAll(formParameters(req).getOrDefault("node", List.of()));
        if (values.isEmpty()) return done(HttpResponseStatus.BAD_REQUEST, "missing parameter 'node' (the node's ordinal, e.g. ?node=3)");
        if (values.size() > 1) return done(HttpResponseStatus.BAD_REQUEST, "parameter 'node' given " + values.size() + " times; " + what + " takes one node");
        int node;
        try {
            node = Integer.parseInt(values.get(0).trim());
            if (node < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            return done(HttpResponseStatus.BAD_REQUEST, "invalid parameter 'node': '" + values.get(0) + "' is not a node ordinal (0, 1, 2, ...)");
        }
        ClusterMembership m = membership.get();
        if (m == null) {
            return error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "membership has not started on this node yet (waiting for Cassandra); retry");
        }
        ClusterView view = m.view();
        if (!view.members().containsKey(node)) {
            return done(HttpResponseStatus.BAD_REQUEST, "unknown node " + node + "; the cluster's members are " + view.members().keySet());
        }
        if (drained && view.eligible().stream().allMatch(x -> x.ordinal() == node)) {
            return done(HttpResponseStatus.CONFLICT, "draining node " + node + " would leave no node to own shards"
                    + " (eligible members: " + view.eligible().stream().map(Member::ordinal).toList() + ")");
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                m.setDrained(node, drained);
            } catch (RuntimeException e) {
                LOG.warn("admin: {} of node {} failed", what, node, e);
                return HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                        what + " of node " + node + " failed: " + e.getMessage());
            }
            LOG.info("admin: node {} {}", node, drained ? "drained: its shards move to the other nodes" : "undrained: it gets replica slots again");
            return HttpResponses.of(HttpResponseStatus.OK, HttpResponses.JSON,
                    "{\"status\":\"success\",\"data\":{\"node\":" + node + ",\"drained\":" + drained + "}}");
        }, executor);
    }

    /** {@code application/x-www-form-urlencoded} body parameters; none for any other body. */
    private static Map<String, List<String>> formParameters(FullHttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.startsWith("application/x-www-form-urlencoded") || !req.content().isReadable()) return Map.of();
        return new QueryStringDecoder(req.content().toString(StandardCharsets.UTF_8), false).parameters();
    }

    private static CompletableFuture<FullHttpResponse> done(HttpResponseStatus status, String message) {
        return error(status, "bad_data", message);
    }

    private static CompletableFuture<FullHttpResponse> error(HttpResponseStatus status, String type, String message) {
        return CompletableFuture.completedFuture(HttpResponses.error(status, type, message));
    }
}

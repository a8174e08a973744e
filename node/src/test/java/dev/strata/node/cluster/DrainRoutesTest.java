package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The drain/undrain admin calls: what reaches the membership, and each client error's status and JSON. */
class DrainRoutesTest {
    /** Records setDrained calls; a view of members 0..2 (1 drained) over an assignment of 4 shards. */
    private static class RecordingMembership implements ClusterMembership {
        final List<String> calls = new ArrayList<>();
        final ClusterView view;

        RecordingMembership(MemberState... states) {
            TreeMap<Integer, Member> members = new TreeMap<>();
            for (int i = 0; i < states.length; i++) members.put(i, new Member(i, "n" + i + ":9091", "", states[i], Set.of()));
            view = new ClusterView(0, new Assignment(3, 1, new int[][] {{0}, {2}, {0}, {2}}), members);
        }

        @Override public ClusterView view() { return view; }
        @Override public void onChange(Consumer<ClusterView> listener) {}
        @Override public void announce(MemberState state) {}
        @Override public void setDrained(int ordinal, boolean drained) { calls.add(ordinal + "=" + drained); }
    }

    private static FullHttpResponse call(DrainRoutes r, String uri, String formBody) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri,
                formBody == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(formBody, StandardCharsets.UTF_8));
        if (formBody != null) req.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded");
        return (uri.contains("undrain") ? r.undrain(req) : r.drain(req)).join();
    }

    private static String body(FullHttpResponse r) {
        return r.content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void drainAndUndrainReachTheMembership() {
        RecordingMembership m = new RecordingMembership(MemberState.ACTIVE, MemberState.DRAINED, MemberState.ACTIVE);
        DrainRoutes r = new DrainRoutes(() -> m, Runnable::run);
        FullHttpResponse ok = call(r, "/api/v1/admin/drain?node=2", null);
        assertEquals(200, ok.status().code(), body(ok));
        assertEquals("{\"status\":\"success\",\"data\":{\"node\":2,\"drained\":true}}", body(ok));
        assertEquals(200, call(r, "/api/v1/admin/undrain", "node=1").status().code());
        assertEquals(List.of("2=true", "1=false"), m.calls);
    }

    @Test
    void badNodesAre400WithPrometheusStyleJson() {
        RecordingMembership m = new RecordingMembership(MemberState.ACTIVE, MemberState.ACTIVE, MemberState.ACTIVE);
        DrainRoutes r = new DrainRoutes(() -> m, Runnable::run);
        for (String[] c : new String[][] {
                {"/api/v1/admin/drain", "missing parameter 'node'"},
                {"/api/v1/admin/drain?node=x", "'x' is not a node ordinal"},
                {"/api/v1/admin/drain?node=-1", "'-1' is not a node ordinal"},
                {"/api/v1/admin/drain?node=1&node=2", "given 2 times"},
                {"/api/v1/admin/undrain?node=7", "unknown node 7; the cluster's members are [0, 1, 2]"}}) {
            FullHttpResponse resp = call(r, c[0], null);
            assertEquals(400, resp.status().code(), c[0]);
            assertTrue(body(resp).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\""), body(resp));
            assertTrue(body(resp).contains(c[1]), c[0] + " -> " + body(resp));
        }
        assertEquals(List.of(), m.calls);
    }

    @Test
    void drainingTheLastEligibleNodeIsRefused() {
        RecordingMembership m = new RecordingMembership(MemberState.DRAINED, MemberState.DOWN, MemberState.ACTIVE);
        DrainRoutes r = new DrainRoutes(() -> m, Runnable::run);
        FullHttpResponse resp = call(r, "/api/v1/admin/drain?node=2", null);
        assertEquals(409, resp.status().code());
        assertTrue(body(resp).contains("would leave no node to own shards (eligible members: [2])"), body(resp));
        assertEquals(List.of(), m.calls);
    }

    @Test
    void staticMembershipAndNotYetStartedSayWhy() {
        FullHttpResponse fixed = call(new DrainRoutes(DrainRoutes.STATIC, Runnable::run), "/api/v1/admin/drain?node=1", null);
        assertEquals(409, fixed.status().code());
        assertTrue(body(fixed).contains("drain needs dynamic membership"), body(fixed));
        FullHttpResponse waiting = call(new DrainRoutes(() -> null, Runnable::run), "/api/v1/admin/undrain?node=1", null);
        assertEquals(503, waiting.status().code());
        assertTrue(body(waiting).contains("\"errorType\":\"unavailable\""), body(waiting));
    }

    @Test
    void aFailedCassandraWriteIs503NotA500() {
        ClusterMembership failing = new RecordingMembership(MemberState.ACTIVE, MemberState.ACTIVE) {
            @Override public void setDrained(int ordinal, boolean drained) { throw new IllegalStateException("Cassandra unreachable"); }
        };
        FullHttpResponse resp = call(new DrainRoutes(() -> failing, Runnable::run), "/api/v1/admin/drain?node=1", null);
        assertEquals(503, resp.status().code());
        assertTrue(body(resp).contains("drain of node 1 failed: Cassandra unreachable"), body(resp));
    }
}

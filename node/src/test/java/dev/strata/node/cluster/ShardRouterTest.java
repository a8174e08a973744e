package dev.strata.node.cluster;

import dev.strata.query.distributed.LocalShards;
import dev.strata.query.distributed.QueryScope;
import dev.strata.query.distributed.SelectCodec;
import dev.strata.query.distributed.SelectResponse;
import dev.strata.query.distributed.ShardRouter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.strata.query.storage.LocalShardsQueryable;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer slower than the peer timeout is waited for while it is alive; a peer that does not answer
 * {@code /-/healthy} either is treated as down at once (its shards have no other ready owner here,
 * so they are reported missing).
 */
class ShardRouterTest {
    /** Long enough that the health probe itself answers in time on a loaded 2-core machine (300 ms did not). */
    private static final Duration PEER_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration WORK_TIMEOUT = Duration.ofSeconds(20);

    private HttpServer healthy;
    private PeerClient client;

    @AfterEach
    void close() {
        if (healthy != null) healthy.stop(0);
        if (client != null) client.close();
    }

    /** This node (0) owns both shards but none is ready; node 1, at {@code peerPort}, owns them too. */
    private ShardRouter router(int peerPort) {
        PeerAddresses addresses = new PeerAddresses(List.of("127.0.0.1:1", "127.0.0.1:" + peerPort), "", "default", 2);
        ClusterTopology topology = new ClusterTopology(0, new ShardOwnership(2, 2, 2), addresses);
        client = new PeerClient(topology.peers(), PEER_TIMEOUT, WORK_TIMEOUT);
        LocalShards noneReady = new LocalShards() {
            @Override public boolean isReady(int shard) { return false; }
            @Override public List<LocalShardsQueryable.Shard> open(Set<Integer> shards) { return List.of(); }
            @Override public Map<Integer, ShardProgress> progress() { return Map.of(); }
        };
        return new ShardRouter(topology, noneReady, client);
    }

    /** Answers for every asked shard, {@code delayMs} after being asked. */
    private static CompletableFuture<byte[]> slowAnswer(List<Integer> shards, long delayMs) {
        byte[] body = SelectCodec.encodeResponse(new SelectResponse(shards, List.of(), List.of(), List.of()));
        return CompletableFuture.supplyAsync(() -> body, CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS));
    }

    private static Set<Integer> missingAfter(ShardRouter router, long delayMs) {
        QueryScope[] scope = new QueryScope[1];
        QueryScope.run(true, scope, () -> router.gather(new int[] {0, 1}, s -> List.of(), (peer, shards) -> slowAnswer(shards, delayMs)));
        return scope[0].missing();
    }

    @Test
    void aLivePeerSlowerThanThePeerTimeoutIsWaitedFor() throws Exception {
        healthy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        healthy.createContext("/-/healthy", ex -> {
            ex.sendResponseHeaders(200, 2);
            ex.getResponseBody().write("OK".getBytes());
            ex.close();
        });
        healthy.start();
        ShardRouter router = router(healthy.getAddress().getPort());
        assertEquals(Set.of(), missingAfter(router, PEER_TIMEOUT.toMillis() * 3), "a slow but live peer's answer counts");
    }

    @Test
    void aPeerThatDoesNotAnswerHealthChecksIsDownAfterThePeerTimeout() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        ShardRouter router = router(dead);
        long start = System.nanoTime();
        assertEquals(Set.of(0, 1), missingAfter(router, WORK_TIMEOUT.toMillis()));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs < WORK_TIMEOUT.toMillis() / 2, "gave up after " + tookMs + " ms, not at the work timeout");
    }
}

package dev.strata.node.cluster;

import dev.strata.query.distributed.LocalShards;
import dev.strata.query.distributed.PushdownEvaluator;
import dev.strata.query.distributed.PushdownRequest;
import dev.strata.query.distributed.SampleCounts;
import dev.strata.query.distributed.SelectCodec;
import dev.strata.query.distributed.SelectResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.index.ShardIndex;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /internal/v1/query} answers with the owner's sample counts (response version 4) only to an
 * asker that asks for them with {@code ?samples=1}: an asker that predates version 4 (no parameter) gets
 * the answer it can read.
 */
class InternalRoutesTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void sampleCountsOnlyWhenAsked() throws Exception {
        LocalShardsQueryable.Shard shard = new LocalShardsQueryable.Shard(ShardIndex.inMemory(0), new MemShard(0, MemShardOptions.defaults()));
        try {
            for (int i = 0; i < 3; i++) {
                Labels l = Labels.of("__name__", "m_total", "instance", "i" + i);
                int id = shard.index().addSeries(l, T0);
                shard.memory().createSeries(id, l);
                for (int s = 0; s < 10; s++) shard.memory().append(id, T0 + s * 15_000L, s);
                shard.index().updateLastSampleTime(id, T0 + 9 * 15_000L);
            }
            LocalShards local = new LocalShards() {
                @Override public boolean isReady(int s) { return s == 0; }
                @Override public List<LocalShardsQueryable.Shard> open(Set<Integer> shards) { return shards.contains(0) ? List.of(shard) : List.of(); }
                @Override public Map<Integer, ShardProgress> progress() { return Map.of(); }
            };
            InternalRoutes routes = new InternalRoutes(local, Runnable::run, QueryOptions.defaults());
            // rate over [1m] windows at 2 steps 1 m apart: 4 samples per series in each window.
            PushdownRequest request = new PushdownRequest(List.of(0, 1), "sum(rate(m_total[1m]))", T0 + 75_000, T0 + 135_000, 60_000,
                    300_000);
            SelectResponse asked = answer(routes, PushdownEvaluator.QUERY_PATH + "?samples=1", request, 4);
            assertEquals(List.of(0), asked.served());
            assertEquals(new SampleCounts(24, new long[] {12, 12}), asked.samples());
            SelectResponse plain = answer(routes, PushdownEvaluator.QUERY_PATH, request, 1);
            assertNull(plain.samples());
            assertEquals(asked.series().get(0).labels(), plain.series().get(0).labels());
            // No shard served here: nothing scanned.
            PushdownRequest elsewhere = new PushdownRequest(List.of(1), "sum(m_total)", T0, T0, 0, 300_000);
            assertEquals(SampleCounts.NONE, answer(routes, PushdownEvaluator.QUERY_PATH + "?samples=1", elsewhere, 4).samples());
        } finally {
            shard.index().close();
        }
    }

    /** The owner evaluates a pushed query in the asker's name-removal mode, whatever its own setting. */
    @Test
    void pushedQueriesUseTheAskersNameRemovalMode() throws Exception {
        LocalShardsQueryable.Shard shard = new LocalShardsQueryable.Shard(ShardIndex.inMemory(0), new MemShard(0, MemShardOptions.defaults()));
        try {
            // Two metrics with the same other labels: one label set once rate() drops their names.
            for (String name : List.of("a_total", "b_total")) {
                Labels l = Labels.of("__name__", name, "instance", "i");
                int id = shard.index().addSeries(l, T0);
                shard.memory().createSeries(id, l);
                for (int s = 0; s < 10; s++) shard.memory().append(id, T0 + s * 15_000L, s);
                shard.index().updateLastSampleTime(id, T0 + 9 * 15_000L);
            }
            LocalShards local = new LocalShards() {
                @Override public boolean isReady(int s) { return s == 0; }
                @Override public List<LocalShardsQueryable.Shard> open(Set<Integer> shards) { return List.of(shard); }
                @Override public Map<Integer, ShardProgress> progress() { return Map.of(); }
            };
            String q = "sum(rate({instance=\"i\"}[1m]))";
            for (boolean ownersMode : List.of(false, true)) {
                InternalRoutes routes = new InternalRoutes(local, Runnable::run,
                        QueryOptions.defaults().withDelayedNameRemoval(ownersMode));
                SelectResponse delayed = answer(routes, PushdownEvaluator.QUERY_PATH,
                        new PushdownRequest(List.of(0), q, T0 + 135_000, T0 + 135_000, 0, 300_000, true, true), 1);
                assertEquals(2.0 / 15, delayed.series().get(0).values()[0], 1e-12);
                FullHttpResponse immediate = routes.query(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                        PushdownEvaluator.QUERY_PATH, Unpooled.wrappedBuffer(SelectCodec.encodePushdown(
                                new PushdownRequest(List.of(0), q, T0 + 135_000, T0 + 135_000, 0, 300_000, false, false))))).get();
                assertEquals(422, immediate.status().code());
                assertEquals("execution\nvector cannot contain metrics with the same labelset",
                        immediate.content().toString(java.nio.charset.StandardCharsets.UTF_8));
            }
        } finally {
            shard.index().close();
        }
    }

    private static SelectResponse answer(InternalRoutes routes, String uri, PushdownRequest request, int version) throws Exception {
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri,
                Unpooled.wrappedBuffer(SelectCodec.encodePushdown(request)));
        FullHttpResponse resp = routes.query(req).get();
        assertEquals(200, resp.status().code(), resp.content().toString(java.nio.charset.StandardCharsets.UTF_8));
        byte[] body = ByteBufUtil.getBytes(resp.content());
        assertTrue(body[4] == version, uri + ": version " + body[4]);
        return SelectCodec.decodeResponse(body);
    }

    @Test
    void shardStatusLinesRoundTrip() {
        var m = new java.util.TreeMap<Integer, LocalShards.ShardProgress>();
        m.put(0, new LocalShards.ShardProgress(true, 10, 10, true, 0, 1500));
        m.put(3, new LocalShards.ShardProgress(false, 0, 0, false, -1, -1));
        assertEquals(m, InternalRoutes.parseShards(InternalRoutes.renderShards(m)));
        assertThrows(IllegalArgumentException.class, () -> InternalRoutes.parseShards("1 2 x\n"));
        // a node of the version before the retention guard sends six fields: the age is unknown
        assertEquals(-1, InternalRoutes.parseShards("2 1 5 5 1 0\n").get(2).unflushedAgeMs());
    }
}

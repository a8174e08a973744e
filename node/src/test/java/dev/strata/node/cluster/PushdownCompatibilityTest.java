package dev.strata.node.cluster;

import dev.strata.query.distributed.SelectCodec;
import dev.strata.query.distributed.SelectResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.store.model.Labels;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/**
 * An owner that predates sample counts (it answers pushed-down queries in response versions 1 to 3,
 * ignoring {@code ?samples=1}) still gives the exact answer; its shards' samples are missing from the
 * statistics, as docs/format/select.md says. Two in-process nodes, R=2, node 0 with no ready shard asks
 * node 1, whose answers are rewritten to the old form.
 */
class PushdownCompatibilityTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long END = T0 + 39 * 15_000L;

    @Test
    void anOwnerWithoutSampleCountsStillAnswersExactly() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(2, 4, 2, QueryOptions.defaults())) {
            for (int i = 0; i < 40; i++) {
                Labels g = Labels.of("__name__", "g", "job", "j" + i % 4, "instance", "i" + i);
                for (int s = 0; s < 40; s++) cluster.append(g, T0 + s * 15_000L, i * 100 + s);
            }
            InProcessCluster.Node asker = cluster.nodes.get(0), owner = cluster.nodes.get(1);
            asker.notReady.addAll(asker.owned.keySet());
            owner.pushdownAnswers = (request, answer) -> answer.thenApply(PushdownCompatibilityTest::withoutSampleCounts);
            for (String q : new String[] {"sum by (job) (g)", "avg(rate(g[5m]))", "topk(3, g)"}) {
                QueryResult want = cluster.single().instant(q, END, cluster.options);
                QueryResult got = asker.evaluator.instant(q, END, cluster.options);
                PushdownExactnessTest.assertSame(want, got, q);
                assertEquals(0, got.stats().totalQueryableSamples(), q + ": only the old owner loaded samples");
                QueryResult range = asker.evaluator.range(q, T0, END, 60_000, cluster.options);
                PushdownExactnessTest.assertSame(cluster.single().range(q, T0, END, 60_000, cluster.options), range, q + " range");
            }
        }
    }

    /** The answer as an owner without response version 4 sends it. */
    private static FullHttpResponse withoutSampleCounts(FullHttpResponse r) {
        if (r.status().code() != 200) return r;
        SelectResponse answer = SelectCodec.decodeResponse(ByteBufUtil.getBytes(r.content()));
        r.release();
        byte[] old = SelectCodec.encodeResponse(answer.withoutSamples());
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(old));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, old.length);
        return out;
    }
}

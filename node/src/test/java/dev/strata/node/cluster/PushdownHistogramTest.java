package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.distributed.AggregationPushdown;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.Sample;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.engine.Value;
import dev.strata.query.engine.Vector;
import dev.strata.query.parser.Parser;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pushed-down sums and averages of native histograms answer as one node holding the same data: 3
 * in-process nodes, 8 shards, R=2 ({@link InProcessCluster}), seeded random histograms (counter
 * histograms of several exponential schemas, custom-bucket histograms with differing bounds, series
 * mixing floats and histograms in one group, exponential and custom histograms in one group, counter
 * reset hints that conflict), instant queries at several times and range queries, asked of every node.
 * Every count, bucket and sum is compared to 1e-9 relative (partial sums add in another order);
 * labels, timestamps, schemas, warnings and infos exactly. And they are pushed down: the bytes a node
 * receives for them are a fraction of what reading the raw series moves.
 */
class PushdownHistogramTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int STEPS = 60;
    private static final long SCRAPE = 15_000;
    private static final long END = T0 + (STEPS - 1) * SCRAPE;
    private static final long SEED = Long.getLong("seed", System.nanoTime());
    private static InProcessCluster cluster;
    private static QueryEvaluator single;

    static final List<String> QUERIES = List.of(
            "sum(h)",
            "sum by (job) (rate(h[5m]))",
            "sum by (zone) (increase(h[2m]))",
            "avg by (zone) (h)",
            "avg(rate(h[5m]))",
            "sum without (instance) (h)",
            "histogram_count(sum by (job) (rate(h[5m])))",
            "histogram_quantile(0.9, sum by (zone) (rate(h[5m])))",
            "sum(rate(h[5m])) / 2",
            "sum by (job) (hc)",
            "avg(hc)",
            "sum(mix)",
            "avg by (zone) (mix)",
            "sum by (zone) (kinds)",
            "avg(kinds)",
            "sum by (zone) (hints)",
            "sum by (job) (g)",
            "avg by (zone) (g)",
            "limitk(2, h)",
            "limit_ratio(0.5, hc)");

    @BeforeAll
    static void load() throws Exception {
        cluster = new InProcessCluster(3, 8, 2, QueryOptions.defaults());
        single = cluster.single();
        System.out.println("PushdownHistogramTest seed=" + SEED);
        Random random = new Random(SEED);
        for (int j = 0; j < 6; j++) {
            for (int i = 0; i < 8; i++) {
                String job = "j" + j, instance = "i" + i, zone = "z" + (i % 3);
                Labels base = Labels.of("job", job, "instance", instance, "zone", zone);
                Counter h = new Counter(random, random.nextInt(4), null);
                // Custom bounds differ between instances: their sums reconcile them (an info).
                Counter hc = new Counter(random, FloatHistogram.CUSTOM_BUCKETS_SCHEMA,
                        i % 4 == 0 ? new double[] {0.1, 1, 5} : new double[] {0.1, 0.5, 1, 5});
                // Exponential in some instances, custom in others (zone z0 only mixes kinds).
                Counter kinds = i % 3 == 0 && i % 2 == 1 ? new Counter(random, FloatHistogram.CUSTOM_BUCKETS_SCHEMA, new double[] {1, 2})
                        : new Counter(random, 1, null);
                Counter hints = new Counter(random, 0, null);
                Counter mixed = new Counter(random, 2, null);
                double g = 0;
                for (int s = 0; s < STEPS; s++) {
                    long t = T0 + s * SCRAPE;
                    cluster.append(with(base, "h"), t, h.next(FloatHistogram.ResetHint.UNKNOWN));
                    cluster.append(with(base, "hc"), t, hc.next(FloatHistogram.ResetHint.UNKNOWN));
                    cluster.append(with(base, "kinds"), t, kinds.next(FloatHistogram.ResetHint.UNKNOWN));
                    // Reset hints "not a reset" everywhere and "reset" in job j1's instance i2 from step 30 (a conflict there).
                    FloatHistogram.ResetHint hint = j == 1 && i == 2 && s >= 30 ? FloatHistogram.ResetHint.YES : FloatHistogram.ResetHint.NO;
                    cluster.append(with(base, "hints"), t, hints.next(hint));
                    // Instance i5 of every job holds floats, the others histograms, all steps; and job j0 stops half-way.
                    if (j == 0 && s >= STEPS / 2) continue;
                    if (i == 5) cluster.append(with(base, "mix"), t, g += random.nextInt(10));
                    else cluster.append(with(base, "mix"), t, mixed.next(FloatHistogram.ResetHint.UNKNOWN));
                    cluster.append(with(base, "g"), t, random.nextGaussian() * 100);
                }
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        cluster.close();
    }

    @Test
    void histogramSumsAndAveragesAnswerAsOneNode() {
        int histograms = 0;
        for (String q : QUERIES) {
            assertFalse(AggregationPushdown.rewrite(Parser.parse(q)).pushed().isEmpty(), q + " is pushed down");
            for (long t : new long[] {T0 + 10 * SCRAPE, T0 + 40 * SCRAPE, END}) {
                QueryResult want = single.instant(q, t, cluster.options);
                histograms += count(want.value());
                for (InProcessCluster.Node node : cluster.nodes) {
                    assertSame(want, node.evaluator.instant(q, t, cluster.options), q + " @" + t + " node " + node.ordinal);
                }
            }
            QueryResult want = single.range(q, T0, END + 5 * 60_000, 60_000, cluster.options);
            histograms += count(want.value());
            for (InProcessCluster.Node node : cluster.nodes) {
                assertSame(want, node.evaluator.range(q, T0, END + 5 * 60_000, 60_000, cluster.options), q + " range, node " + node.ordinal);
            }
        }
        assertTrue(histograms > 500, "the answers hold histograms: " + histograms + " seed=" + SEED);
    }

    @Test
    void theAnnotationsOfMergingHistogramsAreOneNodes() {
        // The data raise each of them (what one node says is checked against the cluster above).
        assertTrue(single.instant("sum(mix)", END, cluster.options).warnings().get(0).startsWith("PromQL warning: encountered a mix of histograms and floats"));
        assertTrue(single.instant("sum by (zone) (kinds)", END, cluster.options).warnings().get(0)
                .startsWith("PromQL warning: vector contains a mix of histograms with exponential and custom buckets schemas for metric name \"kinds\""));
        assertTrue(single.instant("sum by (zone) (hints)", END, cluster.options).warnings().get(0)
                .startsWith("PromQL warning: conflicting counter resets during histogram aggregation"));
        assertTrue(single.instant("sum by (job) (hc)", END, cluster.options).infos().get(0)
                .startsWith("PromQL info: mismatched custom buckets were reconciled during aggregation"));
    }

    @Test
    void histogramSumsArePushedDown() {
        InProcessCluster.Node node = cluster.nodes.get(0);
        Engine raw = new Engine(node.data, cluster.options);
        for (String q : List.of("sum by (job) (rate(h[5m]))", "avg(h)", "sum by (zone) (hc)")) {
            long pushed = bytes(node, () -> node.evaluator.range(q, END - 600_000, END, 60_000, cluster.options));
            long rawBytes = bytes(node, () -> raw.rangeQuery(q, END - 600_000, END, 60_000, cluster.options));
            System.out.printf("%s: bytes received by node 0, pushed down %d, raw series %d (seed=%d)%n", q, pushed, rawBytes, SEED);
            assertTrue(pushed * 4 < rawBytes, q + ": pushed down, " + pushed + " bytes vs " + rawBytes + " for the raw series, seed=" + SEED);
        }
    }

    /**
     * An owner that predates histogram partials (response version 6) ignores {@code ?partials=1} and
     * answers histogram sums without them: the asker cannot merge those and reads the raw series, still
     * answering as one node.
     */
    @Test
    void anOwnerWithoutPartialsMakesTheQueryReadRawSeries() {
        for (InProcessCluster.Node n : cluster.nodes) n.pushdownAnswers = (request, answer) -> answer.thenApply(PushdownHistogramTest::withoutPartials);
        try {
            InProcessCluster.Node node = cluster.nodes.get(0);
            String q = "sum by (job) (rate(h[5m]))";
            long[] pushed = new long[1];
            pushed[0] = bytes(node, () -> assertSame(single.range(q, END - 600_000, END, 60_000, cluster.options),
                    node.evaluator.range(q, END - 600_000, END, 60_000, cluster.options), q + " old owners"));
            long rawBytes = bytes(node, () -> new Engine(node.data, cluster.options).rangeQuery(q, END - 600_000, END, 60_000, cluster.options));
            assertTrue(pushed[0] >= rawBytes, "raw series read: " + pushed[0] + " vs " + rawBytes + " seed=" + SEED);
        } finally {
            for (InProcessCluster.Node n : cluster.nodes) n.pushdownAnswers = (request, answer) -> answer;
        }
    }

    private static io.netty.handler.codec.http.FullHttpResponse withoutPartials(io.netty.handler.codec.http.FullHttpResponse r) {
        if (r.status().code() != 200) return r;
        dev.strata.query.distributed.SelectResponse a = dev.strata.query.distributed.SelectCodec.decodeResponse(
                io.netty.buffer.ByteBufUtil.getBytes(r.content()));
        r.release();
        byte[] old = dev.strata.query.distributed.SelectCodec.encodeResponse(
                new dev.strata.query.distributed.SelectResponse(a.served(), a.series(), a.warnings(), a.infos(), a.samples()));
        io.netty.handler.codec.http.FullHttpResponse out = new io.netty.handler.codec.http.DefaultFullHttpResponse(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpResponseStatus.OK,
                io.netty.buffer.Unpooled.wrappedBuffer(old));
        out.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        out.headers().setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, old.length);
        return out;
    }

    private static long bytes(InProcessCluster.Node node, Runnable query) {
        long before = node.bytesReceived();
        query.run();
        return node.bytesReceived() - before;
    }

    private static Labels with(Labels base, String name) {
        return base.toBuilder().set("__name__", name).build();
    }

    /** A cumulative histogram: a few observations more at each scrape, in a fixed range of buckets. */
    private static final class Counter {
        private final Random random;
        private final int schema;
        private final double[] bounds;
        private final int offset;
        private final double[] buckets;
        private double count, sum, zero;

        Counter(Random random, int schema, double[] bounds) {
            this.random = random;
            this.schema = schema;
            this.bounds = bounds;
            this.offset = bounds == null ? random.nextInt(7) - 3 : 0;
            this.buckets = new double[bounds == null ? 3 + random.nextInt(5) : bounds.length + 1];
        }

        FloatHistogram next(FloatHistogram.ResetHint hint) {
            for (int k = 0; k < buckets.length; k++) {
                int n = random.nextInt(4);
                buckets[k] += n;
                count += n;
                sum += n * (1 + k) * 0.37;
            }
            if (bounds == null) {
                int z = random.nextInt(2);
                zero += z;
                count += z;
            }
            return new FloatHistogram(hint, schema, bounds == null ? 0.001 : 0, zero, count, sum, new int[] {offset},
                    new int[] {buckets.length}, buckets.clone(), null, null, null, bounds);
        }
    }

    private static int count(Value v) {
        int n = 0;
        if (v instanceof Vector vec) for (Sample s : vec.samples()) if (s.histogram() != null) n++;
        if (v instanceof Matrix m) for (SeriesPoints p : m.series()) for (int i = 0; i < p.size(); i++) if (p.histogram(i) != null) n++;
        return n;
    }

    private static void assertSame(QueryResult want, QueryResult got, String what) {
        String ctx = what + " seed=" + SEED;
        assertEquals(new TreeSet<>(want.warnings()), new TreeSet<>(got.warnings()), ctx + " warnings");
        assertEquals(new TreeSet<>(want.infos()), new TreeSet<>(got.infos()), ctx + " infos");
        assertEquals(want.stats().totalQueryableSamples(), got.stats().totalQueryableSamples(), ctx + " samples");
        Value w = want.value(), g = got.value();
        assertEquals(w.getClass(), g.getClass(), ctx);
        if (w instanceof Vector wv) {
            List<Sample> a = wv.samples(), b = ((Vector) g).samples();
            assertEquals(a.size(), b.size(), ctx + " sizes: " + a + " vs " + b);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).metric(), b.get(i).metric(), ctx + " #" + i);
                assertEquals(a.get(i).timestampMs(), b.get(i).timestampMs(), ctx + " #" + i);
                point(a.get(i).value(), a.get(i).histogram(), b.get(i).value(), b.get(i).histogram(), ctx + " " + a.get(i).metric());
            }
        } else if (w instanceof Matrix wm) {
            List<SeriesPoints> a = wm.series(), b = ((Matrix) g).series();
            assertEquals(a.size(), b.size(), ctx + " series counts");
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).metric(), b.get(i).metric(), ctx + " #" + i);
                assertEquals(java.util.Arrays.toString(a.get(i).timestamps()), java.util.Arrays.toString(b.get(i).timestamps()), ctx);
                for (int k = 0; k < a.get(i).size(); k++) {
                    point(a.get(i).values()[k], a.get(i).histogram(k), b.get(i).values()[k], b.get(i).histogram(k),
                            ctx + " " + a.get(i).metric() + " t=" + a.get(i).timestamps()[k]);
                }
            }
        } else {
            fail("unexpected value " + w);
        }
    }

    private static void point(double wv, FloatHistogram wh, double gv, FloatHistogram gh, String ctx) {
        if (wh == null) {
            assertEquals(null, gh, ctx + " float expected");
            PushdownExactnessTest.assertClose(wv, gv, ctx);
            return;
        }
        assertTrue(gh != null, ctx + " histogram expected, got " + gv);
        assertEquals(wh.schema(), gh.schema(), ctx + " schema");
        assertEquals(wh.resetHint(), gh.resetHint(), ctx + " hint");
        assertEquals(wh.zeroThreshold(), gh.zeroThreshold(), ctx + " zero threshold");
        assertArrayEqualsInts(wh.positiveSpanOffsets(), gh.positiveSpanOffsets(), ctx + " positive spans");
        assertArrayEqualsInts(wh.positiveSpanLengths(), gh.positiveSpanLengths(), ctx + " positive spans");
        assertArrayEqualsInts(wh.negativeSpanOffsets(), gh.negativeSpanOffsets(), ctx + " negative spans");
        assertArrayEqualsInts(wh.negativeSpanLengths(), gh.negativeSpanLengths(), ctx + " negative spans");
        assertEquals(java.util.Arrays.toString(wh.customValues()), java.util.Arrays.toString(gh.customValues()), ctx + " bounds");
        PushdownExactnessTest.assertClose(wh.count(), gh.count(), ctx + " count");
        PushdownExactnessTest.assertClose(wh.sum(), gh.sum(), ctx + " sum");
        PushdownExactnessTest.assertClose(wh.zeroCount(), gh.zeroCount(), ctx + " zero count");
        for (int i = 0; i < wh.positiveBuckets().length; i++) {
            PushdownExactnessTest.assertClose(wh.positiveBuckets()[i], gh.positiveBuckets()[i], ctx + " bucket " + i);
        }
        for (int i = 0; i < wh.negativeBuckets().length; i++) {
            PushdownExactnessTest.assertClose(wh.negativeBuckets()[i], gh.negativeBuckets()[i], ctx + " negative bucket " + i);
        }
    }

    private static void assertArrayEqualsInts(int[] a, int[] b, String ctx) {
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b), ctx);
    }
}

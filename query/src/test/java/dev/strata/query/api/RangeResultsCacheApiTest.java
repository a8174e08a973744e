package dev.strata.query.api;

import static dev.strata.query.api.ApiTestSupport.call;
import static dev.strata.query.api.ApiTestSupport.enc;
import static dev.strata.query.api.ApiTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.api.ApiTestSupport.Resp;
import dev.strata.query.cache.RangeResultsCache;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.memstore.LateWrites;
import dev.strata.store.model.Labels;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The range-query results cache behind the real API and engine: cached answers are byte-identical to
 * uncached ones, late writes invalidate, bypasses and the memory bound work. The late-write hook that
 * MemShard calls is called here by the test where it appends (the node test covers the real hook).
 */
class RangeResultsCacheApiTest {
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    /** Data from BASE to NOW every 15 s; the cache keeps steps older than NOW - 11m. */
    private static final long BASE = 1_700_000_000_000L / HOUR * HOUR;
    private static final long NOW = BASE + 6 * HOUR;
    private static final long IMMUTABLE_AFTER = 11 * MIN;

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final InMemoryQueryable store = new InMemoryQueryable();
    private final LateWrites lateWrites = new LateWrites();
    private RangeResultsCache cache;
    private long clock = NOW;
    private PrometheusApi api;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private void start(long maxBytes, long splitInterval, QueryEvaluator around) {
        QueryOptions opts = QueryOptions.defaults();
        QueryEvaluator engine = around != null ? around : QueryEvaluator.of(new Engine(store, opts));
        cache = new RangeResultsCache(engine, new RangeResultsCache.Settings(splitInterval, maxBytes, IMMUTABLE_AFTER),
                () -> clock, lateWrites);
        api = new PrometheusApi(cache, new QueryableMetadataSource(store),
                new ApiSettings(opts, BuildInfo.of("0.1.0", "rev", "main", "me", "now"), Map.of(), "15d", 0, ApiSettings.ANY_ORIGIN),
                executor, () -> NOW);
    }

    private void load(Random rnd) {
        for (int s = 0; s < 12; s++) {
            Labels counter = Labels.of("__name__", "http_requests_total", "job", "j" + (s % 3), "instance", "i" + s);
            Labels gauge = Labels.of("__name__", "temperature", "room", "r" + s);
            Labels bucket = Labels.of("__name__", "latency_bucket", "job", "j" + (s % 2), "le", List.of("0.1", "0.5", "1", "+Inf").get(s % 4));
            double c = 0;
            long gapFrom = BASE + rnd.nextInt(300) * 60_000L;
            for (long t = BASE; t <= NOW; t += 15_000) {
                if (s == 5 && t >= gapFrom && t < gapFrom + 20 * MIN) continue; // a series that goes stale for a while
                c += rnd.nextInt(10);
                if (s == 7 && rnd.nextInt(500) == 0) c = 0; // a counter reset
                store.append(counter, t, c);
                store.append(gauge, t, 15 + rnd.nextGaussian());
                store.append(bucket, t, c * (1 + s % 4));
            }
        }
    }

    private Resp range(String q, long start, long end, long step, String extra) {
        return call(api, get("/api/v1/query_range?query=" + enc(q) + "&start=" + seconds(start) + "&end=" + seconds(end)
                + "&step=" + seconds(step) + extra));
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format("%.3f", ms / 1000.0);
    }

    @Test
    void cachedAnswersAreByteIdenticalToUncachedOnes() {
        long seed = System.nanoTime();
        System.out.println("RangeResultsCacheApiTest seed " + seed);
        Random rnd = new Random(seed);
        load(rnd);
        start(64L << 20, HOUR, null);
        List<String> queries = List.of(
                "http_requests_total",
                "rate(http_requests_total[5m])",
                "sum by (job) (rate(http_requests_total[5m]))",
                "avg_over_time(temperature[10m])",
                "max_over_time(rate(http_requests_total[2m])[10m:1m])",
                "histogram_quantile(0.9, sum by (le) (rate(latency_bucket[5m])))",
                "temperature > 15",
                "topk(3, temperature)",
                "increase(http_requests_total[1h] offset 30m)",
                "time() - timestamp(temperature)",
                "absent(nonexistent_metric)",
                "rate(temperature[5m])", // an info annotation: not a counter
                "count(temperature) * 2",
                "resets(http_requests_total[15m])",
                "deriv(temperature[10m])",
                "scalar(sum(temperature))");
        long before = cache.hits();
        for (int i = 0; i < 60; i++) {
            String q = queries.get(rnd.nextInt(queries.size()));
            long step = List.of(15_000L, 30_000L, 60_000L, 300_000L, 7_000L).get(rnd.nextInt(5));
            long end = NOW - rnd.nextInt(120) * MIN;
            long start = end - (1 + rnd.nextInt(4 * 60)) * MIN - rnd.nextInt(1000);
            String what = "seed " + seed + ": " + q + " start " + start + " end " + end + " step " + step;
            String uncached = range(q, start, end, step, "&nocache=1").body();
            assertTrue(uncached.startsWith("{\"status\":\"success\""), what + ": " + uncached);
            assertEquals(uncached, range(q, start, end, step, "").body(), what + " (first, filling the cache)");
            assertEquals(uncached, range(q, start, end, step, "").body(), what + " (repeated)");
            // The dashboard moves on by a few steps: the cached steps are reused, the tail is evaluated.
            long shift = step * (1 + rnd.nextInt(4));
            assertEquals(range(q, start + shift, end + shift, step, "&nocache=1").body(),
                    range(q, start + shift, end + shift, step, "").body(), what + " shifted by " + shift);
        }
        assertTrue(cache.hits() > before + 60, "hits " + cache.hits());
    }

    @Test
    void lateWriteIntoACachedRangeIsInTheNextAnswer() {
        Labels x = Labels.of("__name__", "x");
        for (long t = BASE; t <= NOW; t += 60_000) store.append(x, t, 1);
        start(64L << 20, HOUR, null);
        String q = "sum_over_time(x[1m])";
        long start = NOW - 3 * HOUR;
        String first = range(q, start, NOW, 60_000, "").body();
        long hits = cache.hits();
        assertEquals(first, range(q, start, NOW, 60_000, "").body());
        assertTrue(cache.hits() > hits, "the repeat is answered from the cache");
        // A late sample two hours back, between two existing ones (as an out-of-order or backfilled write).
        long late = NOW - 2 * HOUR - 30_000;
        store.append(x, late, 100);
        lateWrites.appended(late);
        assertTrue(cache.invalidations() > 0);
        String after = range(q, start, NOW, 60_000, "").body();
        assertNotEquals(first, after);
        assertTrue(after.contains("[" + seconds(late + 30_000) + ",\"101\"]"), after);
        assertEquals(range(q, start, NOW, 60_000, "&nocache=1").body(), after);
    }

    @Test
    void aLateWriteDuringEvaluationKeepsTheAnswerOutOfTheCache() {
        Labels x = Labels.of("__name__", "x");
        for (long t = BASE; t <= NOW; t += 60_000) store.append(x, t, 1);
        long late = NOW - 2 * HOUR - 30_000;
        QueryEvaluator engine = QueryEvaluator.of(new Engine(store, QueryOptions.defaults()));
        boolean[] once = {true};
        // The sample arrives after the engine read the data and before the cache stores the answer.
        start(64L << 20, 24 * HOUR, new QueryEvaluator() {
            @Override public QueryResult instant(String query, long timeMs, QueryOptions o) { return engine.instant(query, timeMs, o); }

            @Override public QueryResult range(String query, long s, long e, long step, QueryOptions o) {
                QueryResult r = engine.range(query, s, e, step, o);
                if (once[0]) {
                    once[0] = false;
                    store.append(x, late, 100);
                    lateWrites.appended(late);
                }
                return r;
            }
        });
        String q = "sum_over_time(x[1m])";
        long start = NOW - 3 * HOUR;
        range(q, start, NOW, 60_000, "");
        String next = range(q, start, NOW, 60_000, "").body();
        assertTrue(next.contains("[" + seconds(late + 30_000) + ",\"101\"]"), next);
    }

    @Test
    void aShardOpeningOrClosingDropsEveryEntryAndRefusesStoresUnderWay() {
        Labels x = Labels.of("__name__", "x");
        for (long t = BASE; t <= NOW; t += 60_000) store.append(x, t, 1);
        // The data a shard brings when it opens here: no append reports it (it was already stored).
        Labels y = Labels.of("__name__", "x", "shard", "opened");
        boolean[] openDuringEvaluation = {false};
        QueryEvaluator engine = QueryEvaluator.of(new Engine(store, QueryOptions.defaults()));
        start(64L << 20, HOUR, new QueryEvaluator() {
            @Override public QueryResult instant(String query, long timeMs, QueryOptions o) { return engine.instant(query, timeMs, o); }

            @Override public QueryResult range(String query, long s, long e, long step, QueryOptions o) {
                QueryResult r = engine.range(query, s, e, step, o);
                if (openDuringEvaluation[0]) {
                    openDuringEvaluation[0] = false;
                    for (long t = BASE; t <= NOW; t += 60_000) store.append(y, t, 2);
                    lateWrites.everything();
                }
                return r;
            }
        });
        String q = "sum(x)";
        long start = NOW - 3 * HOUR;
        String first = range(q, start, NOW, 60_000, "").body();
        assertTrue(cache.entries() > 0);
        // Opened between two answers: every entry goes.
        Labels z = Labels.of("__name__", "x", "shard", "opened-before");
        for (long t = BASE; t <= NOW; t += 60_000) store.append(z, t, 4);
        lateWrites.everything();
        assertEquals(0, cache.entries());
        String second = range(q, start, NOW, 60_000, "").body();
        assertTrue(second.contains("\"5\"]") && !second.contains("\"1\"]"), second);
        // Opened while the first part was being evaluated (a new step: nothing cached yet), after its data
        // was read: that part's answer is not stored.
        openDuringEvaluation[0] = true;
        range(q, start, NOW, 120_000, "");
        String third = range(q, start, NOW, 120_000, "").body();
        assertEquals(range(q, start, NOW, 120_000, "&nocache=1").body(), third);
        assertTrue(third.contains("\"7\"]") && !third.contains("\"5\"]"), third);
        assertNotEquals(first, second);
    }

    @Test
    void aRepeatEvaluatesTheNewCacheableStepsAndTheFreshTailInOnePass() {
        Labels x = Labels.of("__name__", "x_total");
        for (long t = BASE; t <= NOW; t += 15_000) store.append(x, t, t / 15_000 % 7); // resets too
        QueryEvaluator engine = QueryEvaluator.of(new Engine(store, QueryOptions.defaults()));
        List<long[]> evaluations = new java.util.ArrayList<>();
        start(64L << 20, 24 * HOUR, new QueryEvaluator() {
            @Override public QueryResult instant(String query, long timeMs, QueryOptions o) { return engine.instant(query, timeMs, o); }

            @Override public QueryResult range(String query, long s, long e, long step, QueryOptions o) {
                evaluations.add(new long[] {s, e});
                return engine.range(query, s, e, step, o);
            }
        });
        // A dashboard's last hour, asked again as the clock moves on by a minute: each time the steps that
        // became cacheable and the fresh tail are read in one evaluation.
        String q = "sum(rate(x_total[5m]))";
        long start = NOW - HOUR - 3 * MIN;
        clock = NOW - 3 * MIN;
        for (int i = 0; i <= 3; i++, clock += MIN) {
            evaluations.clear();
            String cached = range(q, start, NOW, 15_000, "").body();
            assertEquals(1, evaluations.size(), "evaluations at clock " + clock);
            assertEquals(range(q, start, NOW, 15_000, "&nocache=1").body(), cached);
        }
        assertTrue(cache.hits() >= 3, "hits " + cache.hits());
    }

    @Test
    void infosOfCachedStepsAreKeptAndNotCarriedPastTheirSteps() {
        // g (not a counter: rate gives an info) has data only in the first of the queried hours.
        Labels g = Labels.of("__name__", "g", "k", "g");
        for (long t = BASE; t <= BASE + HOUR; t += 60_000) store.append(g, t, 1);
        Labels c = Labels.of("__name__", "c_total", "k", "c");
        for (long t = BASE; t <= NOW; t += 60_000) store.append(c, t, t / 60_000.0);
        start(64L << 20, 24 * HOUR, null);
        String q = "rate({__name__=~\"g|c_total\"}[5m])";
        for (long start : new long[] {BASE, BASE, BASE + 30 * MIN, BASE + 90 * MIN, BASE + 90 * MIN}) {
            String uncached = range(q, start, NOW - 30 * MIN, 60_000, "&nocache=1").body();
            assertEquals(uncached, range(q, start, NOW - 30 * MIN, 60_000, "").body(), "start " + start);
            assertEquals(start < BASE + HOUR, uncached.contains("might not be a counter"), uncached);
        }
        assertTrue(cache.hits() > 0);
    }

    @Test
    void bypassesAndUncacheableQueries() {
        Labels x = Labels.of("__name__", "x");
        for (long t = BASE; t <= NOW; t += 60_000) store.append(x, t, 1);
        start(64L << 20, HOUR, null);
        long start = NOW - 3 * HOUR;
        for (String extra : List.of("&nocache=1", "&nocache=true", "&stats=all")) {
            range("x", start, NOW, 60_000, extra);
            range("x", start, NOW, 60_000, extra);
        }
        FullHttpRequest req = get("/api/v1/query_range?query=x&start=" + seconds(start) + "&end=" + seconds(NOW) + "&step=60");
        req.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=0, no-cache");
        call(api, req);
        range("x @ end()", start, NOW, 60_000, "");
        range("x offset -5m", start, NOW, 60_000, "");
        range("x", NOW - 5 * MIN, NOW, 60_000, ""); // all steps too fresh
        assertEquals(0, cache.hits() + cache.misses() + cache.entries());
        Resp stats = range("x", start, NOW, 60_000, "&stats=all");
        assertTrue(stats.body().contains("\"stats\""), stats.body());
    }

    @Test
    void memoryIsBoundedLeastRecentlyUsedFirst() {
        Labels x = Labels.of("__name__", "x");
        for (long t = BASE; t <= NOW; t += 60_000) store.append(x, t, 1);
        start(4096, HOUR, null);
        for (int i = 0; i < 20; i++) range("x * " + i, NOW - 5 * HOUR, NOW, 60_000, "");
        assertTrue(cache.evictions() > 0);
        assertTrue(cache.bytes() <= 4096 && cache.bytes() > 0, "bytes " + cache.bytes());
    }
}

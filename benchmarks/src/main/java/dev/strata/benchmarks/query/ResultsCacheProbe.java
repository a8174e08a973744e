package dev.strata.benchmarks.query;

import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.api.ResultJson;
import dev.strata.query.cache.RangeResultsCache;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.store.json.JsonWriter;
import dev.strata.store.memstore.LateWrites;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A repeated identical range query (the {@link RateSumData} set, 1 h at 15 s steps), uncached and
 * through the results cache, alternated run by run; prints the medians of wall-clock and thread CPU
 * time of the evaluation, and the thread CPU time of writing the answer's JSON (what a cache hit still
 * pays in full). The clock stands at the query's end, so with the default 6 min horizon
 * (query.results-cache.ingest-lag 1 min + timestamp-offset 5 min) a repeat reuses 54 min and evaluates
 * the last 6 min; "all cached" moves the clock an hour on so the whole range is reused. Run from the repo root:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.strata.benchmarks.query.ResultsCacheProbe [reps] [series] [query...]}.
 */
public final class ResultsCacheProbe {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final long IMMUTABLE_AFTER = 6 * 60_000L;

    private ResultsCacheProbe() {}

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        int series = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String[] queries = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length)
                : new String[] {"sum by (job) (rate(m[5m]))", "rate(m[5m])"};
        try (RateSumData data = new RateSumData(series)) {
            QueryEvaluator engine = QueryEvaluator.of(data.engine);
            QueryOptions opts = QueryOptions.defaults().withTimeoutMs(0);
            RangeResultsCache.Settings settings = new RangeResultsCache.Settings(24 * RateSumData.HOUR, 1L << 30, IMMUTABLE_AFTER);
            RangeResultsCache tail = new RangeResultsCache(engine, settings, () -> RateSumData.END, new LateWrites());
            RangeResultsCache all = new RangeResultsCache(engine, settings, () -> RateSumData.END + RateSumData.HOUR, new LateWrites());
            QueryEvaluator[] evaluators = {engine, tail, all};
            String[] names = {"uncached", "cached, 6 min tail evaluated", "all cached"};
            for (String q : queries) {
                double[][] wall = new double[3][reps];
                double[][] cpu = new double[3][reps];
                double[][] json = new double[3][reps];
                for (int i = 0; i < Math.max(5, reps / 2); i++) {
                    for (QueryEvaluator e : evaluators) run(e, q, opts);
                }
                for (int i = 0; i < reps; i++) {
                    for (int k = 0; k < 3; k++) {
                        long w0 = System.nanoTime();
                        long c0 = MX.getCurrentThreadCpuTime();
                        QueryResult answer = run(evaluators[k], q, opts);
                        cpu[k][i] = (MX.getCurrentThreadCpuTime() - c0) / 1e6;
                        wall[k][i] = (System.nanoTime() - w0) / 1e6;
                        long j0 = MX.getCurrentThreadCpuTime();
                        JsonWriter w = new JsonWriter(1 << 16);
                        ResultJson.result(answer.value(), w);
                        json[k][i] = (MX.getCurrentThreadCpuTime() - j0) / 1e6;
                    }
                }
                System.out.printf(Locale.ROOT, "%s  (series=%d, reps=%d, alternated)%n", q, series, reps);
                for (int k = 0; k < 3; k++) {
                    System.out.printf(Locale.ROOT, "    %-32s wall median %8.2f ms   cpu median %8.2f ms   json cpu median %6.2f ms%n",
                            names[k], median(wall[k]), median(cpu[k]), median(json[k]));
                }
            }
            System.out.printf(Locale.ROOT, "cache bytes: tail %d, all %d%n", tail.bytes(), all.bytes());
        }
    }

    private static QueryResult run(QueryEvaluator e, String q, QueryOptions opts) {
        return e.range(q, RateSumData.START, RateSumData.END, RateSumData.STEP, opts, true);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}

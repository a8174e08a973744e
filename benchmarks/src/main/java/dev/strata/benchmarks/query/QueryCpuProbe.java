package dev.strata.benchmarks.query;

import dev.strata.query.engine.QueryResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Thread CPU time per range query over the {@link RateSumData} set (1 h at 15 s steps), median of
 * {@code reps} runs after {@code warmups}: on the shared, oversubscribed build machine wall-clock
 * JMH scores mostly measure the scheduler, CPU time per query stays close to what one core does.
 * Prints per query the CPU ms, the samples decoded from storage (each once) and Prometheus's
 * "samples" statistic (each sample once per step whose window loads it), and both per CPU-second. Run from the repo root:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.strata.benchmarks.query.QueryCpuProbe [reps] [series] [query...]}.
 */
public final class QueryCpuProbe {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private QueryCpuProbe() {}

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int series = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String[] queries = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length)
                : new String[] {"sum by (job) (rate(m[5m]))"};
        try (RateSumData data = new RateSumData(series)) {
            for (String q : queries) {
                int warmups = Math.max(5, reps);
                for (int i = 0; i < warmups; i++) run(data, q);
                double[] ms = new double[reps];
                QueryResult last = null;
                for (int i = 0; i < reps; i++) {
                    long c0 = MX.getCurrentThreadCpuTime();
                    last = run(data, q);
                    ms[i] = (MX.getCurrentThreadCpuTime() - c0) / 1e6;
                }
                Arrays.sort(ms);
                double median = ms[reps / 2];
                System.out.println(QueryStatsLine.describe(q, series, median, ms[0], ms[reps - 1], last));
            }
        }
    }

    private static QueryResult run(RateSumData data, String q) {
        return data.engine.rangeQuery(q, RateSumData.START, RateSumData.END, RateSumData.STEP);
    }

    /** One report line; separate so the numbers printed stay the same across engine versions. */
    static final class QueryStatsLine {
        private QueryStatsLine() {}

        static String describe(String q, int series, double medianMs, double minMs, double maxMs, QueryResult r) {
            long decoded = r.stats().samplesScanned();
            long prom = r.stats().totalQueryableSamples();
            return String.format(Locale.ROOT,
                    "%-40s series=%d cpu/query median=%.1f ms (min %.1f, max %.1f)%n"
                            + "    decoded=%d -> %.1fM decoded samples/cpu-s; Prometheus samples (totalQueryableSamples)=%d -> %.1fM/cpu-s",
                    q, series, medianMs, minMs, maxMs, decoded, decoded / (medianMs / 1e3) / 1e6,
                    prom, prom / (medianMs / 1e3) / 1e6);
        }
    }
}

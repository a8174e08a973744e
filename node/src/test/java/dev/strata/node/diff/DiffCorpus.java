package dev.strata.node.diff;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The differential test's query corpus, generated from templates the way the PromQL compliance tester's
 * is: every function, aggregation, binary operator and modifier of Prometheus 2.42's PromQL crossed with
 * selectors of the {@link DiffWorkload}, ranges, offsets and {@code @}. Functions that exist only in 3.x
 * (experimental ones, which stock 3.x also refuses without a feature flag) are not in it: 2.42 cannot
 * answer them. Native-histogram queries are added when {@link DiffWorkload#NATIVE_HISTOGRAMS} is on.
 *
 * <p>Every duration and {@code @} time is a whole number of seconds (see {@link DiffWorkload}).
 */
final class DiffCorpus {
    private DiffCorpus() {}

    /** The corpus for data starting at {@code t0Seconds}; {@code at} is an {@code @} time inside the data. */
    static List<String> queries(long atSeconds) {
        Set<String> q = new LinkedHashSet<>();
        String at = "@ " + atSeconds;
        List<String> modifiers = List.of("", " offset 1m", " offset 5m", " offset -2m", " " + at, " @ start()", " @ end()",
                " offset 3m " + at);

        // Plain selectors: matchers of every kind, with every modifier.
        List<String> selectors = List.of("diff_requests_total", "diff_requests_total{code=\"500\"}",
                "diff_requests_total{code=~\"5..\"}", "diff_requests_total{code!=\"200\",instance!~\"api-[01]\"}",
                "{__name__=~\"diff_requests_total|diff_queue_depth\"}", "diff_temperature", "diff_batch_jobs",
                "diff_latency_seconds_count", "diff_nonexistent", "diff_edge", "{job=\"batch\"}");
        for (String s : selectors) for (String m : modifiers) q.add(s + m);

        // Counter range functions x counter selectors x ranges x modifiers.
        List<String> counters = List.of("diff_requests_total", "diff_requests_total{code=\"500\"}", "diff_latency_seconds_count",
                "diff_latency_seconds_bucket{le=\"0.25\"}");
        for (String f : List.of("rate", "increase", "irate", "resets")) {
            for (String s : counters) {
                for (String r : List.of("1m", "5m", "15m")) {
                    for (String m : List.of("", " offset 5m", " @ end()")) q.add(f + "(" + s + "[" + r + "]" + m + ")");
                }
            }
        }
        // Gauge range functions x gauge selectors x ranges.
        List<String> gaugeFns = List.of("delta(%s)", "idelta(%s)", "deriv(%s)", "predict_linear(%s, 600)", "holt_winters(%s, 0.5, 0.5)",
                "holt_winters(%s, 0.1, 0.9)", "avg_over_time(%s)", "min_over_time(%s)", "max_over_time(%s)", "sum_over_time(%s)",
                "count_over_time(%s)", "last_over_time(%s)", "stddev_over_time(%s)", "stdvar_over_time(%s)",
                "present_over_time(%s)", "absent_over_time(%s)", "quantile_over_time(0.5, %s)", "quantile_over_time(0.9, %s)",
                "changes(%s)", "resets(%s)");
        for (String f : gaugeFns) {
            for (String s : List.of("diff_temperature", "diff_batch_jobs", "diff_edge", "diff_nonexistent")) {
                for (String r : List.of("1m", "5m", "10m")) {
                    if (s.equals("diff_nonexistent") && !r.equals("5m")) continue;
                    q.add(String.format(f, s + "[" + r + "]"));
                }
            }
            q.add(String.format(f, "diff_temperature[5m] " + at));
            q.add(String.format(f, "diff_batch_jobs[5m] offset 10m"));
        }

        // Instant functions over gauges, rates and edge values.
        List<String> instantFns = List.of("abs(%s)", "ceil(%s)", "floor(%s)", "round(%s)", "round(%s, 0.5)", "round(%s, 3)",
                "exp(%s)", "ln(%s)", "log2(%s)", "log10(%s)", "sqrt(%s)", "sgn(%s)", "sin(%s)", "cos(%s)", "tan(%s)",
                "asin(%s)", "acos(%s)", "atan(%s)", "sinh(%s)", "cosh(%s)", "tanh(%s)", "asinh(%s)", "acosh(%s)",
                "atanh(%s)", "deg(%s)", "rad(%s)", "clamp(%s, -5, 20)", "clamp(%s, 5, -5)", "clamp_min(%s, 10)",
                "clamp_max(%s, 10)", "timestamp(%s)", "sort(%s)", "sort_desc(%s)", "-%s", "+%s", "day_of_week(%s)",
                "hour(%s)", "minute(%s)", "month(%s)", "year(%s)", "days_in_month(%s)", "day_of_month(%s)", "day_of_year(%s)",
                "absent(%s)", "scalar(%s)", "vector(scalar(%s))", "label_replace(%s, \"dst\", \"x-$1\", \"instance\", \"(.*)-.*\")",
                "label_replace(%s, \"__name__\", \"renamed\", \"\", \"\")", "label_join(%s, \"dst\", \",\", \"job\", \"instance\")",
                "label_join(%s, \"__name__\", \"_\", \"job\")");
        for (String f : instantFns) {
            for (String s : List.of("diff_temperature", "diff_queue_depth{instance=\"api-0\"}", "rate(diff_requests_total[5m])",
                    "diff_edge", "diff_batch_jobs " + at)) {
                q.add(String.format(f, s));
            }
        }
        for (String f : List.of("time()", "pi()", "vector(1)", "vector(time())", "day_of_week()", "hour()", "minute()", "month()",
                "year()", "days_in_month()", "day_of_month()", "day_of_year()", "absent(diff_nonexistent{job=\"x\"})",
                "absent(diff_nonexistent{job=~\"x\"})", "1", "-2.5", "+Inf", "NaN", "2 ^ 0.5", "time() - 60 * 5")) {
            q.add(f);
        }

        // Aggregations x grouping x inputs.
        List<String> aggs = List.of("sum", "avg", "min", "max", "count", "group", "stddev", "stdvar", "topk 2", "bottomk 2",
                "quantile 0.5", "quantile 0.9", "count_values \"value\"");
        List<String> groupings = List.of("", " by (instance)", " without (instance)", " by (job, __name__)", " by ()");
        List<String> inputs = List.of("diff_temperature", "rate(diff_requests_total[5m])", "diff_batch_jobs",
                "diff_latency_seconds_bucket", "diff_edge");
        for (String a : aggs) {
            int space = a.indexOf(' ');
            String name = space < 0 ? a : a.substring(0, space);
            String param = space < 0 ? "" : a.substring(space + 1) + ", ";
            for (String g : groupings) {
                for (String in : inputs) q.add(name + g + " (" + param + in + ")");
            }
        }

        // Binary operators: every operator, with and without bool, over every operand pairing.
        List<String> arith = List.of("+", "-", "*", "/", "%", "^", "atan2");
        List<String> cmp = List.of("==", "!=", ">", "<", ">=", "<=");
        List<String[]> pairs = List.of(
                new String[] {"diff_temperature", "2"},
                new String[] {"3", "diff_queue_depth"},
                new String[] {"diff_latency_seconds_sum", "diff_latency_seconds_count"},
                new String[] {"diff_requests_total", "on(instance) group_left diff_queue_depth"},
                new String[] {"diff_queue_depth", "on(instance) group_right diff_requests_total"},
                new String[] {"sum by (instance) (rate(diff_requests_total[5m]))", "on(instance) diff_queue_depth"},
                new String[] {"diff_queue_depth", "on(job, instance) diff_latency_seconds_count"},
                new String[] {"diff_queue_depth", "ignoring(code) diff_requests_total{code=\"500\"}"},
                new String[] {"diff_latency_seconds_bucket", "ignoring(le) group_left diff_latency_seconds_count"},
                new String[] {"diff_edge", "diff_edge offset 1m"},
                new String[] {"diff_batch_jobs", "on(job, instance) diff_batch_jobs offset 5m"});
        for (String[] p : pairs) {
            for (String op : arith) q.add(p[0] + " " + op + " " + p[1]);
            for (String op : cmp) {
                q.add(p[0] + " " + op + " " + p[1]);
                q.add(p[0] + " " + op + " bool " + p[1]);
            }
        }
        for (String op : arith) q.add("2 " + op + " 5");
        for (String op : cmp) q.add("2 " + op + " bool 5");
        for (String op : List.of("and", "or", "unless")) {
            q.add("diff_batch_jobs " + op + " diff_batch_jobs > 4");
            q.add("diff_temperature " + op + " on(job) diff_batch_jobs");
            q.add("diff_requests_total " + op + " ignoring(code) diff_queue_depth > 20");
            q.add("diff_batch_jobs " + op + " on(instance) (diff_batch_jobs offset 10m)");
            q.add("diff_temperature > 10 " + op + " diff_temperature < 30");
            q.add("diff_edge " + op + " vector(1)");
        }
        q.add("diff_requests_total - on(instance, code) (diff_requests_total offset 1m)");
        q.add("(diff_requests_total - diff_requests_total offset 1m) / 60");
        q.add("diff_temperature * on(room) group_left(job) diff_temperature");
        q.add("sum(diff_requests_total) by (code) / ignoring(code) group_left sum(diff_requests_total)");

        // Classic histograms.
        for (String phi : List.of("0", "0.5", "0.9", "0.99", "1", "-1", "2")) {
            for (String in : List.of("rate(diff_latency_seconds_bucket[1m])", "rate(diff_latency_seconds_bucket[5m])",
                    "sum by (le) (rate(diff_latency_seconds_bucket[5m]))", "sum by (le, job) (increase(diff_latency_seconds_bucket[10m]))",
                    "diff_latency_seconds_bucket")) {
                q.add("histogram_quantile(" + phi + ", " + in + ")");
            }
        }
        q.add("rate(diff_latency_seconds_sum[5m]) / rate(diff_latency_seconds_count[5m])");
        q.add("histogram_quantile(0.9, sum by (le) (rate(diff_latency_seconds_bucket[5m] " + at + ")))");

        // Subqueries. Steps are whole minutes, subquery points multiples of the subquery step S; a range R
        // with R mod gcd(60 s, S) != 0 puts no subquery point on a window's left end, where 3.x's left-open
        // windows and 2.42's closed ones differ on purpose. [3m:] (default step 1m) and [4m:30s] do hit it,
        // to show that difference (KnownDifferences.LEFT_OPEN_SUBQUERY_WINDOWS).
        for (String inner : List.of("rate(diff_requests_total[1m])", "diff_temperature", "sum(diff_batch_jobs)", "deriv(diff_temperature[2m])")) {
            for (String sub : List.of("[5m30s:1m]", "[7m30s:20s]", "[10m10s:40s]", "[5m30s:1m] offset 2m", "[5m30s:1m] " + at)) {
                for (String f : List.of("max_over_time", "avg_over_time", "rate", "count_over_time")) q.add(f + "((" + inner + ")" + sub + ")");
            }
        }
        q.add("min_over_time(max_over_time(diff_temperature[2m])[6m50s:30s])");
        q.add("sum_over_time(sum by (instance) (rate(diff_requests_total[1m]))[9m50s:45s])");
        q.add("max_over_time(diff_temperature[3m:])");
        q.add("count_over_time(sum(diff_batch_jobs)[4m:30s])");

        // Counters that start from 0 inside the data: rate extrapolation toward the zero point.
        for (String f : List.of("rate", "increase")) {
            for (String r : List.of("1m", "5m", "15m")) {
                q.add(f + "(diff_fresh_total[" + r + "])");
                q.add(f + "(diff_fresh_total[" + r + "] offset 5m)");
            }
        }

        if (DiffWorkload.NATIVE_HISTOGRAMS) nativeHistogramQueries(q, at);
        return new ArrayList<>(q);
    }

    private static void nativeHistogramQueries(Set<String> q, String at) {
        String h = "diff_native_latency_seconds";
        for (String f : List.of("histogram_count(%s)", "histogram_sum(%s)", "histogram_avg(%s)", "histogram_stddev(%s)",
                "histogram_stdvar(%s)", "histogram_fraction(0, 0.5, %s)", "histogram_fraction(-1, 1, %s)",
                "histogram_quantile(0.9, %s)", "histogram_quantile(0.5, %s)", "histogram_quantile(0, %s)")) {
            for (String in : List.of(h, "rate(" + h + "[5m])", "increase(" + h + "[1m])", "sum(rate(" + h + "[5m]))",
                    "sum by (job) (" + h + ")", "avg(" + h + ")", h + " " + at)) {
                q.add(String.format(f, in));
            }
        }
        for (String m : List.of("", " offset 5m", " " + at)) q.add(h + m);
        for (String f : List.of("rate", "increase", "irate", "delta", "idelta", "sum_over_time", "avg_over_time", "last_over_time",
                "count_over_time", "resets", "changes")) {
            q.add(f + "(" + h + "[5m])");
        }
        for (String e : List.of(h + " * 2", "2 * " + h, h + " / 4", "-" + h, h + " + " + h, h + " - " + h + " offset 1m",
                h + " == " + h, h + " and " + h, "sum(" + h + ")", "count(" + h + ")", "group(" + h + ")", "topk(1, " + h + ")")) {
            q.add(e);
        }
    }
}

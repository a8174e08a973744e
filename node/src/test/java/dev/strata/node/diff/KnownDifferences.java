package dev.strata.node.diff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Prometheus 2.42 answers differently from stock Prometheus 3 on purpose, and Strata follows 3.x.
 * Each entry names the Prometheus change and explains a difference only where that change applies (the
 * query's shape, and where it can be told, the time and the values); every other difference fails the build.
 */
final class KnownDifferences {
    /** Whether an entry explains difference {@code d}, given all differences of its query and the workload. */
    interface Explains {
        boolean test(RangeResultComparison.Difference d, List<RangeResultComparison.Difference> ofQuery, DiffWorkload workload);
    }

    /** One deliberate 2.42 / 3.x difference: what it is, the Prometheus change, which differences it explains. */
    record Known(String name, String prometheusChange, Explains explains) {}

    private static final Pattern SUBQUERY = Pattern.compile("\\[((?:\\d+[hms])+):((?:\\d+[hms])*)]");
    private static final Pattern FRESH_RATE = Pattern.compile(
            "^(rate|increase)\\(diff_fresh_total\\[(\\d+)m](?: offset (\\d+)m)?\\)$");
    private static final Pattern RATE_OF_SUBQUERY = Pattern.compile("^(rate|increase)\\(\\(.*\\)\\[((?:\\d+[hms])+):(?:\\d+[hms])*]\\)$");

    /**
     * Range and subquery windows are left-open in 3.x, {@code (t - range, t]}; 2.42 includes a point at
     * {@code t - range}. The data keep raw samples off whole seconds, so only subquery points (multiples of
     * the subquery step) can lie on a window's left end: where the range is a multiple of gcd(60 s, step)
     * (the corpus's steps are whole minutes; the default subquery step is 1m).
     */
    static final Known LEFT_OPEN_SUBQUERY_WINDOWS = new Known("left-open subquery windows",
            "Prometheus 3.0, prometheus/prometheus#13904", (d, all, w) -> {
                if (!d.kind().equals("values") && !d.kind().equals("timestamps")) return false;
                Matcher m = SUBQUERY.matcher(d.query());
                while (m.find()) {
                    long range = seconds(m.group(1)), step = m.group(2).isEmpty() ? 60 : seconds(m.group(2));
                    if (range % gcd(60, step) == 0) return true;
                }
                return false;
            });

    /**
     * {@code rate}/{@code increase} of a counter whose first sample is far from the window's start: 3.x first
     * shortens the extrapolation to half a sampling interval, then limits it at the counter's zero point;
     * 2.42 limited it at the zero point before deciding, and so extrapolated less. Here: the counters that
     * start from 0 inside the data ({@code diff_fresh_total}) where the window begins before their first
     * sample, and a rate of a subquery whose window begins less than 2 minutes after the data do (its first
     * points are missing: found by the test at the first step of {@code rate((rate(x[1m]))[10m10s:40s])}
     * and checked by hand: 2.42's formula gives Prometheus's 0.0018475, 3.x's Strata's 0.0018018).
     */
    static final Known RATE_EXTRAPOLATION_TO_ZERO = new Known("rate extrapolation limited at the zero point after the half-interval rule",
            "Prometheus 2.51, prometheus/prometheus#13725", (d, all, w) -> {
                if (!d.kind().equals("values")) return false;
                Matcher sub = RATE_OF_SUBQUERY.matcher(d.query());
                if (sub.matches()) return d.at() - seconds(sub.group(2)) < w.start() / 1000 + 120;
                Matcher m = FRESH_RATE.matcher(d.query());
                if (!m.matches()) return false;
                int instance = d.series().contains("instance=f1") ? 1 : 0;
                long windowStart = d.at() * 1000 - (Long.parseLong(m.group(2)) + (m.group(3) == null ? 0 : Long.parseLong(m.group(3)))) * 60_000;
                return windowStart < w.freshStart(instance);
            });

    /** {@code atan2} drops the metric name like the other arithmetic operators since 2.47; 2.42 kept it. */
    static final Known ATAN2_DROPS_NAME = new Known("atan2 drops the metric name",
            "Prometheus 2.47, prometheus/prometheus#12595", (d, all, w) -> {
                if (!d.query().contains(" atan2 ")) return false;
                RangeResultComparison.Difference series = null;
                for (RangeResultComparison.Difference o : all) if (o.kind().equals("series")) series = o;
                if (series == null || !withoutName(series.prometheus()).equals(Set.of(series.strata().split("; ")))) return false;
                if (d == series) return true;
                // A point of a renamed series: the other side has the same value at that step under the
                // label set without the name (so atan2's values are still compared).
                if (!d.kind().equals("timestamps")) return false;
                boolean prometheusSide = d.strata().isEmpty();
                String key = prometheusSide ? d.series().replaceFirst("__name__=[^,}]*(, )?", "") : null;
                for (RangeResultComparison.Difference o : all) {
                    if (!o.kind().equals("timestamps") || o.at() != d.at() || o.strata().isEmpty() == prometheusSide) continue;
                    String oKey = prometheusSide ? o.series() : o.series().replaceFirst("__name__=[^,}]*(, )?", "");
                    String dKey = prometheusSide ? key : d.series();
                    String a = prometheusSide ? d.prometheus() : o.prometheus(), b = prometheusSide ? o.strata() : d.strata();
                    if (oKey.equals(dKey) && RangeResultComparison.sameFloat(a.replace("\"", ""), b.replace("\"", ""))) return true;
                }
                return false;
            });

    /** {@code stddev}/{@code stdvar} of a group whose only value is NaN or ±Inf: 3.x answers NaN, 2.42 answered 0. */
    static final Known STDDEV_OF_ONE_NAN = new Known("stddev/stdvar of a lone NaN or infinity is NaN",
            "Prometheus 3.0, prometheus/prometheus#14941", (d, all, w) -> d.kind().equals("values")
                    && d.query().matches("^std(dev|var)\\b.*") && d.prometheus().equals("0") && d.strata().equals("NaN"));

    /**
     * Sums and means of values that cancel out exactly: both answers are rounding noise around 0 (below
     * 1e-12), and 3.x sums with Kahan compensation (sum, avg, the _over_time functions) and takes a direct
     * mean where 2.42 summed plainly or took an incremental mean.
     */
    static final Known KAHAN_SUMMATION = new Known("Kahan summation and direct mean (rounding noise around 0)",
            "Prometheus 2.53, 2.54 and 3.5, prometheus/prometheus#14074, #14413, #16773", (d, all, w) -> d.kind().equals("values")
                    && d.query().matches("^(avg_over_time|sum_over_time|stddev_over_time|stdvar_over_time|avg|sum|stddev|stdvar)\\b.*")
                    && Math.abs(parse(d.prometheus())) < 1e-12 && Math.abs(parse(d.strata())) < 1e-12);

    /**
     * A range selector pinned with {@code @} inside {@code predict_linear} (the one {@code @}-unsafe function
     * taking a range) was moved along with the steps of a range query in 2.42 without fetching samples for
     * the moved range, so it emptied step by step. 2.50 fixed it: every step sees the pinned range.
     * (The test checks Strata's answer for this query against the fixed semantics separately.)
     */
    static final Known PINNED_RANGE_IN_PREDICT_LINEAR = new Known("range selector with @ in predict_linear wrongly scoped in range queries",
            "Prometheus 2.50, prometheus/prometheus#13559 (issue #11708)", (d, all, w) -> (d.kind().equals("values")
                    || d.kind().equals("timestamps")) && d.query().matches("^predict_linear\\(\\w+\\[\\w+] @ [^)]*\\)$"));

    /**
     * {@code topk}/{@code bottomk} among equal values: which series is kept is not specified; Prometheus keeps
     * the one its heap meets first in storage order (the TSDB head's series creation order), Strata the first
     * in label order. Explained only where, at that step, the values Prometheus alone kept are exactly the
     * values Strata alone kept (the same answer up to which of equal series was chosen).
     */
    static final Known TOPK_TIES = new Known("topk/bottomk: which of equal values is kept (unspecified, storage order)",
            "not a Prometheus change: ties are unspecified in PromQL", (d, all, w) -> {
                if (!d.query().matches("^(topk|bottomk)\\b.*")) return false;
                if (d.kind().equals("series")) {
                    // A series only one side ever kept: explained when every one-sided point is a tie.
                    for (RangeResultComparison.Difference o : all) {
                        if (!o.kind().equals("series") && !tie(o, all)) return false;
                    }
                    return true;
                }
                return tie(d, all);
            });

    /**
     * Native-histogram functions that 2.42 does not know: {@code histogram_stddev}/{@code histogram_stdvar}
     * (added in 2.47) and {@code histogram_avg} (added in 2.51). Explained only where Prometheus refused the
     * query with "unknown function" for that very function.
     */
    static final Known HISTOGRAM_STDDEV_STDVAR_ADDED = new Known("histogram_stddev/histogram_stdvar unknown to 2.42",
            "Prometheus 2.47, prometheus/prometheus#12614", (d, all, w) -> unknownFunction(d, "histogram_stddev", "histogram_stdvar"));
    static final Known HISTOGRAM_AVG_ADDED = new Known("histogram_avg unknown to 2.42",
            "Prometheus 2.51, prometheus/prometheus#13467", (d, all, w) -> unknownFunction(d, "histogram_avg"));

    private static boolean unknownFunction(RangeResultComparison.Difference d, String... names) {
        if (!d.kind().equals("prometheus failed")) return false;
        for (String n : names) {
            if (d.query().startsWith(n + "(") && d.detail().contains("unknown function with name \\\"" + n + "\\\"")) return true;
        }
        return false;
    }

    /**
     * {@code sum_over_time}/{@code avg_over_time} of native histograms: 2.42 read a histogram sample's float
     * value (0) and answered a float 0; since 2.45 they sum / average the histograms. Explained only for
     * those queries over the native histogram: a float 0 Prometheus alone has, or a histogram Strata alone has.
     */
    static final Known SUM_AVG_OVER_TIME_OF_HISTOGRAMS = new Known("sum_over_time/avg_over_time of native histograms",
            "Prometheus 2.45, prometheus/prometheus#12262", (d, all, w) -> {
                if (!d.kind().equals("timestamps") || !d.query().matches("^(sum|avg)_over_time\\(diff_native_latency_seconds\\[.*")) return false;
                if (d.strata().isEmpty()) return d.prometheus().equals("\"0\"");
                return d.prometheus().isEmpty() && d.detail().contains(" histograms at ");
            });

    /** At {@code d}'s step, the values Prometheus alone kept are exactly the values Strata alone kept. */
    private static boolean tie(RangeResultComparison.Difference d, List<RangeResultComparison.Difference> all) {
        if (!d.kind().equals("timestamps")) return false;
        List<String> onlyP = new ArrayList<>(), onlyS = new ArrayList<>();
        for (RangeResultComparison.Difference o : all) {
            if (!o.kind().equals("timestamps") || o.at() != d.at()) continue;
            if (o.strata().isEmpty()) onlyP.add(o.prometheus());
            else onlyS.add(o.strata());
        }
        onlyP.sort(null);
        onlyS.sort(null);
        return !onlyP.isEmpty() && onlyP.equals(onlyS);
    }

    static final List<Known> LIST = List.of(LEFT_OPEN_SUBQUERY_WINDOWS, RATE_EXTRAPOLATION_TO_ZERO, ATAN2_DROPS_NAME,
            STDDEV_OF_ONE_NAN, KAHAN_SUMMATION, PINNED_RANGE_IN_PREDICT_LINEAR, TOPK_TIES, HISTOGRAM_STDDEV_STDVAR_ADDED,
            HISTOGRAM_AVG_ADDED, SUM_AVG_OVER_TIME_OF_HISTOGRAMS);

    private KnownDifferences() {}

    /** The entry that explains {@code d}, or null. */
    static Known explain(RangeResultComparison.Difference d, List<RangeResultComparison.Difference> ofQuery, DiffWorkload workload) {
        for (Known k : LIST) if (k.explains().test(d, ofQuery, workload)) return k;
        return null;
    }

    private static Set<String> withoutName(String seriesList) {
        Set<String> out = new HashSet<>();
        for (String s : seriesList.split("; ")) out.add(s.replaceFirst("__name__=[^,}]*(, )?", ""));
        return out;
    }

    private static double parse(String v) {
        return Double.parseDouble(v.replace("Inf", "Infinity"));
    }

    private static long seconds(String duration) {
        long total = 0;
        Matcher m = Pattern.compile("(\\d+)([hms])").matcher(duration);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                default -> n;
            };
        }
        return total;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}

package dev.strata.node.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Prometheus 2.42 answers differently from stock Prometheus 3 on purpose, and Strata follows 3.x.
 * Each entry names the Prometheus change and explains a difference only where that change applies (the
 * query's shape, and where it can be told, the time and the values); every other difference fails the build.
 */
final class KnownDifferences {
    /** Whether an entry explains difference {@code d}, given all differences of its query and the {@link Context}. */
    interface Explains {
        boolean test(RangeResultComparison.Difference d, List<RangeResultComparison.Difference> ofQuery, Context context);
    }

    /**
     * What an entry may consult besides the differences: the workload, and for {@code histogram_quantile} and
     * {@code histogram_fraction} queries Prometheus's own answer for the function's histogram argument (as a
     * range query over the same steps), by series (label set without {@code __name__}, as
     * {@link RangeResultComparison} writes it) and step; empty for other queries.
     */
    record Context(DiffWorkload workload, Map<String, Map<Long, JsonNode>> prometheusArgument) {
        /** Prometheus's argument histogram of {@code d}'s series at {@code d}'s step, or null. */
        JsonNode argumentOf(RangeResultComparison.Difference d) {
            Map<Long, JsonNode> points = prometheusArgument.get(d.series());
            return points == null ? null : points.get(d.at());
        }
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
                if (sub.matches()) return d.at() - seconds(sub.group(2)) < w.workload().start() / 1000 + 120;
                Matcher m = FRESH_RATE.matcher(d.query());
                if (!m.matches()) return false;
                int instance = d.series().contains("instance=f1") ? 1 : 0;
                long windowStart = d.at() * 1000 - (Long.parseLong(m.group(2)) + (m.group(3) == null ? 0 : Long.parseLong(m.group(3)))) * 60_000;
                return windowStart < w.workload().freshStart(instance);
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
                return d.query().matches("^(sum|avg)_over_time\\(diff_native_latency_seconds\\[.*") && floatZeroForHistogram(d);
            });

    private static final String H = "diff_native_latency_seconds";

    /**
     * {@code h * 2}, {@code 2 * h}, {@code h / 4}: 2.42 passed the histogram through unscaled; 2.45 scales it
     * (and added {@code avg} of histograms and {@code h - h}, below). Explained only where Strata's count is
     * Prometheus's count times the query's factor.
     */
    static final Known HISTOGRAM_TIMES_SCALAR = new Known("native histogram * and / by a scalar",
            "Prometheus 2.45, prometheus/prometheus#12262 (issue #12250)", (d, all, w) -> {
                double factor = d.query().equals(H + " * 2") || d.query().equals("2 * " + H) ? 2 : d.query().equals(H + " / 4") ? 0.25 : 0;
                return factor != 0 && histogramCounts(d, factor);
            });

    /** {@code h - h}: 2.42 subtracted the histograms' float values (0); 2.45 subtracts the histograms. */
    static final Known HISTOGRAM_SUBTRACTION = new Known("native histogram - native histogram",
            "Prometheus 2.45, prometheus/prometheus#12262", (d, all, w) -> d.query().equals(H + " - " + H + " offset 1m") && floatZeroForHistogram(d));

    /**
     * {@code avg} of histograms: 2.42 averaged their float values (0), so the {@code histogram_*} functions
     * over it answer nothing; 2.45 averages the histograms. Explained only for series and points Strata alone has.
     */
    static final Known AVG_OF_HISTOGRAMS = new Known("avg of native histograms",
            "Prometheus 2.45, prometheus/prometheus#12262 (issue #11973)", (d, all, w) -> d.query().matches("^histogram_\\w+\\(.*avg\\(" + H + "\\)\\)$")
                    && (d.kind().equals("series") || d.kind().equals("timestamps")) && d.prometheus().isEmpty() && !d.strata().isEmpty());

    /** Unary minus of a histogram: 2.42 returned it unchanged; 3.0 negates it. Explained where Strata's count is minus Prometheus's. */
    static final Known HISTOGRAM_UNARY_MINUS = new Known("unary minus of native histograms",
            "Prometheus 3.0, prometheus/prometheus#14821", (d, all, w) -> d.query().equals("-" + H) && histogramCounts(d, -1));

    /**
     * {@code histogram_quantile} inside an exponential bucket: 2.42 interpolated linearly, 3.0 exponentially
     * (uniform over a finer hypothetical schema). Both answers then lie in the same bucket, so they are
     * within a factor 2 of each other (the widest bucket, schema 0). Where the walk direction picks another
     * bucket, see {@link #QUANTILE_WALKS_BACKWARD}; q = 0, {@link #QUANTILE_SKIPS_EMPTY_BUCKETS}.
     */
    static final Known EXPONENTIAL_INTERPOLATION = new Known("histogram_quantile interpolates exponentially in exponential buckets",
            "Prometheus 3.0, prometheus/prometheus#14677", (d, all, w) -> {
                if (!d.kind().equals("values") || !d.query().matches("^histogram_quantile\\(0\\.[59], .*" + H + ".*")) return false;
                double p = parse(d.prometheus()), s = parse(d.strata());
                if (!Double.isFinite(p) || !Double.isFinite(s) || p == 0 || s == 0 || Math.signum(p) != Math.signum(s)) return false;
                double ratio = p / s;
                return ratio >= 0.5 && ratio <= 2;
            });

    private static final Pattern QUANTILE = Pattern.compile("^histogram_quantile\\(([-0-9.]+), (.*" + H + ".*)\\)$");
    private static final Pattern FRACTION = Pattern.compile("^histogram_fraction\\(([-0-9.]+), ([-0-9.]+), (.*" + H + ".*)\\)$");

    /**
     * {@code histogram_quantile(0, h)}: 3.x skips empty buckets while walking to the rank; 2.42 stopped at the
     * first bucket of the stored layout even when it was empty, and divided 0 by 0 (NaN). Prometheus's stored
     * histograms list empty buckets: a chunk is recoded to the union of its samples' buckets when a later sample
     * adds one (tsdb/chunkenc forward inserts), so earlier samples read back with it, empty. Explained only where
     * Prometheus answers NaN and Strata answers 3.x's estimate (the lower bound of the lowest populated bucket)
     * computed from Prometheus's own histogram argument at that step.
     */
    static final Known QUANTILE_SKIPS_EMPTY_BUCKETS = new Known("histogram_quantile skips empty buckets (q = 0 no longer stops in an empty lowest bucket)",
            "Prometheus 2.54, prometheus/prometheus#13794", (d, all, c) -> {
                Matcher m = QUANTILE.matcher(d.query());
                if (!d.kind().equals("values") || !m.matches() || Double.parseDouble(m.group(1)) != 0 || !d.prometheus().equals("NaN")) return false;
                JsonNode h = c.argumentOf(d);
                return h != null && close(HistogramEstimates.quantile(0, h, true), d.strata());
            });

    /**
     * {@code histogram_quantile(q, h)} for q &gt;= 0.5 walks the buckets backward from the highest since 2.46;
     * 2.42 walked forward. Where the rank falls (up to rounding) exactly between two populated buckets with
     * empty ones between them -- common in {@code increase(h[1m])}, whose counts are small integers -- the
     * forward walk answers the upper bound of the lower bucket, the backward walk the lower bound of the upper
     * one (3.0's exponential interpolation, #14677, changes nothing at a bucket's bound). Explained only where
     * Prometheus answers 2.42's estimate and Strata 3.x's, both computed from Prometheus's own histogram
     * argument at that step.
     */
    static final Known QUANTILE_WALKS_BACKWARD = new Known("histogram_quantile walks buckets backward for q >= 0.5",
            "Prometheus 2.46, prometheus/prometheus#12525", (d, all, c) -> {
                Matcher m = QUANTILE.matcher(d.query());
                if (!d.kind().equals("values") || !m.matches() || Double.parseDouble(m.group(1)) < 0.5) return false;
                double q = Double.parseDouble(m.group(1));
                JsonNode h = c.argumentOf(d);
                return h != null && close(HistogramEstimates.quantile(q, h, false), d.prometheus())
                        && close(HistogramEstimates.quantile(q, h, true), d.strata());
            });

    /**
     * {@code histogram_fraction} with a bound in the zero bucket. Prometheus (2.42 and 3.x alike) takes the zero
     * bucket as {@code [0, threshold]} only when the histogram lists no negative buckets, and counts listed
     * empty ones ({@code len(h.NegativeBuckets)} in promql/quantile.go); its stored histograms list the empty
     * buckets of their chunk's layout (see {@link #QUANTILE_SKIPS_EMPTY_BUCKETS}), so the answer for a sample
     * depends on what later samples in the same chunk observed and on where chunks are cut (every 120 samples
     * in 2.42, at about 1 KiB since 2.47, prometheus/prometheus#12054). Strata keeps each sample's own buckets
     * and applies the rule to populated buckets, the rule's stated intent ("no populated negative buckets",
     * beorn7 in prometheus/prometheus#17904). Explained only where Prometheus answers the estimate with a
     * symmetric zero bucket and 2.42's linear interpolation, and Strata the estimate with the zero bucket
     * clamped at 0 on the side without populated buckets and 3.x's interpolation, both computed from
     * Prometheus's own histogram argument at that step.
     */
    static final Known FRACTION_ZERO_BUCKET_OF_STORED_LAYOUT = new Known("histogram_fraction: zero bucket bounds follow the stored bucket layout",
            "not a Prometheus change: Prometheus's zero-bucket rule counts empty buckets of its chunk layout (tsdb/chunkenc recoding; chunk cuts changed in 2.47, prometheus/prometheus#12054)",
            (d, all, c) -> {
                Matcher m = FRACTION.matcher(d.query());
                if (!d.kind().equals("values") || !m.matches()) return false;
                double lower = Double.parseDouble(m.group(1)), upper = Double.parseDouble(m.group(2));
                JsonNode h = c.argumentOf(d);
                return h != null && close(HistogramEstimates.fraction(lower, upper, h, false, false), d.prometheus())
                        && close(HistogramEstimates.fraction(lower, upper, h, true, true), d.strata());
            });

    /** The histogram argument of a {@code histogram_quantile}/{@code histogram_fraction} query over the native histogram, or null. */
    static String histogramArgument(String query) {
        Matcher q = QUANTILE.matcher(query), f = FRACTION.matcher(query);
        return q.matches() ? q.group(2) : f.matches() ? f.group(3) : null;
    }

    /** Whether the answer {@code got} (as the API writes it) is {@code want} within the comparison's tolerance. */
    private static boolean close(double want, String got) {
        double g = parse(got);
        if (Double.isNaN(want) || Double.isNaN(g)) return Double.isNaN(want) && Double.isNaN(g);
        if (Double.isInfinite(want) || Double.isInfinite(g)) return want == g;
        return Math.abs(want - g) <= RangeResultComparison.TOLERANCE * Math.max(Math.abs(want), Math.abs(g));
    }

    /**
     * {@code last_over_time} of histograms: 2.42 kept a histogram sample's float value (0); 2.44 split the
     * engine's points into float and histogram points, and {@code last_over_time} returns the last histogram.
     */
    static final Known LAST_OVER_TIME_OF_HISTOGRAMS = new Known("last_over_time of native histograms",
            "Prometheus 2.44, prometheus/prometheus#11687", (d, all, w) -> d.query().matches("^last_over_time\\(" + H + "\\[.*")
                    && floatZeroForHistogram(d));

    /** {@code irate}/{@code idelta} of histograms: 2.42 took the float values (0); 3.3 computes them on histograms. */
    static final Known IRATE_IDELTA_OF_HISTOGRAMS = new Known("irate/idelta of native histograms",
            "Prometheus 3.3, prometheus/prometheus#15853", (d, all, w) -> d.query().matches("^i(rate|delta)\\(" + H + "\\[.*") && floatZeroForHistogram(d));

    /** {@code changes} of histograms: 2.42 compared the float values (0, never changing); 3.1 compares the histograms. */
    static final Known CHANGES_OF_HISTOGRAMS = new Known("changes of native histograms",
            "Prometheus 3.1, prometheus/prometheus#15469", (d, all, w) -> d.kind().equals("values")
                    && d.query().matches("^changes\\(" + H + "\\[.*") && d.prometheus().equals("0") && parse(d.strata()) > 0);

    /** {@code resets} of histograms: 2.42 looked at the float values (0, never decreasing); 3.1 detects histogram counter resets. */
    static final Known RESETS_OF_HISTOGRAMS = new Known("resets of native histograms",
            "Prometheus 3.1, prometheus/prometheus#15527", (d, all, w) -> d.kind().equals("values")
                    && d.query().matches("^resets\\(" + H + "\\[.*") && d.prometheus().equals("0") && parse(d.strata()) > 0);

    /** {@code h == h}: 2.42 compared the float values and kept a float 0; 3.1 compares the histograms and keeps the histogram. */
    static final Known HISTOGRAM_COMPARISON = new Known("comparison operators between native histograms",
            "Prometheus 3.1, prometheus/prometheus#15245 (issue #13934)", (d, all, w) -> d.query().equals(H + " == " + H) && floatZeroForHistogram(d));

    /** {@code topk} of histograms: 2.42 ranked them by their float value (0); 3.1 ignores them with an info annotation. */
    static final Known TOPK_IGNORES_HISTOGRAMS = new Known("topk/bottomk ignore native histograms",
            "Prometheus 3.1, prometheus/prometheus#15432 (issue #13934)", (d, all, w) -> d.query().equals("topk(1, " + H + ")")
                    && d.strata().isEmpty() && (d.kind().equals("series") || d.kind().equals("timestamps") && d.prometheus().equals("\"0\"")));

    /**
     * Where 2.42 answered a histogram sample's float value (0) and 3.x answers a histogram: a float 0 only
     * Prometheus has, or a histogram only Strata has.
     */
    private static boolean floatZeroForHistogram(RangeResultComparison.Difference d) {
        if (!d.kind().equals("timestamps")) return false;
        if (d.strata().isEmpty()) return d.prometheus().equals("\"0\"");
        return d.prometheus().isEmpty() && d.detail().contains(" histograms at ");
    }

    private static final Pattern COUNTS = Pattern.compile("prometheus \\{\"count\":\"([^\"]+)\".*, strata \\{\"count\":\"([^\"]+)\"");

    /** A histogram value difference where Strata's count is Prometheus's count times {@code factor}. */
    private static boolean histogramCounts(RangeResultComparison.Difference d, double factor) {
        if (!d.kind().equals("histogram values")) return false;
        Matcher m = COUNTS.matcher(d.detail());
        if (!m.find()) return false;
        double p = parse(m.group(1)), s = parse(m.group(2));
        return p != 0 && Math.abs(s - p * factor) <= 1e-9 * Math.abs(p * factor);
    }

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
            HISTOGRAM_AVG_ADDED, SUM_AVG_OVER_TIME_OF_HISTOGRAMS, HISTOGRAM_TIMES_SCALAR, HISTOGRAM_SUBTRACTION, AVG_OF_HISTOGRAMS,
            HISTOGRAM_UNARY_MINUS, EXPONENTIAL_INTERPOLATION, IRATE_IDELTA_OF_HISTOGRAMS, CHANGES_OF_HISTOGRAMS, RESETS_OF_HISTOGRAMS,
            HISTOGRAM_COMPARISON, TOPK_IGNORES_HISTOGRAMS, LAST_OVER_TIME_OF_HISTOGRAMS, QUANTILE_SKIPS_EMPTY_BUCKETS,
            QUANTILE_WALKS_BACKWARD, FRACTION_ZERO_BUCKET_OF_STORED_LAYOUT);

    private KnownDifferences() {}

    /** The entry that explains {@code d}, or null. */
    static Known explain(RangeResultComparison.Difference d, List<RangeResultComparison.Difference> ofQuery, Context context) {
        for (Known k : LIST) if (k.explains().test(d, ofQuery, context)) return k;
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

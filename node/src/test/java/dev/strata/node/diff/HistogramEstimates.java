package dev.strata.node.diff;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Prometheus's {@code histogram_quantile} and {@code histogram_fraction} estimates, computed from a native
 * histogram as the HTTP API encodes it ({@code buckets} ascending, each {@code [boundary rule, lower, upper,
 * count]}; the API leaves out empty buckets, so only populated buckets are seen). The differential test uses
 * them (and {@code RealPrometheusNativeHistogramTest}) to check a named difference instead of only tolerating it: from Prometheus's own answer for the
 * function's histogram argument it computes what 2.42 and what 3.x estimate, and the entry holds only where
 * Prometheus answered the one and Strata the other.
 *
 * <p>The variants, as in {@code promql/quantile.go}: 2.42 walks forward from the lowest bucket and
 * interpolates linearly everywhere; 3.x walks backward from the highest bucket for q &gt;= 0.5
 * (prometheus/prometheus#12525, 2.46) and interpolates exponentially within exponential buckets (#14677, 3.0),
 * linearly in the zero bucket. The zero bucket's bounds: with {@code zeroClamped}, 0 is its lower bound when
 * there are (populated) positive buckets but no negative ones, and mirrored; without it, it is taken as
 * {@code [-threshold, threshold]}, as Prometheus does whenever its stored histogram lists negative buckets.
 */
public final class HistogramEstimates {
    private HistogramEstimates() {}

    /** 2.42's or 3.x's {@code histogram_quantile(q, h)} (the workload has no NaN observations, so no NaN sum case). */
    public static double quantile(double q, JsonNode h, boolean prometheus3) {
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        double total = number(h.get("count"));
        JsonNode buckets = h.path("buckets");
        if (total == 0 || Double.isNaN(q) || buckets.isEmpty()) return Double.NaN;
        boolean forward = !prometheus3 || q < 0.5;
        double rank = forward ? q * total : (1 - q) * total;
        double count = 0, lower = 0, upper = 0, c = 0;
        for (int k = 0; k < buckets.size(); k++) {
            JsonNode b = buckets.get(forward ? k : buckets.size() - 1 - k);
            lower = number(b.get(1));
            upper = number(b.get(2));
            c = number(b.get(3));
            if (c == 0) continue;
            count += c;
            if (count >= rank) break;
        }
        double[] zero = clampZeroBucket(lower, upper, buckets, true);
        lower = zero[0];
        upper = zero[1];
        if (count > total) count = total;
        if (count < rank) return upper;
        double fraction = (forward ? rank - (count - c) : count - rank) / c;
        if (!prometheus3 || (lower <= 0 && upper >= 0)) return lower + (upper - lower) * fraction;
        double logLower = log2(Math.abs(lower)), logUpper = log2(Math.abs(upper));
        if (lower > 0) return Math.pow(2, logLower + (logUpper - logLower) * fraction);
        return -Math.pow(2, logUpper + (logLower - logUpper) * (1 - fraction));
    }

    /** {@code histogram_fraction(lower, upper, h)}, with 3.x's or 2.42's interpolation and the zero bucket as described above. */
    static double fraction(double lower, double upper, JsonNode h, boolean prometheus3, boolean zeroClamped) {
        double total = number(h.get("count"));
        if (total == 0 || Double.isNaN(lower) || Double.isNaN(upper)) return Double.NaN;
        if (lower >= upper) return 0;
        JsonNode buckets = h.path("buckets");
        double rank = 0, lowerRank = 0, upperRank = 0;
        boolean lowerSet = false, upperSet = false;
        for (JsonNode b : buckets) {
            double bl = number(b.get(1)), bu = number(b.get(2)), bc = number(b.get(3));
            boolean zeroBucket = bl <= 0 && bu >= 0;
            if (zeroBucket) {
                double[] zero = clampZeroBucket(bl, bu, buckets, zeroClamped);
                bl = zero[0];
                bu = zero[1];
            }
            if (!lowerSet && bl >= lower) {
                lowerRank = rank;
                lowerSet = true;
            }
            if (!upperSet && bl >= upper) {
                upperRank = rank;
                upperSet = true;
            }
            if (lowerSet && upperSet) break;
            boolean linear = !prometheus3 || zeroBucket;
            if (!lowerSet && bl < lower && bu > lower) {
                lowerRank = rank + bc * below(lower, bl, bu, linear);
                lowerSet = true;
            }
            if (!upperSet && bl < upper && bu > upper) {
                upperRank = rank + bc * below(upper, bl, bu, linear);
                upperSet = true;
            }
            if (lowerSet && upperSet) break;
            rank += bc;
        }
        if (!lowerSet || lowerRank > total) lowerRank = total;
        if (!upperSet || upperRank > total) upperRank = total;
        return (upperRank - lowerRank) / total;
    }

    /** The share of a bucket (lower, upper] below v, interpolated linearly or on a log scale (Bucket.FractionBelow). */
    private static double below(double v, double lower, double upper, boolean linear) {
        if (linear) return (v - lower) / (upper - lower);
        double logLower = log2(Math.abs(lower)), logUpper = log2(Math.abs(upper)), logV = log2(Math.abs(v));
        return v > 0 ? (logV - logLower) / (logUpper - logLower) : 1 - (logV - logUpper) / (logLower - logUpper);
    }

    /** A bucket spanning 0 (the zero bucket) clamped at 0 on the side without populated buckets, when {@code clamp}. */
    private static double[] clampZeroBucket(double lower, double upper, JsonNode buckets, boolean clamp) {
        if (!clamp || !(lower < 0 && upper > 0)) return new double[] {lower, upper};
        boolean hasNeg = false, hasPos = false;
        for (JsonNode b : buckets) {
            if (number(b.get(2)) <= 0) hasNeg = true;
            if (number(b.get(1)) >= 0) hasPos = true;
        }
        if (!hasNeg && hasPos) return new double[] {0, upper};
        if (!hasPos && hasNeg) return new double[] {lower, 0};
        return new double[] {lower, upper};
    }

    private static double number(JsonNode n) {
        return Double.parseDouble(n.asText().replace("Inf", "Infinity"));
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}

package dev.strata.query.promqltest;

import dev.strata.store.model.FloatHistogram;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The histogram equality of Prometheus's test harness (compareNativeHistogram after Compact(0)):
 * schema, zero threshold and custom bounds exactly, counts and sum with {@link FloatCompare}, the
 * non-empty buckets index by index, the counter-reset hint only when the expectation sets it.
 */
final class HistogramCompare {
    private HistogramCompare() {}

    static boolean equal(FloatHistogram exp, FloatHistogram got, boolean compareHint) {
        if (exp.schema() != got.schema() || !FloatCompare.equal(exp.count(), got.count()) || !FloatCompare.equal(exp.sum(), got.sum())) {
            return false;
        }
        if (exp.usesCustomBuckets() && !Arrays.equals(exp.customValues(), got.customValues())) return false;
        if (exp.zeroThreshold() != got.zeroThreshold() || !FloatCompare.equal(exp.zeroCount(), got.zeroCount())) return false;
        if (!sameBuckets(buckets(exp.positiveSpanOffsets(), exp.positiveSpanLengths(), exp.positiveBuckets()),
                buckets(got.positiveSpanOffsets(), got.positiveSpanLengths(), got.positiveBuckets()))) {
            return false;
        }
        if (!sameBuckets(buckets(exp.negativeSpanOffsets(), exp.negativeSpanLengths(), exp.negativeBuckets()),
                buckets(got.negativeSpanOffsets(), got.negativeSpanLengths(), got.negativeBuckets()))) {
            return false;
        }
        return !compareHint || exp.resetHint() == got.resetHint();
    }

    private static boolean sameBuckets(TreeMap<Integer, Double> a, TreeMap<Integer, Double> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (Map.Entry<Integer, Double> e : a.entrySet()) if (!FloatCompare.equal(e.getValue(), b.get(e.getKey()))) return false;
        return true;
    }

    /** Index -> count of the non-empty buckets. */
    private static TreeMap<Integer, Double> buckets(int[] offsets, int[] lengths, double[] counts) {
        TreeMap<Integer, Double> out = new TreeMap<>();
        int idx = 0, k = 0;
        for (int i = 0; i < offsets.length; i++) {
            idx += offsets[i];
            for (int j = 0; j < lengths[i]; j++, idx++, k++) if (counts[k] != 0) out.put(idx, counts[k]);
        }
        return out;
    }
}

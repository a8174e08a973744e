package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;

/**
 * What one evaluation over part of the input (an owner's shards) knows about the native histograms of
 * one group of a {@code sum}/{@code avg} at one step, enough to merge parts into exactly what one
 * evaluation over all the input answers, annotations included ({@link HistogramPartialMerge}):
 * <ul>
 *   <li>{@code count}: how many input histograms the group had there (at least 1);</li>
 *   <li>{@code floatsSeen}: the group also had float samples there (the step is then dropped with
 *       Prometheus's "mix of histograms and floats" warning);</li>
 *   <li>{@code counterResetSeen} / {@code notCounterResetSeen}: some input histogram had the hint
 *       "counter reset" / "not a counter reset" (both anywhere: the "conflicting counter resets" warning);</li>
 *   <li>{@code customReconciled}: adding the part's histograms reconciled mismatched custom bounds (an info);</li>
 *   <li>{@code firstExponential} / {@code firstCustom}: the labels (as the aggregation saw them, before name
 *       removal) of the part's first input series with an exponential / custom-bucket histogram there,
 *       null when none: the aggregation's input is sorted by labels, so the first of all parts is the
 *       smallest, and when both kinds meet, Prometheus's warning names the first series of the kind that
 *       did not come first;</li>
 *   <li>{@code sum}: the Kahan-compensated sum of the part's histograms (also when floats were seen: the
 *       merge still adds the sums to find mismatched custom bounds, as one evaluation adds them), zero-count
 *       buckets kept (the merge then sees the buckets one evaluation would); null when the part alone holds
 *       both kinds of histograms (they cannot be added; the step is dropped whatever the other parts hold).</li>
 * </ul>
 */
public record HistogramPartial(long count, boolean floatsSeen, boolean counterResetSeen, boolean notCounterResetSeen,
                               boolean customReconciled, Labels firstExponential, Labels firstCustom, FloatHistogram sum) {
    /** @throws IllegalArgumentException when the fields contradict each other (see the class comment) */
    public HistogramPartial {
        if (count < 1) throw new IllegalArgumentException("histogram partial of " + count + " histograms");
        if (firstExponential == null && firstCustom == null) {
            throw new IllegalArgumentException("histogram partial names no first series");
        }
        boolean bothKinds = firstExponential != null && firstCustom != null;
        if (bothKinds != (sum == null)) {
            throw new IllegalArgumentException(bothKinds ? "histogram partial of both histogram kinds carries a sum"
                    : "histogram partial without a sum");
        }
        if (sum != null && sum.usesCustomBuckets() != (firstCustom != null)) {
            throw new IllegalArgumentException("histogram partial's sum is not of the kind of its first series");
        }
    }
}

package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Merges the {@link HistogramPartial}s of one group of a {@code sum} or {@code avg} at one step, from
 * evaluations over disjoint parts of the input (owners of shards), into what one evaluation over all of
 * it answers, with the same annotations (see {@link Aggregations}): the partial sums are added with the
 * engine's own Kahan-compensated histogram addition (schema, zero-bucket and custom-bound
 * reconciliation, counter-reset hints); avg divides by the total count as the engine does; floats
 * anywhere in the group drop the step with the "mix of histograms and floats" warning; exponential
 * and custom-bucket histograms together drop it with the warning naming the first series of the kind
 * that came second. Values equal one evaluation's up to the order of additions (the last bits of
 * non-integer counts). Not reproduced: an avg whose sum overflows (one evaluation then keeps an
 * incremental mean; here the parts' sums already overflowed), and, at a step that holds both kinds of
 * histograms (dropped with its warning either way), whether custom bounds were reconciled before the
 * first histogram of the other kind.
 */
public final class HistogramPartialMerge {
    private static final String WARNING = Annotations.WARNING_PREFIX, INFO = Annotations.INFO_PREFIX;
    private final boolean average;
    private final String position;
    private final List<FloatHistogram> sums = new ArrayList<>();
    private long count;
    private boolean floats, reset, notReset, reconciled;
    private Labels firstExponential, firstCustom;

    /**
     * @param average  avg (divide by the count) rather than sum
     * @param position the " (line:col)" of the aggregation's argument in the user's query, or ""
     */
    public HistogramPartialMerge(boolean average, String position) {
        this.average = average;
        this.position = position;
    }

    /** A part had only float samples in this group and step. */
    public void addFloats() {
        floats = true;
    }

    public void add(HistogramPartial p) {
        count += p.count();
        floats |= p.floatsSeen();
        reset |= p.counterResetSeen();
        notReset |= p.notCounterResetSeen();
        reconciled |= p.customReconciled();
        firstExponential = first(firstExponential, p.firstExponential());
        firstCustom = first(firstCustom, p.firstCustom());
        if (p.sum() != null) sums.add(p.sum());
    }

    private static Labels first(Labels a, Labels b) {
        if (a == null) return b;
        return b == null || a.compareTo(b) <= 0 ? a : b;
    }

    /** Whether some part had histograms here (else the step is the float aggregation's). */
    public boolean hasHistograms() {
        return count > 0;
    }

    /**
     * The merged histogram, or null when the step is dropped; adds the annotations one evaluation
     * raises for this group and step.
     */
    public FloatHistogram result(Collection<String> warnings, Collection<String> infos) {
        if (count == 0) throw new IllegalStateException("no histogram partial was added");
        boolean bothKinds = firstExponential != null && firstCustom != null;
        FloatHistogram out = null;
        if (bothKinds) {
            // The first histogram decides the kind; the first of the other kind cannot be added.
            warnings.add(WARNING + Aggregations.incompatibleWarning(
                    firstExponential.compareTo(firstCustom) < 0 ? firstCustom : firstExponential, position));
        } else {
            HistogramMath.KahanSum acc = null;
            for (FloatHistogram h : sums) {
                if (acc == null) acc = new HistogramMath.KahanSum(h);
                else if (acc.add(h) == HistogramMath.AddOutcome.RECONCILED_CUSTOM) reconciled = true;
            }
            HistogramMath.Sparse s = acc.result();
            if (average) {
                s.divideBy(count);
            }
            out = s.build();
        }
        if (reconciled) infos.add(INFO + Aggregations.reconciledInfo(position));
        if (floats) {
            warnings.add(WARNING + Aggregations.mixedWarning(position));
            return null;
        }
        if (reset && notReset) warnings.add(WARNING + Aggregations.counterResetWarning(position));
        return out;
    }
}

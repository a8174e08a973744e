package dev.strata.query.engine;

import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects per-step output samples into series keyed by labels, keeping first-seen order. */
final class Out {
    private final Map<Labels, StepSeries> byLabels = new LinkedHashMap<>();
    private final int steps;

    Out(int steps) {
        this.steps = steps;
    }

    /** Adds a sample; a second sample for the same labels at the same step is a query error. */
    void add(Labels labels, boolean dropName, int step, double value) {
        free(labels, dropName, step).set(step, value);
    }

    /** Adds a histogram sample; the same rules as {@link #add}. */
    void addHistogram(Labels labels, boolean dropName, int step, dev.strata.store.model.FloatHistogram h) {
        free(labels, dropName, step).setHistogram(step, h);
    }

    /** The series of {@code labels}, created if new; a query error if it already has a sample at {@code step}. */
    private StepSeries free(Labels labels, boolean dropName, int step) {
        StepSeries s = byLabels.get(labels);
        if (s == null) {
            s = new StepSeries(labels, steps, dropName);
            byLabels.put(labels, s);
        } else if (s.has[step]) {
            throw QueryException.execution("vector cannot contain metrics with the same labelset");
        }
        return s;
    }

    List<StepSeries> series() {
        return new ArrayList<>(byLabels.values());
    }
}

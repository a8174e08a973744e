package dev.strata.store.selfmetrics;

import java.util.List;

/**
 * One exposed line: a sample name (the family name, or with a suffix such as {@code _bucket}),
 * labels as parallel lists, and the value.
 */
public record Sample(String name, List<String> labelNames, List<String> labelValues, double value) {
    public Sample {
        labelNames = List.copyOf(labelNames);
        labelValues = List.copyOf(labelValues);
        if (labelNames.size() != labelValues.size()) {
            throw new IllegalArgumentException(name + ": " + labelNames.size() + " label names but "
                    + labelValues.size() + " values");
        }
    }

    public static Sample of(String name, double value) {
        return new Sample(name, List.of(), List.of(), value);
    }
}

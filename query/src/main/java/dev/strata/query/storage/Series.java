package dev.strata.query.storage;

import dev.strata.store.model.Labels;

/**
 * One series as read from storage for a time range: labels plus its float samples in ascending time
 * order ({@code timestamps.length == values.length}). Staleness markers are included as stored.
 */
public record Series(Labels labels, long[] timestamps, double[] values) {
    public int size() {
        return timestamps.length;
    }
}

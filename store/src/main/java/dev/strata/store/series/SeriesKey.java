package dev.strata.store.series;

import dev.strata.store.model.Labels;
import java.util.Objects;

/**
 * The durable identity of one series within a shard: its dense per-shard id, its canonical label set
 * and the time span of its samples. This is what the store persists per series (the series-key table)
 * and what the label index is rebuilt from when its directory is missing or corrupt.
 *
 * @param seriesId      the dense per-shard id (0, 1, 2, ...) allocated by the shard's label index
 * @param labels        the canonical label set
 * @param firstSampleMs timestamp of the first sample ever ingested for the series
 * @param lastSampleMs  timestamp of the latest sample known to be durable (>= firstSampleMs)
 */
public record SeriesKey(int seriesId, Labels labels, long firstSampleMs, long lastSampleMs) {
    public SeriesKey {
        if (seriesId < 0) {
            throw new IllegalArgumentException("series id must be >= 0, got " + seriesId);
        }
        Objects.requireNonNull(labels, "labels");
        if (lastSampleMs < firstSampleMs) {
            throw new IllegalArgumentException("series " + seriesId + " " + labels + ": lastSampleMs " + lastSampleMs
                    + " is before firstSampleMs " + firstSampleMs);
        }
    }
}

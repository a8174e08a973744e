package dev.strata.index;

/** A label value and the number of series in the shard that carry it (cardinality views). */
public record ValueCount(String value, long count) {}

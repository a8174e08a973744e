package dev.strata.query.engine;

/** What a query cost: samples read from storage and peak samples held, and wall time. */
public record QueryStats(long samplesScanned, long peakSamples, long evalNanos) {}

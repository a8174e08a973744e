package dev.strata.query.engine;

import dev.strata.store.model.Labels;

/** One element of an instant vector. */
public record Sample(Labels metric, long timestampMs, double value) {}

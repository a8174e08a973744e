package dev.strata.query.engine;

import dev.strata.query.ast.VectorSelector;
import java.util.List;

/**
 * A range vector as the evaluator holds it: series plus, for each step, the window end {@code ref[i]}
 * (step time or @ time, minus offset); the window is (ref - rangeMs, ref]. {@code selector} is the
 * matrix selector's vector selector, null for subqueries.
 */
record RangeInput(List<RangeSeries> series, long[] ref, long rangeMs, VectorSelector selector) {}

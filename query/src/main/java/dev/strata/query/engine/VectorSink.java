package dev.strata.query.engine;

/**
 * Receives an instant vector one series at a time (see {@link Evaluator#streamVector}), so a consumer
 * that folds series (sum, max, ...) never needs all of its input at once.
 */
@FunctionalInterface
interface VectorSink {
    /**
     * Takes one series. Returns true when the sink keeps {@code s}; otherwise the producer may clear
     * and reuse it (and its arrays) for the next series.
     */
    boolean accept(StepSeries s);
}

package dev.strata.query.engine;

/**
 * What a query cost.
 * <ul>
 *   <li>{@code samplesScanned}: samples decoded from storage, each counted once per selector
 *       evaluation (a [5m] window sliding over 15 s steps still reads each sample once);</li>
 *   <li>{@code peakSamples}: the most samples held by one node's output (the max-samples limit);</li>
 *   <li>{@code evalNanos}: wall time of the evaluation;</li>
 *   <li>{@code totalQueryableSamples}: Prometheus's "samples" statistic (see {@link SampleStats}),
 *       counting a sample once per step whose window or lookback loads it, and
 *       {@code totalQueryableSamplesPerStep} the same per step of the query (index i is the step at
 *       {@code firstStepMs + i * stepMs}; one step for an instant query, {@code stepMs} 0).</li>
 * </ul>
 */
public record QueryStats(long samplesScanned, long peakSamples, long evalNanos, long totalQueryableSamples,
                         long[] totalQueryableSamplesPerStep, long firstStepMs, long stepMs) {
    /** Stats without Prometheus sample counts (for results not computed by this engine). */
    public QueryStats(long samplesScanned, long peakSamples, long evalNanos) {
        this(samplesScanned, peakSamples, evalNanos, 0, new long[0], 0, 0);
    }
}

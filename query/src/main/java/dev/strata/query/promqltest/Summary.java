package dev.strata.query.promqltest;

/**
 * Eval counts of a conformance run; {@code failedHistogram} of the {@code failed} evals involve native
 * histograms (the others read floats only). Every eval runs: nothing is skipped.
 */
public record Summary(int passed, int failed, int failedHistogram) {
    public Summary plus(Summary o) {
        return new Summary(passed + o.passed, failed + o.failed, failedHistogram + o.failedHistogram);
    }

    @Override
    public String toString() {
        return passed + " passed, " + failed + " failed (" + failedHistogram + " with native histograms)";
    }
}

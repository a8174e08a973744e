package dev.strata.query.promqltest;

/** Eval counts of a conformance run. */
public record Summary(int passed, int failed, int skipped) {
    public Summary plus(Summary o) {
        return new Summary(passed + o.passed, failed + o.failed, skipped + o.skipped);
    }

    @Override
    public String toString() {
        return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }
}

package dev.strata.node.process;

import dev.strata.node.chaos.ExactlyOnceCheck;
import dev.strata.node.chaos.SentSamples;
import dev.strata.node.chaos.PromApi;

import dev.strata.store.model.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the process-level fault tests share: their series, node settings, and the wait-then-check of exactly once. */
final class FaultFixtures {
    /** The timestamps' step: one second, so a few thousand steps stay well inside the gateway's age limits. */
    static final long STEP_MS = 1000;

    private FaultFixtures() {}

    /** {@code n} series over {@code metrics} metric names {@code <prefix>_m<j>}, told apart by label {@code s}. */
    static List<Labels> series(String prefix, int n, int metrics) {
        List<Labels> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Labels.of("__name__", prefix + "_m" + (i % metrics), "job", "faults", "s", String.format("%03d", i)));
        }
        return out;
    }

    /** The selector of every series of {@link #series}. */
    static String selector(String prefix) {
        return "{__name__=~\"" + prefix + "_m.*\"}";
    }

    /**
     * A first timestamp {@code maxSteps} steps plus 10 minutes before now, on a second: the last step is
     * still in the past (the gateway refuses samples from the future) and the first within the day it accepts.
     */
    static long firstTimestamp(int maxSteps) {
        return (System.currentTimeMillis() - maxSteps * STEP_MS - 600_000L) / 1000 * 1000;
    }

    static Path tempDir(String prefix) throws IOException {
        return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    /** One read-back: the answer, and its check (null when the answer was not a success). */
    record ReadBack(PromApi.Answer answer, ExactlyOnceCheck.Report report) {
        boolean clean() {
            return answer.success() && answer.warnings().isEmpty() && report != null && report.ok();
        }

        @Override
        public String toString() {
            return report != null && answer.success() && answer.warnings().isEmpty() ? report.toString() : answer.toString();
        }
    }

    /**
     * Reads every series of {@code prefix} through {@code baseUrl} with one range selector covering every
     * step, and checks it: the samples acknowledged before {@code System.nanoTime()} was {@code ackedBeforeNanos}
     * exactly once, anything else sent (acknowledged later, or not at all) at most once, nothing else.
     */
    static ReadBack readBack(PromApi api, String baseUrl, String prefix, SentSamples sent, long ackedBeforeNanos)
            throws IOException, InterruptedException {
        long evalTime = sent.timestamp(sent.maxSteps() - 1) + 1000;
        long rangeSeconds = (sent.maxSteps() * STEP_MS) / 1000 + 120;
        Map<String, TreeMap<Long, Long>> must = sent.acknowledgedSamplesBefore(ackedBeforeNanos);
        PromApi.Answer a = api.query(baseUrl, selector(prefix) + "[" + rangeSeconds + "s]", evalTime, "");
        Map<String, TreeMap<Long, Long>> may = sent.sentSamples(); // taken after the answer: covers what it may hold
        if (!a.success() || !a.warnings().isEmpty()) return new ReadBack(a, null);
        return new ReadBack(a, ExactlyOnceCheck.check(must, may, a.matrix()));
    }

    /** {@link #awaitExactlyOnce(PromApi, String, String, SentSamples, Duration, Duration)} once the writer stopped: everything acknowledged. */
    static ExactlyOnceCheck.Report awaitExactlyOnce(PromApi api, String baseUrl, String prefix, SentSamples sent,
                                                    Duration timeout) throws IOException, InterruptedException {
        return awaitExactlyOnce(api, baseUrl, prefix, sent, Duration.ZERO, timeout);
    }

    /**
     * Reads back (see {@link #readBack}) until every sample acknowledged more than {@code settle} before the
     * read is there or {@code timeout} passes, and returns the last check; a failed answer or one with
     * warnings is an AssertionError. With a writer still running, {@code settle} covers the owners' consumer lag.
     */
    static ExactlyOnceCheck.Report awaitExactlyOnce(PromApi api, String baseUrl, String prefix, SentSamples sent,
                                                    Duration settle, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ReadBack r = readBack(api, baseUrl, prefix, sent, System.nanoTime() - settle.toNanos());
            if (r.report() == null) throw new AssertionError("reading back " + prefix + " from " + baseUrl + " failed: " + r.answer());
            if (r.report().missing() == 0 || System.nanoTime() > deadline) return r.report();
            Thread.sleep(250);
        }
    }
}

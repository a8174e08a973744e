package dev.strata.node.process;

import dev.strata.node.chaos.SentSamples;
import dev.strata.node.chaos.PromApi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Queries on their own thread, one after the other, while a fault test runs: each round reads every
 * series back ({@link FaultFixtures#readBack}: samples acknowledged more than {@code settle} ago must
 * all be there, nothing twice, nothing never sent) and runs a pushed-down aggregation. Every answer
 * that is not a clean success (an error, a warning, a failed check, an I/O error) is kept.
 */
final class QueryLoad implements AutoCloseable {
    /** A query that went wrong: when (ms since start), against which node, what. */
    record Problem(long atMs, String target, String what) {}

    private final PromApi api;
    private final IntFunction<String> target;
    private final String prefix;
    private final SentSamples sent;
    private final Duration settle;
    private final List<Problem> problems = new ArrayList<>();
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile boolean stopping;
    private volatile int rounds;

    /**
     * @param target base URL to query in round {@code n}
     * @param settle how long after its acknowledgement a sample must be visible (the owners' consumer lag)
     */
    QueryLoad(PromApi api, IntFunction<String> target, String prefix, SentSamples sent, Duration settle) {
        this.api = api;
        this.target = target;
        this.prefix = prefix;
        this.sent = sent;
        this.settle = settle;
        this.thread = new Thread(this::run, "query-load");
        this.thread.setDaemon(true);
    }

    QueryLoad start() {
        thread.start();
        return this;
    }

    private void run() {
        String aggregation = "sum by (job) (count_over_time(" + FaultFixtures.selector(prefix) + "[10m]))";
        for (int n = 0; !stopping; n++) {
            String base = target.apply(n);
            try {
                FaultFixtures.ReadBack r = FaultFixtures.readBack(api, base, prefix, sent, System.nanoTime() - settle.toNanos());
                if (!r.clean()) problem(base, "read-back: " + r);
                PromApi.Answer agg = api.query(base, aggregation, Math.max(sent.timestamp(0), sent.lastAcknowledgedTimestamp()), "");
                if (!agg.success() || !agg.warnings().isEmpty()) problem(base, aggregation + ": " + agg);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                problem(base, e.toString());
            }
            rounds++;
        }
    }

    private synchronized void problem(String base, String what) {
        problems.add(new Problem((System.nanoTime() - startNanos) / 1_000_000, base, what));
    }

    synchronized List<Problem> problems() {
        return List.copyOf(problems);
    }

    int rounds() {
        return rounds;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(60_000);
    }
}

package dev.strata.ingest.flush;

import dev.strata.store.concurrent.NamedThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one shard's flushes on its own named thread ({@code strata-flush-shard-<n>}): group 0, 1, ...
 * G-1, 0, ... one every {@code interval / G}, so Cassandra sees a steady stream of writes. After a
 * failed attempt the rotation waits an exponential back-off (capped at {@code retryMax}) and goes on
 * with the next group; the failed group is retried in its next turn, never given up, so one group
 * that keeps failing does not stop the others. Meanwhile its checkpoint stays put and its data stays
 * in memory (the memstore's back-pressure pauses ingestion if memory runs short). Thread safe.
 */
public final class FlushScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlushScheduler.class);

    private final ShardFlusher flusher;
    private final FlushConfig config;
    private final FlushMetrics.Shard metrics;
    private final ScheduledExecutorService thread;
    private volatile boolean closed;
    private volatile long consecutiveFailures;

    public FlushScheduler(ShardFlusher flusher, FlushConfig config, FlushMetrics.Shard metrics) {
        this.flusher = flusher;
        this.config = config;
        this.metrics = metrics;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, NamedThreads.named("strata-flush-shard-" + flusher.shard()));
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = ex;
    }

    /** Starts the rotation: group 0 after one group interval. */
    public void start() {
        schedule(0, config.groupInterval().toMillis(), 0);
    }

    /** Failed attempts in a row (0 when the last attempt succeeded). */
    public long consecutiveFailures() {
        return consecutiveFailures;
    }

    /**
     * Flushes every group once, in order, on the flush thread (tests, tools, a clean shutdown); the
     * future fails with the first failure (later groups are then not attempted).
     */
    public CompletableFuture<Void> flushAll() {
        return CompletableFuture.runAsync(() -> {
            for (int g = 0; g < config.groups(); g++) {
                try {
                    flusher.flush(g);
                } catch (Exception e) {
                    metrics.failures.inc();
                    throw new IllegalStateException("flush of group " + g + " of shard " + flusher.shard() + " failed: " + e, e);
                }
            }
        }, thread);
    }

    private void schedule(int group, long delayMs, long failures) {
        if (closed) return;
        try {
            thread.schedule(() -> run(group, failures), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (!closed) throw e;
        }
    }

    private void run(int group, long failures) {
        if (closed) return;
        try {
            ShardFlusher.Result r = flusher.flush(group);
            if (failures > 0) {
                LOG.info("shard {}: flush of group {} succeeded after {} failed attempts; checkpoint {}", flusher.shard(), group,
                        failures, r.checkpoint());
            }
            consecutiveFailures = 0;
            schedule((group + 1) % config.groups(), config.groupInterval().toMillis(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            if (e instanceof Error && !(e instanceof AssertionError)) throw (Error) e;
            long n = failures + 1;
            consecutiveFailures = n;
            metrics.failures.inc();
            long backoff = Math.min(config.retryMax().toMillis(), config.retryMin().toMillis() << Math.min(20, failures));
            if (n == 1 || n % 10 == 0) {
                LOG.warn("shard {}: flush of group {} failed (attempt {}), retrying in {} ms; checkpoint stays, data stays in memory: {}",
                        flusher.shard(), group, n, backoff, e.toString());
            }
            // The next attempt is the next group's: a group that keeps failing (one bad row, one bad
            // series) must not stop the others from flushing; it is retried in its next turn.
            schedule((group + 1) % config.groups(), backoff, n);
        }
    }

    /** Stops the rotation (an attempt in progress finishes). Does not flush. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.shutdown();
        thread.awaitTermination(config.writeTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }
}

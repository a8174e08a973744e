package dev.strata.node;

import dev.strata.store.concurrent.NamedThreads;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component holding a connection to another system (Kafka, Cassandra): it keeps attempting to
 * connect, every {@code retryInterval}, until an attempt succeeds; it is ready from then on. A
 * failure is logged (WARN) when its exception type differs from the previous one, so a long outage
 * does not flood the log. Runs on one named thread, {@code strata-<name>-connect}.
 */
public final class Connector<T> implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

    /** One connection attempt; it must release what it acquired when it fails. */
    @FunctionalInterface
    public interface Attempt<T> {
        /** @param executor the connector's thread, for continuations that may block or close clients */
        CompletableFuture<T> connect(Executor executor);
    }

    private final String name;
    private final Duration retryInterval;
    private final Attempt<T> attempt;
    private final Consumer<T> closer;
    private final ScheduledExecutorService executor;
    private volatile T value;
    private boolean stopped; // guarded by this
    private String lastFailure; // only on the executor thread
    private volatile int attempts; // written only on the executor thread

    /**
     * @param closer releases a connected value at stop (or one that arrives after stop)
     */
    public Connector(String name, Duration retryInterval, Attempt<T> attempt, Consumer<T> closer) {
        this.name = name;
        this.retryInterval = retryInterval;
        this.attempt = attempt;
        this.closer = closer;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, NamedThreads.named("strata-" + name + "-connect"));
        ex.setRemoveOnCancelPolicy(true);
        this.executor = ex;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        executor.execute(this::tryOnce);
    }

    private void tryOnce() {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        attempts++;
        CompletableFuture<T> f;
        try {
            f = Objects.requireNonNull(attempt.connect(executor), "attempt returned null");
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, error) -> {
            boolean closeNow = false;
            synchronized (this) {
                if (stopped) {
                    closeNow = error == null;
                } else if (error == null) {
                    value = v;
                    LOG.info("{}: connected{}", name, attempts > 1 ? " after " + attempts + " attempts" : "");
                } else {
                    onFailure(error);
                }
            }
            if (closeNow) {
                close(v);
            }
        });
    }

    private void onFailure(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String reason = cause.toString();
        // Messages often carry per-attempt details (object ids): a new kind of failure is what is worth a WARN.
        String kind = cause.getClass().getName();
        try {
            executor.execute(() -> {
                if (!kind.equals(lastFailure)) {
                    LOG.warn("{}: not reachable yet ({}); retrying every {}", name, reason,
                            dev.strata.node.config.ConfigType.DURATION.format(retryInterval));
                    lastFailure = kind;
                } else {
                    LOG.debug("{}: attempt {} failed: {}", name, attempts, reason);
                }
                executor.schedule(this::tryOnce, retryInterval.toMillis(), TimeUnit.MILLISECONDS);
            });
        } catch (RejectedExecutionException stopping) {
            // stop() raced with the failure: nothing to retry
        }
    }

    @Override
    public boolean isReady() {
        return value != null;
    }

    /** The connected value. @throws IllegalStateException before the first successful attempt */
    public T get() {
        T v = value;
        if (v == null) {
            throw new IllegalStateException(name + " is not connected");
        }
        return v;
    }

    @Override
    public void stop() throws InterruptedException {
        T v;
        synchronized (this) {
            stopped = true;
            v = value;
            value = null;
        }
        executor.shutdownNow();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("{}: connect thread did not stop within 10s", name);
        }
        if (v != null) {
            close(v);
        }
    }

    private void close(T v) {
        try {
            closer.accept(v);
        } catch (RuntimeException e) {
            LOG.warn("{}: close failed", name, e);
        }
    }
}

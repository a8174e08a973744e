package dev.strata.launch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kafka and Cassandra forked side by side, as `strata dev` needs them: both start in parallel and
 * {@link #start} returns once both are ready. If either fails, the other is stopped before the error
 * propagates, so a failed start leaves no process behind. {@link #close} stops both, in parallel.
 */
public final class LocalStack implements AutoCloseable {
    private final KafkaServer kafka;
    private final CassandraServer cassandra;

    private LocalStack(KafkaServer kafka, CassandraServer cassandra) {
        this.kafka = kafka;
        this.cassandra = cassandra;
    }

    public static LocalStack start(KafkaServerConfig kafkaConfig, CassandraServerConfig cassandraConfig)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(2, named("strata-stack"));
        try {
            CompletableFuture<CassandraServer> cassandra = CompletableFuture.supplyAsync(
                    () -> interruptible(() -> CassandraServer.start(cassandraConfig)), pool);
            CompletableFuture<KafkaServer> kafka = CompletableFuture.supplyAsync(
                    () -> interruptible(() -> KafkaServer.start(kafkaConfig)), pool);
            try {
                CompletableFuture.allOf(cassandra, kafka).join();
            } catch (CompletionException e) {
                // Wait for the other start to settle too, then stop whichever succeeded.
                stopIfStarted(kafka);
                stopIfStarted(cassandra);
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
            return new LocalStack(kafka.join(), cassandra.join());
        } finally {
            pool.shutdown();
        }
    }

    public KafkaServer kafka() {
        return kafka;
    }

    public CassandraServer cassandra() {
        return cassandra;
    }

    /**
     * Blocks until Kafka or Cassandra exits by itself and returns that process (its exit code is then
     * {@code waitFor()}). Neither is restarted: every node depends on both, so `strata dev` stops the
     * whole stack when one dies.
     */
    public ChildProcess awaitServerExit() throws InterruptedException {
        ChildProcess k = kafka.process();
        ChildProcess c = cassandra.process();
        try {
            CompletableFuture.anyOf(k.handle().onExit(), c.handle().onExit()).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("waiting for the servers' exit", e.getCause());
        }
        return k.isAlive() ? c : k;
    }

    /** Stops both servers gracefully, in parallel; returns when both processes are gone. */
    @Override
    public void close() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(2, named("strata-stack-stop"));
        try {
            CompletableFuture<Void> k = CompletableFuture.runAsync(() -> interruptible(() -> {
                kafka.stop();
                return null;
            }), pool);
            CompletableFuture<Void> c = CompletableFuture.runAsync(() -> interruptible(() -> {
                cassandra.stop();
                return null;
            }), pool);
            CompletableFuture.allOf(k, c).join();
        } finally {
            pool.shutdown();
        }
    }

    private static void stopIfStarted(CompletableFuture<? extends AutoCloseable> start) {
        try {
            start.join().close();
        } catch (Exception ignored) {
            // This start failed itself (and cleaned up after itself) or stopping failed: nothing more to do.
        }
    }

    private interface Step<T> {
        T run() throws InterruptedException;
    }

    private static <T> T interruptible(Step<T> step) {
        try {
            return step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

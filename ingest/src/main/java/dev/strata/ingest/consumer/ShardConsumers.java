package dev.strata.ingest.consumer;

import dev.strata.store.concurrent.NamedThreads;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs the consumer loops of the shards this node owns, each on its own named thread
 * ({@code strata-ingest-shard-<n>}). Thread safe.
 */
public final class ShardConsumers implements AutoCloseable {
    private record Running(ShardConsumer consumer, ExecutorService thread, CompletableFuture<Void> done) {}

    private final Map<Integer, Running> running = new TreeMap<>();

    /** Starts {@code c}'s loop on a new thread; the future completes when the loop ends (exceptionally on error). */
    public synchronized CompletableFuture<Void> start(ShardConsumer c) {
        if (running.containsKey(c.shard())) throw new IllegalStateException("shard " + c.shard() + " is already consumed");
        ExecutorService thread = Executors.newSingleThreadExecutor(NamedThreads.named("strata-ingest-shard-" + c.shard()));
        CompletableFuture<Void> done = CompletableFuture.runAsync(c, thread);
        running.put(c.shard(), new Running(c, thread, done));
        return done;
    }

    /** Stops one shard's loop and waits for it to end. */
    public void stop(int shard, long timeoutMs) throws InterruptedException {
        Running r;
        synchronized (this) {
            r = running.remove(shard);
        }
        if (r == null) return;
        r.consumer.stop();
        r.thread.shutdown();
        r.thread.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public synchronized Collection<ShardConsumerStats> stats() {
        List<ShardConsumerStats> out = new ArrayList<>();
        for (Running r : running.values()) out.add(r.consumer.stats());
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        List<Integer> shards;
        synchronized (this) {
            shards = new ArrayList<>(running.keySet());
        }
        for (int s : shards) stop(s, 10_000);
    }
}

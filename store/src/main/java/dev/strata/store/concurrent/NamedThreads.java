package dev.strata.store.concurrent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place Strata's threads get their names (Kafka's {@code KafkaThread} idea): every executor
 * of the node makes its threads here, so a thread dump names what each thread does. All threads are
 * daemons: the node's lifecycle ({@code close()} of each component) ends the work, never the JVM
 * waiting on a stray thread.
 */
public final class NamedThreads {
    private NamedThreads() {}

    /** Daemon threads all named {@code name}, for executors of one thread (a shard's flush, a connector). */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... in creation order. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, prefix + "-" + n.incrementAndGet());
    }

    /** A fixed pool of {@code threads} daemon threads named {@code prefix-1} .. {@code prefix-threads}. */
    public static ExecutorService fixedPool(int threads, String prefix) {
        return Executors.newFixedThreadPool(threads, numbered(prefix));
    }

    /**
     * A fixed pool of {@code threads} named like {@link #fixedPool} with a bounded queue of {@code queued}
     * waiting tasks (0: none wait): a task beyond both is rejected at once with
     * {@link java.util.concurrent.RejectedExecutionException} (the caller answers 503), never queued without bound.
     */
    public static ExecutorService boundedPool(int threads, int queued, String prefix) {
        BlockingQueue<Runnable> queue = queued > 0 ? new ArrayBlockingQueue<>(queued) : new SynchronousQueue<>();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue, numbered(prefix),
                new ThreadPoolExecutor.AbortPolicy());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

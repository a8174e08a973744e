package dev.strata.node;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixed thread pools with a bounded queue: a task beyond the threads and the queue is rejected with
 * {@link java.util.concurrent.RejectedExecutionException} at once (the caller answers 503), never
 * queued without bound. Threads are daemons named {@code prefix + n}.
 */
final class BoundedExecutor {
    private BoundedExecutor() {}

    /** {@code threads} workers and up to {@code queued} waiting tasks (0: none wait). */
    static ExecutorService create(int threads, int queued, String prefix) {
        AtomicInteger n = new AtomicInteger();
        BlockingQueue<Runnable> queue = queued > 0 ? new ArrayBlockingQueue<>(queued) : new SynchronousQueue<>();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue, r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }
}

package dev.strata.index;

import dev.strata.store.concurrent.NamedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes a shard's new series into Lucene. The ingest thread hands series over
 * in batches ({@link #add}), so {@link ShardIndex#addSeries} costs in-memory work only; this thread
 * turns each batch into documents and adds them to the IndexWriter, in id order. Index-wide steps
 * that must see every series added before them (commit, reader refresh) run as tasks on the same
 * thread ({@link #afterQueued}): the queue is FIFO, so such a task runs after every earlier batch.
 *
 * <p><b>Threading.</b> {@link #add} and {@link #afterQueued} are called under the owner's write
 * lock (one caller at a time). Tasks never take that lock, so the owner may block in {@link #add}
 * (backpressure: at most {@code maxBatches} batches queued) without deadlock.
 *
 * <p><b>Failures.</b> A batch that fails (an I/O error while Lucene flushes a segment, a tragic
 * writer) is not retried: the first failure is kept and every later {@link #add}, task or
 * {@link #checkHealthy} call fails with it as the cause. The series of the failed batch and of later
 * batches are in memory but not in Lucene, so the index must not be committed again; the node
 * recovers by reopening it (the last commit plus Kafka replay).
 */
final class BackgroundIndexer {
    private static final Logger log = LoggerFactory.getLogger(BackgroundIndexer.class);

    /** Adds one batch's documents to Lucene (on the indexer thread). */
    interface BatchSink {
        void index(SeriesBatch batch) throws IOException;
    }

    /** A step run on the indexer thread after every batch queued before it. */
    interface Task<T> {
        T run() throws IOException;
    }

    private final int shard;
    private final int batchSize;
    private final BatchSink sink;
    private final ThreadPoolExecutor thread;
    private final Semaphore queued;
    /** The batch being filled by the owner; guarded by the owner's write lock. */
    private SeriesBatch open;
    private volatile Throwable failure;
    /** Set by {@link #close}: queued batches are skipped (their series would be rolled back anyway). */
    private volatile boolean closing;

    BackgroundIndexer(int shard, int batchSize, int maxBatches, BatchSink sink) {
        this.shard = shard;
        this.batchSize = batchSize;
        this.sink = sink;
        this.queued = new Semaphore(maxBatches);
        // One thread, started on demand and ended after idling: an idle shard holds no thread.
        this.thread = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                NamedThreads.named("strata-index-writer-" + shard));
        this.thread.allowCoreThreadTimeOut(true);
    }

    /**
     * Owner, under its write lock: queues one series (its labels are already recorded in memory;
     * the owner calls {@link #checkHealthy} before recording it). Blocks while {@code maxBatches}
     * full batches wait for the indexer thread.
     */
    void add(int id, byte[] encoded, long hash, long check, long firstMs) {
        if (open == null) open = new SeriesBatch(batchSize);
        open.add(id, encoded, hash, check, firstMs);
        if (open.size() == batchSize) submitOpen();
    }

    /**
     * Owner, under its write lock: hands the partly filled batch over, then queues {@code task}; the
     * returned future completes when the task has run on the indexer thread, after every series
     * added before this call is in Lucene (or fails with the background failure, if any).
     */
    <T> CompletableFuture<T> afterQueued(Task<T> task) {
        checkHealthy();
        if (open != null) submitOpen();
        CompletableFuture<T> done = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                if (closing) throw new AlreadyClosedException("label index of shard " + shard + " is closing");
                Throwable f = failure;
                if (f != null) throw failed(f);
                done.complete(task.run());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    private void submitOpen() {
        SeriesBatch batch = open;
        open = null;
        queued.acquireUninterruptibly();
        try {
            thread.execute(() -> {
                try {
                    if (!closing && failure == null) sink.index(batch);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                    log.error("shard {}: indexing series {}..{} in the background failed; the label index "
                            + "refuses further writes until reopened", shard, batch.firstId(), batch.lastId(), t);
                } finally {
                    queued.release();
                }
            });
        } catch (RuntimeException e) {
            queued.release();
            throw e;
        }
    }

    /** Throws if a background batch failed: UncheckedIOException for an I/O cause, else IllegalStateException. */
    void checkHealthy() {
        Throwable f = failure;
        if (f != null) throw failed(f);
    }

    private RuntimeException failed(Throwable f) {
        String msg = "background indexing of shard " + shard + " failed; the label index must be reopened";
        return f instanceof IOException io ? new UncheckedIOException(msg, io) : new IllegalStateException(msg, f);
    }

    /**
     * Stops the thread: the batch in progress finishes, queued batches are skipped, queued tasks fail
     * with AlreadyClosedException. Returns once the thread no longer touches the IndexWriter.
     */
    void close() {
        closing = true;
        thread.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (thread.awaitTermination(1, TimeUnit.MINUTES)) break;
                log.warn("shard {}: waiting for the index writer thread to stop", shard);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}

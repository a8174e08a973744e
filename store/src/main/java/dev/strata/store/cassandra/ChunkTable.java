package dev.strata.store.cassandra;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads and writes the {@code chunks} table. Rows are partitioned by (shard, series, day bucket of the
 * chunk's start) and clustered by start time. Writes group the rows of one partition into one
 * UNLOGGED batch (a single-partition batch is applied atomically and is the cheapest way to write
 * many rows), and partitions with the same replicas into shared batches ({@link ReplicaBatcher}), with
 * at most {@code maxInFlight} requests outstanding. Each row is written
 * {@code USING TIMESTAMP} its {@link ChunkRow#version()}, so a fuller version of a chunk key wins
 * over an older partial snapshot whatever order writes, retries and replays arrive in. Thread safe.
 */
public final class ChunkTable {
    /** Width of a partition's time bucket: one day, matching the compaction window. */
    public static final long BUCKET_MS = 86_400_000L;
    private static final int MAX_ROWS_PER_BATCH = 50;
    /** A read may span at most this many day buckets (ten years): a guard against unbounded ranges. */
    public static final int MAX_BUCKETS_PER_READ = 3660;

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final long maxChunkSpanMs;
    private final CqlIdentifier keyspace;
    private final int partitionsPerBatch;
    private final LongAdder requestsSent = new LongAdder();
    /**
     * Batches of one flush in flight at once: keeps Cassandra's write path busy while staying far below
     * the driver's per-connection request limit (1024), so flushes of several shards never queue in the driver.
     */
    public static final int MAX_IN_FLIGHT_BATCHES = 16;

    private final int maxInFlight;
    private final Consistency consistency;

    /**
     * @param maxChunkSpanMs the longest time a chunk may cover (the memstore's chunk duration); reads
     *                       look back this far so chunks that start in an earlier bucket are found
     * @param consistency    writes at {@code write()}, reads at {@code read()}
     */
    public ChunkTable(CqlSession session, String keyspace, long maxChunkSpanMs, int maxInFlight, Consistency consistency) {
        this(session, keyspace, maxChunkSpanMs, maxInFlight, consistency, ReplicaBatcher.MAX_PARTITIONS);
    }

    /** @param partitionsPerBatch at most this many partitions share a request (1: one request per partition) */
    ChunkTable(CqlSession session, String keyspace, long maxChunkSpanMs, int maxInFlight, Consistency consistency,
               int partitionsPerBatch) {
        this.partitionsPerBatch = partitionsPerBatch;
        this.session = session;
        this.consistency = consistency;
        this.keyspace = CqlIdentifier.fromCql(keyspace);
        this.maxChunkSpanMs = maxChunkSpanMs;
        this.maxInFlight = maxInFlight;
        this.insert = session.prepare("INSERT INTO " + keyspace + ".chunks (shard, series, bucket, start_ms, epoch, end_ms, samples, data)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
        this.select = session.prepare("SELECT start_ms, end_ms, samples, data FROM " + keyspace + ".chunks"
                + " WHERE shard = ? AND series = ? AND bucket = ? AND start_ms >= ? AND start_ms <= ?");
    }

    public static int bucketOf(long startMs) {
        return (int) Math.floorDiv(startMs, BUCKET_MS);
    }

    /** {@link #write(int, long, List)} in epoch 0. */
    public CompletableFuture<Void> write(int shard, List<ChunkRow> rows) {
        return write(shard, 0, rows);
    }

    /**
     * Writes all rows under writer epoch {@code epoch}; completes when every batch is acknowledged,
     * exceptionally on the first failure.
     *
     * <p>The epoch separates writers whose memory may differ for the same chunk key: a shard that
     * restarted from checkpoint c of a flush group holds only the group's samples of records after
     * c, so its rows must not overwrite rows written by a run that held more. The flush uses
     * {@code checkpoint(g) at start + 1}: runs with the same epoch replay the same records into the
     * same chunks (so overwrites are safe and versioned), runs with different epochs write rows
     * side by side that readers merge. A run's memory also starts a new generation at an early cut
     * (MemShard.cutEarly at offset o: from then on it holds samples of records after o, as a run
     * restarted from checkpoint o would), and writes that generation's rows under that run's epoch.
     * The merge rule for rows side by side (and for memory next to storage): every row is a source of
     * ascending samples, and a timestamp held by several sources is returned once
     * (MergedSampleIterator: the first source in the reader's order wins, memory before storage).
     */
    public CompletableFuture<Void> write(int shard, long epoch, List<ChunkRow> rows) {
        Map<PartitionKey, List<ChunkRow>> byPartition = new LinkedHashMap<>();
        for (ChunkRow r : rows) {
            byPartition.computeIfAbsent(new PartitionKey(r.series(), bucketOf(r.startMs())), k -> new ArrayList<>()).add(r);
        }
        Semaphore permits = new Semaphore(maxInFlight);
        // Set by the first batch that fails; checked before each send so that no batch is started after
        // a failure is known (a flag, not a scan of every pending batch per send: that scan was
        // quadratic in the batches of a flush, 14% of a node's CPU under load).
        AtomicBoolean failed = new AtomicBoolean();
        List<CompletableFuture<AsyncResultSet>> pending = new ArrayList<>();
        ReplicaBatcher batcher = new ReplicaBatcher(session, keyspace, partitionsPerBatch, MAX_ROWS_PER_BATCH, request -> {
            permits.acquireUninterruptibly();
            if (failed.get()) {
                permits.release();
                return false;
            }
            CompletableFuture<AsyncResultSet> f = session.executeAsync(request.setConsistencyLevel(consistency.write()))
                    .toCompletableFuture();
            f.whenComplete((rs, e) -> {
                if (e != null) failed.set(true);
                permits.release();
            });
            pending.add(f);
            requestsSent.increment();
            return true;
        });
        write:
        for (List<ChunkRow> partition : byPartition.values()) {
            for (int from = 0; from < partition.size(); from += MAX_ROWS_PER_BATCH) {
                List<ChunkRow> part = partition.subList(from, Math.min(partition.size(), from + MAX_ROWS_PER_BATCH));
                List<BoundStatement> statements = new ArrayList<>(part.size());
                long bytes = 0;
                for (ChunkRow r : part) {
                    statements.add(bind(shard, epoch, r));
                    bytes += r.data().remaining();
                }
                if (!batcher.add(statements, bytes)) break write;
            }
        }
        batcher.finish();
        // after a failure: fails like the failed request
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    /** Requests (statements or batches) sent to Cassandra by {@link #write} since this table was made. */
    public long requestsSent() {
        return requestsSent.sum();
    }

    private BoundStatement bind(int shard, long epoch, ChunkRow r) {
        return insert.bind(shard, r.series(), bucketOf(r.startMs()), r.startMs(), epoch, r.endMs(), r.samples(), r.data().duplicate(),
                r.version()).setIdempotent(true);
    }

    private record PartitionKey(long series, int bucket) {}

    /** Chunks of one series overlapping [fromMs, toMs], in start-time order. */
    public CompletionStage<List<ChunkRow>> read(int shard, long series, long fromMs, long toMs) {
        long lookBack = fromMs - maxChunkSpanMs;
        if (lookBack > fromMs) lookBack = Long.MIN_VALUE; // overflow
        int first = bucketOf(lookBack);
        int last = bucketOf(toMs);
        if ((long) last - first > MAX_BUCKETS_PER_READ) {
            throw new IllegalArgumentException("chunk read of series " + Long.toHexString(series) + " over [" + fromMs + ", " + toMs
                    + "] spans " + ((long) last - first + 1) + " day buckets, more than " + MAX_BUCKETS_PER_READ + "; narrow the range");
        }
        List<CompletableFuture<List<ChunkRow>>> parts = new ArrayList<>();
        for (int b = first; b <= last; b++) {
            parts.add(readBucket(shard, series, b, lookBack, toMs));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<ChunkRow> out = new ArrayList<>();
            for (CompletableFuture<List<ChunkRow>> p : parts) {
                for (ChunkRow r : p.join()) {
                    if (r.endMs() >= fromMs) out.add(r);
                }
            }
            return out;
        });
    }

    private CompletableFuture<List<ChunkRow>> readBucket(int shard, long series, int bucket, long minStart, long maxStart) {
        List<ChunkRow> out = new ArrayList<>();
        CompletableFuture<List<ChunkRow>> done = new CompletableFuture<>();
        session.executeAsync(select.bind(shard, series, bucket, minStart, maxStart).setPageSize(500)
                        .setConsistencyLevel(consistency.read()))
                .whenComplete((rs, e) -> collect(rs, e, series, out, done));
        return done;
    }

    private static void collect(AsyncResultSet rs, Throwable e, long series, List<ChunkRow> out,
                                CompletableFuture<List<ChunkRow>> done) {
        if (e != null) {
            done.completeExceptionally(e);
            return;
        }
        for (Row row : rs.currentPage()) {
            out.add(new ChunkRow(series, row.getLong(0), row.getLong(1), row.getInt(2), row.getByteBuffer(3), 0));
        }
        if (rs.hasMorePages()) {
            rs.fetchNextPage().whenComplete((next, e2) -> collect(next, e2, series, out, done));
        } else {
            done.complete(out);
        }
    }
}

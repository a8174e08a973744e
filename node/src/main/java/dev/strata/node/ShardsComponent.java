package dev.strata.node;

import dev.strata.ingest.consumer.ConsumerSettings;
import dev.strata.store.concurrent.NamedThreads;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.LogReplacedException;
import dev.strata.ingest.consumer.ShardConsumer;
import dev.strata.ingest.consumer.ShardConsumerStats;
import dev.strata.ingest.consumer.ShardConsumers;
import dev.strata.ingest.flush.FlushMetrics;
import dev.strata.ingest.recovery.DurableShardStart;
import dev.strata.ingest.recovery.ShardRecovery;
import dev.strata.query.distributed.LocalShards;
import dev.strata.node.config.NodeConfig;
import dev.strata.node.status.ClusterOverview;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.cassandra.CassandraSchema;
import dev.strata.store.cassandra.CheckpointTable;
import dev.strata.store.cassandra.ChunkTable;
import dev.strata.store.cassandra.Consistency;
import dev.strata.store.cassandra.SeriesKeyTable;
import dev.strata.store.cassandra.MetricMetadataTable;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.selfmetrics.Counter;
import dev.strata.store.selfmetrics.MetricsRegistry;
import dev.strata.store.paging.ChunkPager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shards this node holds: for each, the label index on the data volume, the in-memory shard and
 * the consumer loop that feeds both from the shard's Kafka partition.
 *
 * <p>Start does not block: a named thread waits until Kafka (with the topic) and Cassandra are
 * connected, creates the Cassandra schema, then starts each shard durably ({@link DurableShardStart}):
 * the label index is opened from the volume (rebuilt from the series-key table when missing or
 * corrupt), the shard's Kafka partition is replayed from its lowest flush-group checkpoint + 1
 * (skipping, per group, what is already durable), and a flush scheduler writes the groups' chunks,
 * series keys and checkpoints to Cassandra in turn. The component is ready when every shard has
 * caught up with the log end offset taken when it opened. Queries read each shard's memory and, for
 * older ranges, page chunks from Cassandra ({@link ChunkPager}).
 *
 * <p>Ownership: the component holds the shards it is told to ({@link #setDesired}): at start this
 * node's share of the static {@link dev.strata.node.cluster.ShardOwnership}, or, with dynamic membership,
 * what {@link dev.strata.node.cluster.ShardHandoff} decides as views change. A newly desired shard opens
 * as at start (durable start: checkpoints, then the Kafka tail) under the same supervision; a shard no
 * longer desired is closed cleanly (consumer stopped, every flush group flushed, index committed and
 * closed), its index staying on the volume for a later re-open. Readiness means every desired shard is
 * open and caught up (false until the first desired set is given).
 *
 * <p>Memory: every open shard gets the same budget, fixed at start ({@link MemoryBudget}); with dynamic
 * membership it is sized for the worst case, every shard on this node (a lone member owns them all), so
 * opening more shards later never overcommits the heap; with fewer shards the heap is simply not all used.
 */
final class ShardsComponent implements Component, LocalShards {
    private static final Logger LOG = LoggerFactory.getLogger(ShardsComponent.class);

    /** The supervisor's view of one desired shard (entries come and go with the desired set). */
    private static final class ShardHealth {
        volatile String state = "waiting for Kafka and Cassandra";
        volatile int failures;
        volatile long openedNanos;
        final Counter restarts;

        ShardHealth(Counter restarts) {
            this.restarts = restarts;
        }
    }

    /** One open shard: its index, memory, Kafka consumer and durable start (consumer loop + flusher). */
    private record OpenShard(int shard, ShardIndex index, MemShard memory, KafkaConsumer<byte[], byte[]> consumer,
                             DurableShardStart durable, ChunkPager pager, String topicId) {}

    private final NodeConfig config;
    private final long memoryBudgetPerShard;
    /** The shards to hold (guarded by this); null until the first {@link #setDesired} (dynamic membership, no view yet). */
    private java.util.SortedSet<Integer> desired;
    /** Shards with an open attempt scheduled or running, or a restart under way (guarded by this). */
    private final java.util.Set<Integer> pending = new java.util.HashSet<>();
    /** Shards being closed after their release (guarded by this): opened again only once closed. */
    private final java.util.Set<Integer> closing = new java.util.HashSet<>();
    private final dev.strata.store.selfmetrics.Family<Counter> restarts;
    private final BooleanSupplier kafkaReady;
    private final BooleanSupplier cassandraReady;
    private final Supplier<CqlSession> cassandra;
    private final Supplier<Admin> kafkaAdmin;
    private final FlushMetrics flushMetrics;
    private final ShardRecovery.Counters recoveryCounters;
    private final ShardConsumers consumers = new ShardConsumers();
    /** Every owned shard's appends report here, for the range-query results cache. */
    private final dev.strata.store.memstore.LateWrites lateWrites = new dev.strata.store.memstore.LateWrites();
    private final List<OpenShard> open = new CopyOnWriteArrayList<>();
    private final ExecutorService opener = Executors.newSingleThreadExecutor(NamedThreads.named("strata-shards-open"));
    /**
     * Shards opened at the same time at start: opening is mostly waiting (Cassandra reads of checkpoints,
     * the index directory), so a few in parallel cut the start time of a node with many shards without
     * stealing the cores the replays that follow need.
     */
    private static final int OPEN_PARALLELISM = 4;
    private final ExecutorService shardOpeners = NamedThreads.fixedPool(OPEN_PARALLELISM, "strata-shards-open");
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(
            NamedThreads.named("strata-shards-supervisor"));
    /** Closes released shards (flush, index commit): one at a time, off the supervisor so restarts are not held up. */
    private final ExecutorService closer = Executors.newSingleThreadExecutor(NamedThreads.named("strata-shards-close"));
    /** Per desired shard: what the supervisor knows (state text for the status page, failures for the back-off). */
    private final Map<Integer, ShardHealth> health = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile DurableShardStart.Tables tables;
    private volatile MemShardOptions options;
    private volatile boolean stopping;

    /**
     * @param kafkaReady     true once the Kafka connector has reached the cluster and the topic exists
     * @param cassandraReady true once the Cassandra connector has a session (and the keyspace exists)
     * @param cassandra      the connected session (asked for only after cassandraReady)
     * @param kafkaAdmin     the connected Kafka admin client (asked for only after kafkaReady): the topic's id
     * @param owned          the shards to open, or null to wait for {@link #setDesired} (dynamic membership)
     * @param memoryBudgetPerShard each shard's memory budget, checked against the heap ({@link MemoryBudget})
     */
    ShardsComponent(NodeConfig config, BooleanSupplier kafkaReady, BooleanSupplier cassandraReady,
                    Supplier<CqlSession> cassandra, Supplier<Admin> kafkaAdmin, MetricsRegistry metrics, List<Integer> owned,
                    long memoryBudgetPerShard) {
        this.config = config;
        this.memoryBudgetPerShard = memoryBudgetPerShard;
        this.desired = owned == null ? null : new java.util.TreeSet<>(owned);
        this.kafkaReady = kafkaReady;
        this.cassandraReady = cassandraReady;
        this.cassandra = cassandra;
        this.kafkaAdmin = kafkaAdmin;
        this.flushMetrics = new FlushMetrics(metrics);
        this.restarts = metrics.counterFamily("strata_ingest_shard_restarts_total",
                "Times a shard failed to open or its consumer loop failed, and it was started again after a back-off.", "shard");
        if (owned != null) for (int shard : owned) health.put(shard, new ShardHealth(restarts.labels(Integer.toString(shard))));
        this.recoveryCounters = new ShardRecovery.Counters(
                metrics.counter("strata_recovery_offsets_lost_total",
                        "Kafka offsets recovery needed that the log no longer held (data loss; see the log)."),
                metrics.counter("strata_ingest_log_replaced_total",
                        "Shard starts that found their checkpoints belong to another log (topic recreated, Kafka rebuilt): the new log"
                                + " is read from its beginning; unflushed records of the old one are gone (see the log)."));
        metrics.gauge("strata_memory_budget_bytes", "Memory budget of the open shards' series, write buffers and chunks together"
                + " (store.memory-budget-per-shard each; per shard: memoryBudgetBytes in /api/v1/status/local-shards).",
                () -> (double) memoryBudgetPerShard * open.size());
        metrics.gauge("strata_memory_used_bytes", "Memory accounted against the open shards' budgets (series, write buffers, chunks,"
                + " paged chunks), all shards; at the budget ingestion pauses (back-pressure).",
                () -> open.stream().mapToLong(s -> s.memory().usedBytes()).sum());
        metrics.gauge("strata_paged_chunk_cache_bytes", "Memory held by chunks paged in from Cassandra, all shards.",
                () -> open.stream().mapToLong(s -> s.pager().cachedBytes()).sum());
        metrics.counter("strata_paged_chunk_cache_hits_total", "Storage reads of queries answered by paged chunks kept in memory.",
                () -> open.stream().mapToLong(s -> s.pager().cacheHits()).sum());
        metrics.counter("strata_paged_chunk_cache_misses_total", "Storage reads of queries that went to Cassandra.",
                () -> open.stream().mapToLong(s -> s.pager().cacheMisses()).sum());
    }

    @Override
    public String name() {
        return "shards";
    }

    @Override
    public void start() {
        opener.execute(this::openAll);
    }

    private void openAll() {
        DurableShardStart.Tables tables = null;
        MemShardOptions options = config.memory().toOptions(memoryBudgetPerShard);
        for (int attempt = 1; tables == null; attempt++) {
            try {
                while (!kafkaReady.getAsBoolean() || !cassandraReady.getAsBoolean()) {
                    if (stopping) return;
                    Thread.sleep(100);
                }
                CqlSession session = cassandra.get();
                String keyspace = config.cassandra().keyspace();
                CassandraSchema.create(session, keyspace, config.cassandra().replication(), config.durability().retention());
                Consistency consistency = consistency(config, session);
                tables = new DurableShardStart.Tables(new ChunkTable(session, keyspace, options.chunkDurationMs(), ChunkTable.MAX_IN_FLIGHT_BATCHES, consistency),
                        new SeriesKeyTable(session, keyspace, consistency), new CheckpointTable(session, keyspace, consistency),
                        new MetricMetadataTable(session, keyspace, consistency));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (stopping) return;
                long delay = backoffMs(attempt);
                LOG.error("shards: preparing the Cassandra schema failed (attempt {}); retrying in {} ms", attempt, delay, e);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        this.options = options;
        // Shards open concurrently (index open, checkpoints, recovery plan: mostly I/O waits), so a
        // restart's replays start together instead of one after another; each is supervised on its own.
        synchronized (this) {
            this.tables = tables;
            reconcile();
        }
        supervisor.scheduleWithFixedDelay(this::checkTopicId, TOPIC_CHECK_MS, TOPIC_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** How often the topic's id is compared with the one each open shard planned against. */
    private static final long TOPIC_CHECK_MS = 5_000;

    /**
     * The topic deleted and recreated while shards run: offsets start again at 0 and the consumers'
     * positions, skips and checkpoints mean nothing there. A consumer whose position is beyond the new
     * log's end notices by itself ({@link dev.strata.ingest.consumer.LogReplacedException}); one whose
     * position the new log already passed would read on and miss its beginning, so the topic id is
     * checked here too, and every shard opened on another id is restarted (it then plans a new log).
     */
    private void checkTopicId() {
        if (stopping || open.isEmpty()) return;
        String current;
        try {
            current = topicId(config.kafka().topic());
        } catch (Exception e) {
            return; // Kafka unreachable or the topic absent for now: the consumers wait; checked again later
        }
        for (OpenShard s : open) {
            if (!s.topicId().equals(current)) {
                restart(s.shard(), s.durable().consumer(), new LogReplacedException("shard " + s.shard() + ": topic " + config.kafka().topic()
                        + " now has id " + current + ", the shard was reading id " + s.topicId() + " (deleted and recreated?)"));
            }
        }
    }

    /** The configured consistency levels, {@code auto} derived from the keyspace's replication factor. */
    static Consistency consistency(NodeConfig config, CqlSession session) {
        var c = config.cassandra();
        int rf = CassandraSchema.replicationFactor(session, c.keyspace(), c.localDatacenter());
        Consistency levels = new Consistency(Consistency.parse(c.writeConsistency(), rf),
                Consistency.parse(c.checkpointConsistency(), rf), Consistency.parse(c.readConsistency(), rf));
        LOG.info("cassandra: keyspace {} has replication factor {}; consistency: writes {}, checkpoints {}, reads {}",
                c.keyspace(), rf, levels.write(), levels.checkpoint(), levels.read());
        return levels;
    }

    /** Back-off before attempt {@code attempt} (1-based) of opening a shard again: 1 s doubling, at most 60 s. */
    private static long backoffMs(int attempt) {
        return Math.min(60_000L, 1000L << Math.min(6, Math.max(0, attempt - 1)));
    }

    private void submitOpen(int shard, long delayMs) {
        if (stopping) return;
        try {
            supervisor.schedule(() -> shardOpeners.execute(() -> tryOpen(shard)), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            if (!stopping) throw e;
        }
    }

    /**
     * Makes the open shards follow the desired set (dynamic membership; the static form sets it once):
     * schedules an open for each desired shard not open, opening or closing, and closes each open shard
     * no longer desired. Nothing happens before the Cassandra schema is ready ({@link #openAll} calls
     * this then). Caller holds the lock.
     */
    private void reconcile() {
        if (tables == null || stopping || desired == null) return;
        java.util.Set<Integer> isOpen = new java.util.HashSet<>();
        for (OpenShard s : open) isOpen.add(s.shard());
        for (int shard : desired) {
            if (isOpen.contains(shard) || pending.contains(shard) || closing.contains(shard)) continue;
            health.computeIfAbsent(shard, k -> new ShardHealth(restarts.labels(Integer.toString(k))));
            pending.add(shard);
            submitOpen(shard, 0);
        }
        for (OpenShard s : open) {
            if (desired.contains(s.shard())) continue;
            open.remove(s); // queries stop reading it here; peers asking for it are told it is not served
            closing.add(s.shard());
            ShardHealth h = health.get(s.shard());
            if (h != null) h.state = "released, closing";
            closer.execute(() -> closeReleased(s));
        }
        health.keySet().removeIf(shard -> !desired.contains(shard) && !pending.contains(shard) && !closing.contains(shard));
    }

    /** Closes a released shard cleanly (its index stays on the volume), then lets a later desire open it again. */
    private void closeReleased(OpenShard s) {
        long t0 = System.nanoTime();
        closeQuietly(s, true);
        LOG.info("shard {}: closed after its release (flushed, index committed) in {} ms", s.shard(), (System.nanoTime() - t0) / 1_000_000);
        synchronized (this) {
            closing.remove(s.shard());
            reconcile();
        }
    }

    /**
     * Sets the shards this node holds: opens the new ones, closes (cleanly) the ones left out. Returns at
     * once; {@link #isReady()} tells when every desired shard is open and caught up.
     */
    synchronized void setDesired(java.util.Set<Integer> shards) {
        java.util.SortedSet<Integer> next = new java.util.TreeSet<>(shards);
        if (next.equals(desired)) return;
        desired = next;
        reconcile();
    }

    /** The shards this node is to hold (empty before the first desired set). */
    synchronized java.util.SortedSet<Integer> desired() {
        return desired == null ? new java.util.TreeSet<>() : new java.util.TreeSet<>(desired);
    }

    /** The shards open here and caught up: what membership announces as this node's ready shards. */
    java.util.SortedSet<Integer> readyShards() {
        java.util.SortedSet<Integer> out = new java.util.TreeSet<>();
        for (OpenShard s : open) {
            ShardConsumerStats st = s.durable().consumer().stats();
            if (st.running() && st.ready()) out.add(s.shard());
        }
        return out;
    }

    /** Opens one shard, or schedules another attempt with back-off; the shard's state says which. */
    private void tryOpen(int shard) {
        ShardHealth h;
        synchronized (this) {
            h = health.get(shard);
            if (stopping || desired == null || !desired.contains(shard) || h == null) {
                pending.remove(shard); // released before it opened
                if (!stopping) reconcile();
                return;
            }
            h.state = "opening";
        }
        try {
            OpenShard s = openShard(shard, options, tables);
            synchronized (this) {
                pending.remove(shard);
                open.add(s);
                open.sort(Comparator.comparingInt(OpenShard::shard));
                h.state = "running";
                h.openedNanos = System.nanoTime();
                if (stopping) return; // stop() closes what is in `open`
                if (open.size() == desired.size()) LOG.info("opened {} shards: {}", open.size(), desired);
                reconcile(); // released while it opened: closed again at once
            }
        } catch (Exception e) {
            synchronized (this) {
                if (stopping) return;
                h.failures++;
                h.restarts.inc();
                long delay = backoffMs(h.failures);
                h.state = "open failed, retrying in " + delay + " ms: " + e;
                LOG.error("shard {}: opening failed (attempt {}); retrying in {} ms", shard, h.failures, delay, e);
                submitOpen(shard, delay); // still pending; tryOpen drops it if it is no longer desired
            }
        }
    }

    /**
     * The shard's consumer loop ended with an error: close the shard (its unflushed memory is dropped;
     * recovery replays it from the checkpoints) and open it again after a back-off. Until then the shard
     * is not ready, and the status page and {@code strata_ingest_shard_restarts_total} say so.
     */
    private void restart(int shard, ShardConsumer failed, Throwable error) {
        ShardHealth h;
        OpenShard s;
        synchronized (this) {
            if (stopping) return;
            h = health.get(shard);
            s = open.stream().filter(o -> o.durable().consumer() == failed).findFirst().orElse(null);
            if (s == null || h == null) return; // that instance was already restarted, or released
            open.remove(s);
            pending.add(shard); // reconcile leaves it to this restart
        }
        closeQuietly(s, false);
        if (System.nanoTime() - h.openedNanos > 60_000_000_000L) h.failures = 0; // it ran a while: start the back-off over
        h.failures++;
        h.restarts.inc();
        long delay = backoffMs(h.failures);
        h.state = "consumer failed, restarting in " + delay + " ms: " + error;
        LOG.error("shard {}: the consumer loop failed; restarting the shard in {} ms (restart {})", shard, delay, h.failures, error);
        submitOpen(shard, delay);
    }

    /** Stops and closes one open shard; with {@code flush}, flushes every group first (a clean stop). */
    private void closeQuietly(OpenShard s, boolean flush) {
        try {
            consumers.stop(s.shard(), 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (flush) {
            try {
                s.durable().scheduler().flushAll().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("shard {}: final flush failed; recovery will replay from the last checkpoint: {}", s.shard(), e.toString());
            }
        }
        try {
            s.durable().scheduler().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            s.consumer().close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("shard {}: closing the Kafka consumer failed", s.shard(), e);
        }
        try {
            // The index commits what the consumer applied only on a clean stop; after a failure its last
            // commit (made by a flush, before a checkpoint) stays the one recovery trusts.
            if (flush) s.index().commit(s.durable().consumer().appliedOffset());
            s.index().close();
        } catch (Exception e) {
            LOG.warn("shard {}: closing the label index failed", s.shard(), e);
        }
    }

    private OpenShard openShard(int shard, MemShardOptions options, DurableShardStart.Tables tables) throws Exception {
        Path dir = config.storage().dataDir().resolve("index").resolve("shard-" + shard);
        ShardIndex index = ShardIndex.open(dir, shard, tables.seriesKeys());
        KafkaConsumer<byte[], byte[]> consumer = null;
        DurableShardStart durable;
        MemShard memory;
        String topicId;
        try {
            memory = new MemShard(shard, options);
            memory.lateWrites(lateWrites);
            consumer = new KafkaConsumer<>(ConsumerSettings.of(config.kafka().bootstrapServers(),
                    "strata-node-" + config.cluster().ordinal() + "-shard-" + shard));
            String topic = config.kafka().topic();
            topicId = topicId(topic);
            durable = DurableShardStart.prepare(shard, topic, topicId, memory, index, consumer, tables,
                    config.durability().toFlushConfig(config.memory().memoryRetention()), flushMetrics, recoveryCounters,
                    ConsumerSettings.POLL_TIMEOUT);
        } catch (Exception | Error e) {
            if (consumer != null) consumer.close(Duration.ZERO);
            index.close();
            throw e;
        }
        consumers.start(durable.consumer()).whenComplete((v, e) -> {
            if (e != null && !stopping) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                supervisor.execute(() -> restart(shard, durable.consumer(), cause));
            }
        });
        durable.scheduler().start();
        LOG.info("shard {}: index at {} ({} series), replaying from offset {}", shard, dir, index.seriesCount(),
                durable.plan().startOffset());
        ChunkPager pager = new ChunkPager(shard, memory, tables.chunks()::read, ChunkPager.CONCURRENT_READS, config.query().timeout(),
                config.memory().pagedChunkCachePerShard());
        return new OpenShard(shard, index, memory, consumer, durable, pager, topicId);
    }

    /** The topic's Kafka topic id now: checkpoints are bound to it. */
    private String topicId(String topic) throws Exception {
        return kafkaAdmin.get().describeTopics(List.of(topic)).allTopicNames()
                .get(config.kafka().requestTimeout().toMillis(), TimeUnit.MILLISECONDS).get(topic).topicId().toString();
    }

    /** The metric metadata table, null until the Cassandra schema is ready (also on a node that owns no shards). */
    MetricMetadataTable metadataTable() {
        DurableShardStart.Tables t = tables;
        return t == null ? null : t.metadata();
    }

    /** The shards open so far, for queries. */
    List<LocalShardsQueryable.Shard> shards() {
        List<LocalShardsQueryable.Shard> out = new ArrayList<>(open.size());
        for (OpenShard s : open) out.add(new LocalShardsQueryable.Shard(s.index(), s.memory(), s.pager()));
        return out;
    }

    Collection<ShardConsumerStats> stats() {
        return consumers.stats();
    }

    /** Each desired shard's supervision state, for the status page. */
    Map<Integer, String> states() {
        Map<Integer, String> m = new java.util.TreeMap<>();
        health.forEach((shard, h) -> m.put(shard, h.state));
        return m;
    }

    /** Caught up with the end offsets taken at open, on every desired shard (false before the first desired set). */
    @Override
    public boolean isReady() {
        java.util.SortedSet<Integer> want;
        synchronized (this) {
            if (desired == null) return false;
            want = new java.util.TreeSet<>(desired);
        }
        return readyShards().containsAll(want);
    }

    /**
     * Stops consuming, flushes every group once more (so a restart replays little; a failure is only
     * logged: the checkpoints then still cover what is durable), stops the flush schedulers, closes
     * the Kafka consumers and commits and closes the indexes.
     */
    @Override
    public void stop() throws Exception {
        stopping = true;
        opener.shutdownNow();
        opener.awaitTermination(30, TimeUnit.SECONDS);
        supervisor.shutdownNow();
        supervisor.awaitTermination(30, TimeUnit.SECONDS);
        closer.shutdown(); // a release being closed finishes (flush, index commit)
        closer.awaitTermination(90, TimeUnit.SECONDS);
        shardOpeners.shutdown(); // a shard being opened finishes opening and joins `open`, to be closed below
        shardOpeners.awaitTermination(60, TimeUnit.SECONDS);
        consumers.close();
        List<OpenShard> left;
        synchronized (this) {
            left = List.copyOf(open);
            open.clear();
        }
        for (OpenShard s : left) closeQuietly(s, true);
    }

    /** Per open shard: its flush times (for the cluster page). */
    List<ClusterOverview.FlushTimes> flushTimes() {
        List<ClusterOverview.FlushTimes> out = new ArrayList<>();
        for (OpenShard s : open) {
            out.add(new ClusterOverview.FlushTimes(s.shard(), s.durable().flusher().lastFlushMs(),
                    s.durable().flusher().oldestCheckpointMs(), s.durable().scheduler().consecutiveFailures()));
        }
        return out;
    }

    /** For tests: offsets reached per shard. */
    Map<Integer, Long> positions() {
        Map<Integer, Long> m = new java.util.TreeMap<>();
        for (OpenShard s : open) m.put(s.shard(), s.durable().consumer().stats().position());
        return m;
    }

    @Override
    public Map<Integer, LocalShards.ShardProgress> progress() {
        Map<Integer, LocalShards.ShardProgress> m = new java.util.TreeMap<>();
        for (int s : desired()) m.put(s, new LocalShards.ShardProgress(false, 0, 0, false, -1, -1));
        long now = System.currentTimeMillis();
        for (OpenShard s : open) {
            ShardConsumerStats st = s.durable().consumer().stats();
            m.put(s.shard(), new LocalShards.ShardProgress(true, st.position(), st.replayTarget(), st.running(), st.lag(),
                    st.atRiskAgeMs(now)));
        }
        return m;
    }

    @Override
    public boolean isReady(int shard) {
        for (OpenShard s : open) {
            if (s.shard() != shard) continue;
            ShardConsumerStats st = s.durable().consumer().stats();
            return st.running() && st.ready();
        }
        return false;
    }

    @Override
    public List<LocalShardsQueryable.Shard> open(java.util.Set<Integer> wanted) {
        List<LocalShardsQueryable.Shard> out = new ArrayList<>();
        for (OpenShard s : open) {
            if (wanted.contains(s.shard())) out.add(new LocalShardsQueryable.Shard(s.index(), s.memory(), s.pager()));
        }
        return out;
    }

    /** The late writes of this node's shards (see {@link dev.strata.store.memstore.LateWrites}). */
    public dev.strata.store.memstore.LateWrites lateWrites() {
        return lateWrites;
    }
}

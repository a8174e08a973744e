package dev.strata.node;

import dev.strata.ingest.consumer.ConsumerSettings;
import dev.strata.store.concurrent.NamedThreads;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.ShardConsumerStats;
import dev.strata.ingest.consumer.ShardConsumers;
import dev.strata.ingest.flush.FlushMetrics;
import dev.strata.ingest.recovery.DurableShardStart;
import dev.strata.query.distributed.LocalShards;
import dev.strata.node.config.NodeConfig;
import dev.strata.node.status.ClusterOverview;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.cassandra.CassandraSchema;
import dev.strata.store.cassandra.CheckpointTable;
import dev.strata.store.cassandra.ChunkTable;
import dev.strata.store.cassandra.SeriesKeyTable;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
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
 * <p>Ownership: the component opens exactly the shards it is given (this node's share, from
 * {@link dev.strata.node.cluster.ShardOwnership}); readiness means every one of them caught up.
 */
final class ShardsComponent implements Component, LocalShards {
    private static final Logger LOG = LoggerFactory.getLogger(ShardsComponent.class);

    /** One open shard: its index, memory, Kafka consumer and durable start (consumer loop + flusher). */
    private record OpenShard(int shard, ShardIndex index, MemShard memory, KafkaConsumer<byte[], byte[]> consumer,
                             DurableShardStart durable, ChunkPager pager) {}

    private final NodeConfig config;
    private final List<Integer> owned;
    private final BooleanSupplier kafkaReady;
    private final BooleanSupplier cassandraReady;
    private final Supplier<CqlSession> cassandra;
    private final FlushMetrics flushMetrics;
    private final Counter offsetsLost;
    private final ShardConsumers consumers = new ShardConsumers();
    private final List<OpenShard> open = new CopyOnWriteArrayList<>();
    private final ExecutorService opener = Executors.newSingleThreadExecutor(NamedThreads.named("strata-shards-open"));
    /**
     * Shards opened at the same time at start: opening is mostly waiting (Cassandra reads of checkpoints,
     * the index directory), so a few in parallel cut the start time of a node with many shards without
     * stealing the cores the replays that follow need.
     */
    private static final int OPEN_PARALLELISM = 4;
    private final ExecutorService shardOpeners = NamedThreads.fixedPool(OPEN_PARALLELISM, "strata-shards-open");
    private volatile boolean allOpen;
    private volatile boolean stopping;

    /**
     * @param kafkaReady     true once the Kafka connector has reached the cluster and the topic exists
     * @param cassandraReady true once the Cassandra connector has a session (and the keyspace exists)
     * @param cassandra      the connected session (asked for only after cassandraReady)
     * @param owned          the shards to open (ascending)
     */
    ShardsComponent(NodeConfig config, BooleanSupplier kafkaReady, BooleanSupplier cassandraReady,
                    Supplier<CqlSession> cassandra, MetricsRegistry metrics, List<Integer> owned) {
        this.config = config;
        this.owned = List.copyOf(owned);
        this.kafkaReady = kafkaReady;
        this.cassandraReady = cassandraReady;
        this.cassandra = cassandra;
        this.flushMetrics = new FlushMetrics(metrics);
        this.offsetsLost = metrics.counter("strata_recovery_offsets_lost_total",
                "Kafka offsets recovery needed that the log no longer held (data loss; see the log).");
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
        try {
            while (!kafkaReady.getAsBoolean() || !cassandraReady.getAsBoolean()) {
                if (stopping) return;
                Thread.sleep(100);
            }
            CqlSession session = cassandra.get();
            String keyspace = config.cassandra().keyspace();
            CassandraSchema.create(session, keyspace, config.cassandra().replication(), config.durability().retention());
            MemShardOptions options = config.memory().toOptions();
            DurableShardStart.Tables tables = new DurableShardStart.Tables(
                    new ChunkTable(session, keyspace, options.chunkDurationMs(), ChunkTable.MAX_IN_FLIGHT_BATCHES),
                    new SeriesKeyTable(session, keyspace), new CheckpointTable(session, keyspace));
            // Shards open concurrently (index open, checkpoints, recovery plan: mostly I/O waits), so a
            // restart's replays start together instead of one after another. Each opened shard joins
            // `open` at once, so stop() closes it even if another shard failed to open.
            List<CompletableFuture<Void>> opening = new ArrayList<>();
            for (int shard : owned) {
                opening.add(CompletableFuture.runAsync(() -> {
                    if (stopping) return;
                    try {
                        open.add(openShard(shard, options, tables));
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, shardOpeners));
            }
            try {
                CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get();
            } catch (ExecutionException e) {
                if (!stopping) throw e.getCause() instanceof Exception ex ? ex : e;
            }
            open.sort(Comparator.comparingInt(OpenShard::shard));
            allOpen = !stopping;
            LOG.info("opened {} shards: {}", open.size(), owned);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("opening shards failed; the node stays not ready", e);
        }
    }

    private OpenShard openShard(int shard, MemShardOptions options, DurableShardStart.Tables tables) throws Exception {
        Path dir = config.storage().dataDir().resolve("index").resolve("shard-" + shard);
        ShardIndex index = ShardIndex.open(dir, shard, tables.seriesKeys());
        MemShard memory = new MemShard(shard, options);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ConsumerSettings.of(config.kafka().bootstrapServers(),
                "strata-node-" + config.cluster().ordinal() + "-shard-" + shard));
        DurableShardStart durable = DurableShardStart.prepare(shard, config.kafka().topic(), memory, index, consumer, tables,
                config.durability().toFlushConfig(config.memory().memoryRetention()), flushMetrics, offsetsLost, ConsumerSettings.POLL_TIMEOUT);
        consumers.start(durable.consumer()).whenComplete((v, e) -> {
            if (e != null && !stopping) LOG.error("shard {} consumer ended with an error", shard, e);
        });
        durable.scheduler().start();
        LOG.info("shard {}: index at {} ({} series), replaying from offset {}", shard, dir, index.seriesCount(),
                durable.plan().startOffset());
        ChunkPager pager = new ChunkPager(shard, memory, tables.chunks()::read, ChunkPager.CONCURRENT_READS, config.query().timeout(),
                config.memory().pagedChunkCachePerShard());
        return new OpenShard(shard, index, memory, consumer, durable, pager);
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

    /** Caught up with the end offsets taken at open, on every shard. */
    @Override
    public boolean isReady() {
        if (!allOpen) return false;
        for (OpenShard s : open) {
            ShardConsumerStats st = s.durable().consumer().stats();
            if (!st.running() || !st.ready()) return false;
        }
        return true;
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
        shardOpeners.shutdown(); // a shard being opened finishes opening and joins `open`, to be closed below
        shardOpeners.awaitTermination(60, TimeUnit.SECONDS);
        consumers.close();
        for (OpenShard s : open) {
            try {
                s.durable().scheduler().flushAll().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("shard {}: final flush failed; recovery will replay from the last checkpoint: {}", s.shard(), e.toString());
            }
            s.durable().scheduler().close();
            try {
                s.consumer().close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("shard {}: closing the Kafka consumer failed", s.shard(), e);
            }
            try {
                s.index().commit(s.durable().consumer().appliedOffset());
                s.index().close();
            } catch (Exception e) {
                LOG.warn("shard {}: closing the label index failed", s.shard(), e);
            }
        }
        open.clear();
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

    /** The shards this component opens. */
    List<Integer> owned() {
        return owned;
    }

    @Override
    public Map<Integer, LocalShards.ShardProgress> progress() {
        Map<Integer, LocalShards.ShardProgress> m = new java.util.TreeMap<>();
        for (int s : owned) m.put(s, new LocalShards.ShardProgress(false, 0, 0, false, -1));
        for (OpenShard s : open) {
            ShardConsumerStats st = s.durable().consumer().stats();
            m.put(s.shard(), new LocalShards.ShardProgress(true, st.position(), st.replayTarget(), st.running(), st.lag()));
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
}

package dev.strata.node;

import dev.strata.index.ShardIndex;
import dev.strata.ingest.consumer.MemShardStore;
import dev.strata.ingest.consumer.ShardConsumer;
import dev.strata.ingest.consumer.ShardConsumerConfig;
import dev.strata.ingest.consumer.ShardConsumerStats;
import dev.strata.ingest.consumer.ShardConsumers;
import dev.strata.ingest.consumer.ShardIndexSeries;
import dev.strata.node.config.NodeConfig;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.series.SeriesKeyListing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shards this node holds: for each, the label index on the data volume, the in-memory shard and
 * the consumer loop that feeds both from the shard's Kafka partition.
 *
 * <p>Start does not block: a named thread waits until Kafka is connected (and the topic exists), then
 * opens each shard and starts its consumer from the beginning of the partition, since memory is
 * empty after a start and the log is the source of truth. The component is ready when every shard's
 * consumer has reached the end offset the partition had when the shard opened.
 *
 * <p>Ownership: this node holds every shard (single-node operation). Shard ownership across several
 * nodes is the Cluster issue's work.
 */
final class ShardsComponent implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(ShardsComponent.class);

    /** One open shard and the end offset its partition had when it opened. */
    private record OpenShard(int shard, ShardIndex index, MemShard memory, KafkaConsumer<byte[], byte[]> consumer,
                             ShardConsumer loop, long endAtOpen) {}

    private final NodeConfig config;
    private final BooleanSupplier kafkaReady;
    private final SeriesKeyListing rebuildSource;
    private final ShardConsumers consumers = new ShardConsumers();
    private final List<OpenShard> open = new CopyOnWriteArrayList<>();
    private final ExecutorService opener = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "strata-shards-open");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean allOpen;
    private volatile boolean stopping;

    /**
     * @param kafkaReady    true once the Kafka connector has reached the cluster and the topic exists
     * @param rebuildSource where a missing or corrupt label index is rebuilt from
     */
    ShardsComponent(NodeConfig config, BooleanSupplier kafkaReady, SeriesKeyListing rebuildSource) {
        this.config = config;
        this.kafkaReady = kafkaReady;
        this.rebuildSource = rebuildSource;
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
            while (!kafkaReady.getAsBoolean()) {
                if (stopping) return;
                Thread.sleep(100);
            }
            MemShardOptions options = config.memory().toOptions();
            for (int shard = 0; shard < config.cluster().shards() && !stopping; shard++) {
                open.add(openShard(shard, options));
            }
            allOpen = !stopping;
            LOG.info("opened {} shards", open.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("opening shards failed; the node stays not ready", e);
        }
    }

    private OpenShard openShard(int shard, MemShardOptions options) throws Exception {
        Path dir = config.storage().dataDir().resolve("index").resolve("shard-" + shard);
        ShardIndex index = ShardIndex.open(dir, shard, rebuildSource);
        MemShard memory = new MemShard(shard, options);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(shard));
        TopicPartition tp = new TopicPartition(config.kafka().topic(), shard);
        long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
        ShardConsumer loop = new ShardConsumer(ShardConsumerConfig.of(config.kafka().topic(), shard, -1), consumer,
                new MemShardStore(memory), new ShardIndexSeries(index), System::nanoTime);
        consumers.start(loop).whenComplete((v, e) -> {
            if (e != null && !stopping) LOG.error("shard {} consumer ended with an error", shard, e);
        });
        LOG.info("shard {}: index at {} ({} series), replaying partition from the beginning to offset {}",
                shard, dir, index.seriesCount(), end);
        return new OpenShard(shard, index, memory, consumer, loop, end);
    }

    private Properties consumerProperties(int shard) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "strata-node-" + config.cluster().ordinal() + "-shard-" + shard);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 << 20);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** The shards open so far, for queries. */
    List<LocalShardsQueryable.Shard> shards() {
        List<LocalShardsQueryable.Shard> out = new ArrayList<>(open.size());
        for (OpenShard s : open) out.add(new LocalShardsQueryable.Shard(s.index(), s.memory()));
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
            ShardConsumerStats st = s.loop().stats();
            if (!st.running() || st.position() < s.endAtOpen()) return false;
        }
        return true;
    }

    @Override
    public void stop() throws Exception {
        stopping = true;
        opener.shutdownNow();
        opener.awaitTermination(30, TimeUnit.SECONDS);
        consumers.close();
        for (OpenShard s : open) {
            try {
                s.consumer().close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("shard {}: closing the Kafka consumer failed", s.shard(), e);
            }
            long position = s.loop().stats().position();
            try {
                s.index().commit(position - 1);
                s.index().close();
            } catch (Exception e) {
                LOG.warn("shard {}: closing the label index failed", s.shard(), e);
            }
        }
        open.clear();
    }

    /** For tests: offsets reached per shard. */
    Map<Integer, Long> positions() {
        Map<Integer, Long> m = new java.util.TreeMap<>();
        for (OpenShard s : open) m.put(s.shard(), s.loop().stats().position());
        return m;
    }
}

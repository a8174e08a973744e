package dev.strata.node.config;

import static dev.strata.node.config.Validator.atLeast;
import static dev.strata.node.config.Validator.matches;
import static dev.strata.node.config.Validator.minDuration;
import static dev.strata.node.config.Validator.nonEmpty;
import static dev.strata.node.config.Validator.range;

import java.time.Duration;
import java.util.List;

/**
 * Every configuration key of a Strata node, declared once. docs/configuration.md is generated from
 * this class ({@code bin/strata config docs > docs/configuration.md}); a test fails when they differ.
 *
 * <p>To add a key: define it here (in the section of its area), read it in that area's settings
 * record's {@code from(ResolvedConfig)} factory, and regenerate the docs.
 */
public final class ConfigKeys {
    /** The declaration. Must stay the first field: the keys below register into it as they initialise. */
    public static final ConfigDef DEF = new ConfigDef();

    // ---- http
    public static final ConfigKey<String> HTTP_BIND = DEF.define("http.bind", ConfigType.STRING, "0.0.0.0",
            nonEmpty(), "Address the HTTP server listens on.");
    public static final ConfigKey<Integer> HTTP_PORT = DEF.define("http.port", ConfigType.INT, "9090",
            range(0, 65535), "Port of the HTTP server (Prometheus API, ingestion, /metrics, health). 0 picks a free port.");
    public static final ConfigKey<Long> HTTP_MAX_REQUEST_BYTES = DEF.define("http.max-request-bytes", ConfigType.SIZE,
            "32MiB", range(1024, Integer.MAX_VALUE),
            "Largest HTTP request body accepted; larger requests are answered 413.");
    public static final ConfigKey<Duration> HTTP_IDLE_TIMEOUT = DEF.define("http.idle-timeout", ConfigType.DURATION,
            "5m", minDuration(Duration.ofSeconds(1)),
            "A keep-alive connection with no request in flight and no traffic for this long is closed.");
    public static final ConfigKey<Integer> HTTP_THREADS = DEF.define("http.threads", ConfigType.INT, "0",
            range(0, 1024), "Event-loop threads of the HTTP server; 0 means twice the number of cores.");

    // ---- storage
    public static final ConfigKey<java.nio.file.Path> DATA_DIR = DEF.define("data.dir", ConfigType.PATH,
            "./data/node", Validator.any(),
            "Directory of the node's persistent state (label indexes); a persistent volume in Kubernetes.");

    // ---- kafka
    public static final ConfigKey<List<HostPort>> KAFKA_BOOTSTRAP = DEF.define("kafka.bootstrap",
            ConfigType.HOST_PORT_LIST, "localhost:9092", nonEmpty(), "Kafka bootstrap servers.");
    public static final ConfigKey<String> KAFKA_TOPIC = DEF.define("kafka.topic", ConfigType.STRING,
            "strata-samples", matches("[a-zA-Z0-9._-]{1,249}", "a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)"),
            "Topic holding the samples; partition i is shard i. Created with `shards` partitions if absent.");
    public static final ConfigKey<Integer> KAFKA_REPLICATION_FACTOR = DEF.define("kafka.replication-factor",
            ConfigType.INT, "0", range(0, Short.MAX_VALUE),
            "Replication factor used when the node creates the samples topic. 0: 3, or every broker when the cluster "
                    + "has fewer (a single dev broker gets 1, and the node logs a warning).");
    public static final ConfigKey<Integer> KAFKA_MIN_INSYNC_REPLICAS = DEF.define("kafka.min-insync-replicas",
            ConfigType.INT, "0", range(0, Short.MAX_VALUE),
            "min.insync.replicas of the samples topic when the node creates it: a write is acknowledged (acks=all) only "
                    + "once this many replicas have it. 0: the replication factor minus one, at least 1.");
    public static final ConfigKey<Duration> KAFKA_RETENTION = DEF.define("kafka.retention", ConfigType.DURATION, "7d",
            minDuration(Duration.ofMinutes(1)),
            "retention.ms of the samples topic when the node creates it. Records not yet flushed to Cassandra when "
                    + "Kafka deletes them are lost (counted in strata_ingest_offsets_lost_total): keep it well above the "
                    + "longest Cassandra outage to ride out.");
    public static final ConfigKey<Duration> KAFKA_REQUEST_TIMEOUT = DEF.define("kafka.request-timeout",
            ConfigType.DURATION, "30s", minDuration(Duration.ofSeconds(1)),
            "Timeout of Kafka admin requests (cluster check, topic creation).");

    // ---- cassandra
    public static final ConfigKey<List<HostPort>> CASSANDRA_CONTACT_POINTS = DEF.define("cassandra.contact-points",
            ConfigType.HOST_PORT_LIST, "localhost:9042", nonEmpty(), "Cassandra nodes the driver first connects to.");
    public static final ConfigKey<String> CASSANDRA_KEYSPACE = DEF.define("cassandra.keyspace", ConfigType.STRING,
            "strata", matches("[a-zA-Z][a-zA-Z0-9_]{0,47}",
                    "a Cassandra keyspace name (a letter, then up to 47 letters, digits or _)"),
            "Keyspace holding Strata's tables. Created if absent.");
    public static final ConfigKey<String> CASSANDRA_LOCAL_DATACENTER = DEF.define("cassandra.local-datacenter",
            ConfigType.STRING, "datacenter1", nonEmpty(), "Datacenter the driver treats as local.");
    public static final ConfigKey<String> CASSANDRA_REPLICATION = DEF.define("cassandra.replication",
            ConfigType.STRING, "{'class':'SimpleStrategy','replication_factor':1}",
            matches("\\{.*}", "a CQL replication map such as {'class':'NetworkTopologyStrategy','dc1':3}"),
            "Replication of the keyspace when the node creates it (CQL map literal).");
    public static final ConfigKey<String> CASSANDRA_WRITE_CONSISTENCY = DEF.define("cassandra.write-consistency",
            ConfigType.STRING, "auto", consistency(),
            "Consistency level of chunk and series-key writes; a checkpoint is written only after these succeeded. "
                    + "auto: LOCAL_QUORUM when the keyspace has 3 or more replicas, ONE below.");
    public static final ConfigKey<String> CASSANDRA_CHECKPOINT_CONSISTENCY = DEF.define("cassandra.checkpoint-consistency",
            ConfigType.STRING, "auto", consistency(),
            "Consistency level of checkpoint writes. auto: LOCAL_QUORUM with 3 or more replicas, ONE below.");
    public static final ConfigKey<String> CASSANDRA_READ_CONSISTENCY = DEF.define("cassandra.read-consistency",
            ConfigType.STRING, "auto", consistency(),
            "Consistency level of reads (chunks paged into queries, checkpoints and series keys at start). "
                    + "auto: LOCAL_QUORUM with 3 or more replicas, ONE below.");
    public static final ConfigKey<Duration> CASSANDRA_REQUEST_TIMEOUT = DEF.define("cassandra.request-timeout",
            ConfigType.DURATION, "10s", minDuration(Duration.ofMillis(100)),
            "Timeout of Cassandra requests, including schema changes.");
    public static final ConfigKey<Duration> CASSANDRA_RECONNECT_MAX_DELAY = DEF.define("cassandra.reconnect-max-delay",
            ConfigType.DURATION, "5s", minDuration(Duration.ofMillis(100)),
            "Longest wait between the driver's attempts to reconnect to a Cassandra node it lost (from 1 s, doubling). "
                    + "Bounds how long flushes wait after Cassandra is back (plus the flush retry back-off).");

    // ---- cluster
    public static final ConfigKey<Integer> SHARDS = DEF.define("shards", ConfigType.INT, "8", range(1, 65536),
            "Number of shards = partitions of the samples topic. Fixed for the life of the data.");
    public static final ConfigKey<Integer> NODE_ORDINAL = DEF.define("node.ordinal", ConfigType.INT, "-1",
            atLeast(-1), "This node's ordinal (the StatefulSet pod index); shard ownership derives from it. "
                    + "-1: the number at the end of the host name (strata-3 -> 3), or 0 when cluster.nodes=1.");
    public static final ConfigKey<Integer> CLUSTER_NODES = DEF.define("cluster.nodes", ConfigType.INT, "1",
            range(1, 4096), "Number of nodes (StatefulSet replicas); ordinals are 0..nodes-1.");
    public static final ConfigKey<Integer> CLUSTER_REPLICAS = DEF.define("cluster.replicas", ConfigType.INT, "1",
            range(1, 16), "Nodes owning each shard (replication factor); at most cluster.nodes.");
    public static final ConfigKey<List<String>> CLUSTER_PEERS = DEF.define("cluster.peers", ConfigType.LIST, "",
            Validator.any(), "Static list of every node's host:port, entry i for ordinal i; overrides cluster.peer-template.");
    public static final ConfigKey<String> CLUSTER_PEER_TEMPLATE = DEF.define("cluster.peer-template", ConfigType.STRING,
            "strata-{ordinal}.strata-headless.{namespace}.svc:9090", Validator.any(),
            "host:port of a node from its ordinal; {ordinal} and {namespace} are substituted.");
    public static final ConfigKey<String> CLUSTER_NAMESPACE = DEF.define("cluster.namespace", ConfigType.STRING,
            "default", nonEmpty(), "Kubernetes namespace substituted into cluster.peer-template.");
    public static final ConfigKey<Duration> CLUSTER_PEER_TIMEOUT = DEF.define("cluster.peer-timeout",
            ConfigType.DURATION, "2s", minDuration(Duration.ofMillis(10)),
            "Timeout of connecting to another node and of its status and health answers; a peer that misses it counts "
                    + "as down. Query work on a peer (selects, pushed-down evaluations, metadata) may take up to query.timeout "
                    + "while the peer still answers /-/healthy within this.");
    public static final ConfigKey<Duration> NODE_CONNECT_RETRY_INTERVAL = DEF.define("node.connect-retry-interval",
            ConfigType.DURATION, "2s", minDuration(Duration.ofMillis(10)),
            "Pause between attempts to reach Kafka and Cassandra while the node starts; it is not ready until both answer.");

    // ---- ingest
    public static final ConfigKey<List<String>> INGEST_SHARD_KEY = DEF.define("ingest.shard-key", ConfigType.LIST,
            "__name__", nonEmpty(),
            "Labels whose hash picks a series' shard group (low bits); a query naming them touches only that group.");
    public static final ConfigKey<Integer> INGEST_SPREAD = DEF.define("ingest.spread", ConfigType.INT, "1",
            range(0, 16), "A shard-key value is spread over 2^spread shards (by the hash of the whole label set).");

    public static final ConfigKey<String> NODE_ROLE = DEF.define("node.role", ConfigType.STRING, "all",
            Validator.oneOf("all", "gateway"),
            "all: write receivers, this node's shards (consume, index, flush) and the query API; gateway: the write "
                    + "receivers and the query API only (queries are answered by the shards' owners), no shards here.");

    // ---- in-memory store
    public static final ConfigKey<Duration> STORE_CHUNK_DURATION = DEF.define("store.chunk-duration",
            ConfigType.DURATION, "2h", minDuration(Duration.ofMinutes(1)),
            "Chunks are cut at multiples of this since the epoch, so replays and replicas cut identical chunks.");
    public static final ConfigKey<Integer> STORE_MAX_SAMPLES_PER_CHUNK = DEF.define("store.max-samples-per-chunk",
            ConfigType.INT, "480", range(1, 1 << 20), "A chunk window with more samples is cut into chunks of this many.");
    public static final ConfigKey<Duration> STORE_OUT_OF_ORDER_WINDOW = DEF.define("store.out-of-order-window",
            ConfigType.DURATION, "10m", minDuration(Duration.ZERO),
            "Samples up to this much older than their series' newest sample are accepted and merged.");
    public static final ConfigKey<Long> STORE_MEMORY_BUDGET = DEF.define("store.memory-budget-per-shard",
            ConfigType.SIZE, "0", range(0L, Long.MAX_VALUE),
            "Memory for series, write buffers and chunks of one shard; when short, persisted data is evicted and ingestion pauses. "
                    + "0: half the JVM heap divided by the shards the node owns. The budgets of the owned shards together may "
                    + "take at most half the heap (the rest is for requests, label indexes and queries); a larger value fails the start.");
    public static final ConfigKey<Duration> STORE_MEMORY_RETENTION = DEF.define("store.memory-retention",
            ConfigType.DURATION, "0s", minDuration(Duration.ZERO),
            "Persisted chunks older than a shard's newest sample minus this are dropped from memory after each flush "
                    + "(queries page them back from Cassandra); 0s keeps them until the memory budget runs short.");
    public static final ConfigKey<Long> STORE_PAGED_CHUNK_CACHE = DEF.define("store.paged-chunk-cache-per-shard",
            ConfigType.SIZE, "64MiB", range(0L, Long.MAX_VALUE),
            "Chunks paged in from Cassandra for queries are kept up to this size per shard (least recently used "
                    + "dropped first), inside store.memory-budget-per-shard and given back first when it runs short; 0 keeps none.");

    // ---- durability
    public static final ConfigKey<Duration> RETENTION = DEF.define("retention", ConfigType.DURATION, "15d",
            minDuration(Duration.ofHours(1)),
            "How long samples are kept in Cassandra (the chunk table's TTL, applied at every start).");
    public static final ConfigKey<Integer> FLUSH_GROUPS = DEF.define("flush.groups", ConfigType.INT, "8", range(1, 1024),
            "A shard's series are split into this many flush groups, flushed in turn, each with its own checkpoint.");
    public static final ConfigKey<Duration> FLUSH_INTERVAL = DEF.define("flush.interval", ConfigType.DURATION, "60s",
            minDuration(Duration.ofSeconds(1)),
            "Every group of every shard is flushed to Cassandra once per interval (groups staggered across it); "
                    + "after a crash at most about this much of the log is replayed.");

    // ---- query
    public static final ConfigKey<Duration> QUERY_LOOKBACK_DELTA = DEF.define("query.lookback-delta",
            ConfigType.DURATION, "5m", minDuration(Duration.ofSeconds(1)),
            "How far back an instant selector looks for a sample (Prometheus's --query.lookback-delta).");
    public static final ConfigKey<Long> QUERY_MAX_SAMPLES = DEF.define("query.max-samples", ConfigType.LONG,
            "50000000", range(1, Long.MAX_VALUE),
            "Most samples one query may hold in memory; beyond it the query fails (Prometheus's --query.max-samples).");
    public static final ConfigKey<Duration> QUERY_TIMEOUT = DEF.define("query.timeout", ConfigType.DURATION, "2m",
            minDuration(Duration.ofMillis(10)), "Longest a query may run (Prometheus's --query.timeout).");
    public static final ConfigKey<Integer> QUERY_THREADS = DEF.define("query.threads", ConfigType.INT, "0",
            range(0, 1024), "Threads evaluating queries; 0 means the number of cores.");

    private static Validator<String> consistency() {
        return Validator.oneOf("auto", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE");
    }

    private ConfigKeys() {}
}

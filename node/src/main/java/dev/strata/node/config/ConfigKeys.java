package dev.strata.node.config;

import static dev.strata.node.config.Validator.atLeast;
import static dev.strata.node.config.Validator.matches;
import static dev.strata.node.config.Validator.minDuration;
import static dev.strata.node.config.Validator.nonEmpty;
import static dev.strata.node.config.Validator.range;

import dev.strata.store.sharding.ShardMapper;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.ingest.gateway.GatewayConfig;
import dev.strata.ingest.flush.FlushConfig;
import java.time.Duration;
import java.util.List;

/**
 * Every configuration key of a Strata node, declared once. docs/configuration.md is generated from
 * this class ({@code bin/strata config docs > docs/configuration.md}); a test fails when they differ.
 *
 * <p>To add a key: define it here (in the section of its area), read it in that area's settings
 * record's {@code from(ResolvedConfig)} factory, and regenerate the docs. When a component's options
 * class also has a default for the value (for tests and tools that run the component without a node),
 * the key's default references that class's {@code DEFAULT_*} constant, so each default exists once.
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

    public static final ConfigKey<String> HTTP_WEB_CONFIG_FILE = DEF.define("http.web-config-file", ConfigType.STRING,
            "", Validator.any(),
            "Prometheus web configuration file (--web.config.file format: tls_server_config, basic_auth_users, "
                    + "http_server_config.headers) plus Strata's optional user_roles; see docs/security.md. Empty: no TLS, "
                    + "no authentication (every endpoint open, as Prometheus without the file).");
    public static final ConfigKey<Duration> SECURITY_RELOAD_INTERVAL = DEF.define("security.reload-interval",
            ConfigType.DURATION, "5s", minDuration(Duration.ofMillis(100)),
            "How often the web configuration file, the certificates and keys it names, and the cluster's certificates "
                    + "and secret file are checked for changes (modification time) and reloaded.");
    public static final ConfigKey<Long> HTTP_MAX_HEADER_BYTES = DEF.define("http.max-header-bytes", ConfigType.SIZE,
            "1MiB", range(8192, 64L << 20),
            "Longest request line, and largest header block, of a request (Go's and so Prometheus's default: 1 MiB). "
                    + "Grafana sends request lines over 4 KiB and large Authorization headers. Longer: 414 or 431.");
    public static final ConfigKey<Integer> HTTP_MAX_PIPELINED_REQUESTS = DEF.define("http.max-pipelined-requests",
            ConfigType.INT, "16", range(1, 1024),
            "Requests one connection may have read and not yet answered (HTTP/1.1 pipelining); at this many the node "
                    + "stops reading the connection until a response goes out.");
    public static final ConfigKey<Long> HTTP_MAX_IN_FLIGHT_BYTES_PER_CONNECTION = DEF.define(
            "http.max-in-flight-bytes-per-connection", ConfigType.SIZE, "64MiB", range(1024, Long.MAX_VALUE),
            "Request body bytes one connection may have read and not yet answered; at this many the node stops reading "
                    + "the connection until a response goes out.");
    public static final ConfigKey<Long> HTTP_MAX_IN_FLIGHT_BYTES = DEF.define("http.max-in-flight-bytes", ConfigType.SIZE,
            "512MiB", range(1024, Long.MAX_VALUE),
            "Request body bytes held across all connections (read, not yet answered); a request beyond it is answered "
                    + "503 with Retry-After (a request larger than this on an idle node is still accepted).");

    // ---- storage
    public static final ConfigKey<java.nio.file.Path> DATA_DIR = DEF.define("data.dir", ConfigType.PATH,
            "./data/node", Validator.any(),
            "Directory of the node's persistent state (label indexes); a persistent volume in Kubernetes.");

    // ---- kafka
    public static final ConfigKey<List<HostPort>> KAFKA_BOOTSTRAP = DEF.define("kafka.bootstrap",
            ConfigType.HOST_PORT_LIST, "localhost:9092", nonEmpty(), "Kafka bootstrap servers.");
    public static final ConfigKey<String> KAFKA_TOPIC = DEF.define("kafka.topic", ConfigType.STRING,
            GatewayConfig.DEFAULT_TOPIC, matches("[a-zA-Z0-9._-]{1,249}", "a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)"),
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
    public static final ConfigKey<Integer> SHARDS = DEF.define("shards", ConfigType.INT, Integer.toString(ShardMapper.DEFAULT_SHARDS), range(1, 65536),
            "Number of shards = partitions of the samples topic. Fixed for the life of the data.");
    public static final ConfigKey<Integer> NODE_ORDINAL = DEF.define("node.ordinal", ConfigType.INT, "-1",
            atLeast(-1), "This node's ordinal (the StatefulSet pod index); shard ownership derives from it. "
                    + "-1: the number at the end of the host name (strata-3 -> 3), or 0 when cluster.nodes=1.");
    public static final ConfigKey<Integer> CLUSTER_NODES = DEF.define("cluster.nodes", ConfigType.INT, "1",
            range(1, 4096), "Number of nodes (StatefulSet replicas); ordinals are 0..nodes-1 (the static form: shard ownership is fixed by it). "
                    + "Not set, with cluster credentials (cluster.secret-file or cluster.tls.*): dynamic membership, nodes join and "
                    + "leave at run time (docs/cluster-membership.md).");
    public static final ConfigKey<Integer> CLUSTER_REPLICAS = DEF.define("cluster.replicas", ConfigType.INT, "1",
            range(1, 16), "Nodes owning each shard (replication factor); at most cluster.nodes in the static form; with dynamic "
                    + "membership a shard has min(replicas, eligible members) owners.");
    public static final ConfigKey<List<String>> CLUSTER_PEERS = DEF.define("cluster.peers", ConfigType.LIST, "",
            Validator.any(), "Static list of every node's cluster host:port (cluster.port), entry i for ordinal i; "
                    + "overrides cluster.peer-template.");
    public static final ConfigKey<Integer> CLUSTER_PORT = DEF.define("cluster.port", ConfigType.INT, "9091",
            range(0, 65535), "Port of the node-to-node listener (on http.bind); the node-to-node endpoints are served "
                    + "only here, never on http.port. Not opened on a single node without cluster.secret-file or "
                    + "cluster.tls.*. 0 picks a free port.");
    public static final ConfigKey<String> CLUSTER_SECRET_FILE = DEF.define("cluster.secret-file", ConfigType.STRING, "",
            Validator.any(), "File holding the shared cluster secret (at least 16 bytes; surrounding whitespace "
                    + "ignored): peers send it in a header and the cluster port compares it in constant time. A cluster "
                    + "(cluster.nodes > 1) needs it or cluster.tls.* (mTLS, the production setting), or both.");
    public static final ConfigKey<String> CLUSTER_TLS_CERT_FILE = DEF.define("cluster.tls.cert-file", ConfigType.STRING,
            "", Validator.any(), "PEM certificate this node presents on the cluster port and to its peers (mTLS); "
                    + "its subject alternative names must match the peer addresses. Set with key-file and ca-file.");
    public static final ConfigKey<String> CLUSTER_TLS_KEY_FILE = DEF.define("cluster.tls.key-file", ConfigType.STRING,
            "", Validator.any(), "PEM private key (PKCS#8) of cluster.tls.cert-file.");
    public static final ConfigKey<String> CLUSTER_TLS_CA_FILE = DEF.define("cluster.tls.ca-file", ConfigType.STRING,
            "", Validator.any(), "PEM certificate(s) of the cluster CA: peers' certificates (server and client) must be "
                    + "signed by it.");
    public static final ConfigKey<String> CLUSTER_PEER_TEMPLATE = DEF.define("cluster.peer-template", ConfigType.STRING,
            "strata-{ordinal}.strata-headless.{namespace}.svc:9091", Validator.any(),
            "host:port of a node's cluster port from its ordinal; {ordinal} and {namespace} are substituted.");
    public static final ConfigKey<String> CLUSTER_NAMESPACE = DEF.define("cluster.namespace", ConfigType.STRING,
            "default", nonEmpty(), "Kubernetes namespace substituted into cluster.peer-template.");
    public static final ConfigKey<Duration> CLUSTER_PEER_TIMEOUT = DEF.define("cluster.peer-timeout",
            ConfigType.DURATION, "2s", minDuration(Duration.ofMillis(10)),
            "Timeout of connecting to another node and of its status and health answers; a peer that misses it counts "
                    + "as down. Query work on a peer (selects, pushed-down evaluations, metadata) may take up to query.timeout "
                    + "while the peer still answers /-/healthy within this.");
    public static final ConfigKey<Duration> CLUSTER_HEARTBEAT_INTERVAL = DEF.define("cluster.heartbeat-interval",
            ConfigType.DURATION, "2s", minDuration(Duration.ofMillis(100)),
            "Dynamic membership (cluster.nodes not set, cluster credentials given): how often a node writes its heartbeat "
                    + "(state, ready shards) to the members table and reads the others'.");
    public static final ConfigKey<Duration> CLUSTER_FAILURE_TIMEOUT = DEF.define("cluster.failure-timeout",
            ConfigType.DURATION, "15s", minDuration(Duration.ofSeconds(1)),
            "Dynamic membership: a member whose last heartbeat is older than this is down, and its replica slots move to "
                    + "the others. Must exceed 2 x cluster.heartbeat-interval.");
    public static final ConfigKey<Duration> CLUSTER_LEAVE_TIMEOUT = DEF.define("cluster.leave-timeout",
            ConfigType.DURATION, "60s", minDuration(Duration.ZERO),
            "Dynamic membership: on SIGTERM the node announces it is leaving and waits at most this long for its shards to be "
                    + "ready on their new owners before it stops. Keep it below the pod's terminationGracePeriodSeconds.");
    public static final ConfigKey<String> CLUSTER_ADVERTISE_ADDRESS = DEF.define("cluster.advertise-address",
            ConfigType.STRING, "", Validator.any(),
            "Dynamic membership: host:port at which the other nodes reach this node's cluster port; a host alone takes the port "
                    + "the cluster listener bound (so cluster.port=0 works). Empty: "
                    + "cluster.peer-template with this node's ordinal, or the host name and cluster.port when the template is empty.");
    public static final ConfigKey<Duration> NODE_CONNECT_RETRY_INTERVAL = DEF.define("node.connect-retry-interval",
            ConfigType.DURATION, "2s", minDuration(Duration.ofMillis(10)),
            "Pause between attempts to reach Kafka and Cassandra while the node starts; it is not ready until both answer.");

    // ---- ingest
    public static final ConfigKey<List<String>> INGEST_SHARD_KEY = DEF.define("ingest.shard-key", ConfigType.LIST,
            ShardMapper.DEFAULT_SHARD_KEY, nonEmpty(),
            "Labels whose hash picks a series' shard group (low bits); a query naming them touches only that group.");
    public static final ConfigKey<Integer> INGEST_SPREAD = DEF.define("ingest.spread", ConfigType.INT, Integer.toString(ShardMapper.DEFAULT_SPREAD),
            range(0, 16), "A shard-key value is spread over 2^spread shards (by the hash of the whole label set).");

    public static final ConfigKey<Long> INGEST_MAX_DECOMPRESSED_BYTES = DEF.define("ingest.max-decompressed-bytes",
            ConfigType.SIZE, "64MiB", range(1024, Integer.MAX_VALUE),
            "Largest decompressed write body (snappy remote write: its declared size is checked before anything is "
                    + "allocated; gzip Influx: inflated up to this). Larger: 413.");
    public static final ConfigKey<Integer> INGEST_MAX_SERIES_PER_REQUEST = DEF.define("ingest.max-series-per-request",
            ConfigType.INT, "100000", range(1, Integer.MAX_VALUE),
            "Series one write request may carry (an Influx line makes one per field); more: 413, checked while decoding.");
    public static final ConfigKey<Integer> INGEST_MAX_SAMPLES_PER_REQUEST = DEF.define("ingest.max-samples-per-request",
            ConfigType.INT, "1000000", range(1, Integer.MAX_VALUE),
            "Samples one write request may carry; more: 413, checked while decoding.");
    public static final ConfigKey<Integer> INGEST_MAX_LABELS_PER_SERIES = DEF.define("ingest.max-labels-per-series",
            ConfigType.INT, "30", range(1, 10000),
            "Labels (with a non-empty value, the metric name included) of one series; more: 400, checked while decoding, "
                    + "before the labels are sorted.");
    public static final ConfigKey<Integer> INGEST_MAX_QUEUED_REQUESTS = DEF.define("ingest.max-queued-requests",
            ConfigType.INT, "256", range(1, 1 << 20),
            "Write requests waiting for a gateway thread to decode them; more: 503 with Retry-After.");
    public static final ConfigKey<Integer> INGEST_RETENTION_GUARD_PERCENT = DEF.define("ingest.retention-guard-percent",
            ConfigType.INT, "50", range(0, 95),
            "Retention guard: when a shard's oldest record not yet flushed to Cassandra is older than this percentage of "
                    + "kafka.retention, writes to that shard are answered 503 with Retry-After (senders retry) until the flush "
                    + "catches up, so that Kafka never deletes what a crash would have to replay. The limit must span at least "
                    + "3 x flush.interval (checked at start). 0 disables the guard.");

    public static final ConfigKey<String> NODE_ROLE = DEF.define("node.role", ConfigType.STRING, "all",
            Validator.oneOf("all", "gateway"),
            "all: write receivers, this node's shards (consume, index, flush) and the query API; gateway: the write "
                    + "receivers and the query API only (queries are answered by the shards' owners), no shards here.");

    // ---- in-memory store
    public static final ConfigKey<Duration> STORE_CHUNK_DURATION = DEF.define("store.chunk-duration",
            ConfigType.DURATION, ConfigType.DURATION.format(Duration.ofMillis(MemShardOptions.DEFAULT_CHUNK_DURATION_MS)),
            minDuration(Duration.ofMinutes(1)),
            "Chunks are cut at multiples of this since the epoch, so replays and replicas cut identical chunks.");
    public static final ConfigKey<Integer> STORE_MAX_SAMPLES_PER_CHUNK = DEF.define("store.max-samples-per-chunk",
            ConfigType.INT, Integer.toString(MemShardOptions.DEFAULT_MAX_SAMPLES_PER_CHUNK), range(1, 1 << 20), "A chunk window with more samples is cut into chunks of this many.");
    public static final ConfigKey<Duration> STORE_OUT_OF_ORDER_WINDOW = DEF.define("store.out-of-order-window",
            ConfigType.DURATION, ConfigType.DURATION.format(Duration.ofMillis(MemShardOptions.DEFAULT_OUT_OF_ORDER_WINDOW_MS)),
            minDuration(Duration.ZERO),
            "Samples up to this much older than their series' newest sample are accepted and merged.");
    public static final ConfigKey<Long> STORE_MEMORY_BUDGET = DEF.define("store.memory-budget-per-shard",
            ConfigType.SIZE, "0", range(0L, Long.MAX_VALUE),
            "Memory for series, write buffers and chunks of one shard; when short, persisted data is evicted and ingestion pauses. "
                    + "0: half the JVM heap divided by the shards the node owns. The budgets of the owned shards together may "
                    + "take at most half the heap (the rest is for requests, label indexes and queries); a larger value fails the start.");
    public static final ConfigKey<Duration> STORE_MEMORY_RETENTION = DEF.define("store.memory-retention",
            ConfigType.DURATION, ConfigType.DURATION.format(FlushConfig.DEFAULT_MEMORY_RETENTION), minDuration(Duration.ZERO),
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
    public static final ConfigKey<Integer> FLUSH_GROUPS = DEF.define("flush.groups", ConfigType.INT,
            Integer.toString(FlushConfig.DEFAULT_GROUPS), range(1, 1024),
            "A shard's series are split into this many flush groups, flushed in turn, each with its own checkpoint.");
    public static final ConfigKey<Duration> FLUSH_INTERVAL = DEF.define("flush.interval", ConfigType.DURATION,
            ConfigType.DURATION.format(FlushConfig.DEFAULT_INTERVAL),
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
    public static final ConfigKey<Boolean> QUERY_DELAYED_NAME_REMOVAL = DEF.define("query.delayed-name-removal",
            ConfigType.BOOLEAN, "false", Validator.any(),
            "false: every function, operator and aggregation drops the metric name where stock Prometheus does, "
                    + "and a result that then holds two series with one label set is Prometheus's error. true: "
                    + "the name is removed when the query finishes (Prometheus's promql-delayed-name-removal "
                    + "feature), so label_replace(rate(x[5m]), \"m\", \"$1\", \"__name__\", \"(.*)\") sees it. "
                    + "See docs/promql-compatibility.md.");
    public static final ConfigKey<Boolean> QUERY_USE_START_TIMESTAMPS = DEF.define("query.use-start-timestamps",
            ConfigType.BOOLEAN, "false", Validator.any(),
            "true: rate, increase, irate and resets use the samples' start timestamps (remote write 2.0 created/start "
                    + "timestamps, kept by the store either way) and start_timestamp() returns them (Prometheus's "
                    + "use-start-timestamps feature). false: they are ignored, as by stock Prometheus. "
                    + "See docs/promql-compatibility.md.");

    public static final ConfigKey<Boolean> QUERY_RESULTS_CACHE_ENABLED = DEF.define("query.results-cache.enabled",
            ConfigType.BOOLEAN, "false", Validator.any(),
            "Cache the per-step results of range queries (/api/v1/query_range) older than now minus "
                    + "store.out-of-order-window and query.results-cache.ingest-lag, and evaluate only the rest. A late "
                    + "write (a sample appended into a cached range: replay, backfill) drops the entries it touches. "
                    + "Single-node only for now (ignored in a cluster); off by default. Bypass per query with nocache=1 "
                    + "or Cache-Control: no-cache; queries asking for stats are never answered from it.");
    public static final ConfigKey<Long> QUERY_RESULTS_CACHE_MAX_BYTES = DEF.define("query.results-cache.max-bytes",
            ConfigType.SIZE, "256MiB", range(1024, Long.MAX_VALUE),
            "Memory for the range-query results cache (estimated); least recently used entries go first.");
    public static final ConfigKey<Duration> QUERY_RESULTS_CACHE_SPLIT_INTERVAL = DEF.define(
            "query.results-cache.split-interval", ConfigType.DURATION, "24h", minDuration(Duration.ofMinutes(1)),
            "Range queries are cached in parts of this interval since the epoch (one cache entry per part).");
    public static final ConfigKey<Duration> QUERY_RESULTS_CACHE_INGEST_LAG = DEF.define(
            "query.results-cache.ingest-lag", ConfigType.DURATION, "1m", minDuration(Duration.ZERO),
            "Added to store.out-of-order-window: steps newer than now minus both are never cached (samples still "
                    + "on their way through Kafka would otherwise invalidate entries at once).");

    // ---- remote read
    public static final ConfigKey<Long> REMOTE_READ_SAMPLE_LIMIT = DEF.define("remote-read.sample-limit",
            ConfigType.LONG, "50000000", range(1, Long.MAX_VALUE),
            "Most samples one remote read request (/api/v1/read) may return; beyond it the request is answered 400 "
                    + "(Prometheus's --storage.remote.read-sample-limit).");
    public static final ConfigKey<Integer> REMOTE_READ_CONCURRENT_LIMIT = DEF.define("remote-read.concurrent-limit",
            ConfigType.INT, "10", range(1, 1024),
            "Remote read requests evaluated at once; further requests wait (Prometheus's --storage.remote.read-concurrent-limit).");
    public static final ConfigKey<Long> REMOTE_READ_MAX_BYTES_IN_FRAME = DEF.define("remote-read.max-bytes-in-frame",
            ConfigType.SIZE, "1MiB", range(1, Integer.MAX_VALUE),
            "Size at which a streamed remote read response (STREAMED_XOR_CHUNKS) closes a frame "
                    + "(Prometheus's --storage.remote.read-max-bytes-in-frame).");

    // ---- otlp (Prometheus 3's otlp: block)
    public static final ConfigKey<String> OTLP_TRANSLATION_STRATEGY = DEF.define("otlp.translation-strategy",
            ConfigType.STRING, "UnderscoreEscapingWithSuffixes",
            Validator.oneOf("UnderscoreEscapingWithSuffixes", "NoUTF8EscapingWithSuffixes"),
            "How OTLP metric and attribute names become Prometheus names: escaped to [a-zA-Z0-9_:] with unit and "
                    + "_total/_ratio suffixes, or kept as UTF-8 with the same suffixes (docs/ingestion.md).");
    public static final ConfigKey<List<String>> OTLP_PROMOTE_RESOURCE_ATTRIBUTES = DEF.define(
            "otlp.promote-resource-attributes", ConfigType.LIST, "", Validator.any(),
            "OTLP resource attributes copied as labels onto every series of the resource (all resource "
                    + "attributes are on target_info either way).");
    public static final ConfigKey<Boolean> OTLP_KEEP_IDENTIFYING_RESOURCE_ATTRIBUTES = DEF.define(
            "otlp.keep-identifying-resource-attributes", ConfigType.BOOLEAN, "false", Validator.any(),
            "Also keep service.name, service.namespace and service.instance.id as labels of target_info "
                    + "(they are always job and instance).");
    public static final ConfigKey<Boolean> OTLP_PROMOTE_SCOPE_METADATA = DEF.define("otlp.promote-scope-metadata",
            ConfigType.BOOLEAN, "false", Validator.any(),
            "Add otel_scope_name, otel_scope_version, otel_scope_schema_url and otel_scope_<attribute> labels "
                    + "from the instrumentation scope to every OTLP series.");
    public static final ConfigKey<Boolean> OTLP_CONVERT_HISTOGRAMS_TO_NHCB = DEF.define("otlp.convert-histograms-to-nhcb",
            ConfigType.BOOLEAN, "false", Validator.any(),
            "Store OTLP explicit-bucket histograms as custom-bucket native histograms (NHCB, schema -53) instead of "
                    + "classic _bucket/_sum/_count series (Prometheus 3's convert_histograms_to_nhcb).");
    public static final ConfigKey<Integer> QUERY_MAX_CONCURRENCY = DEF.define("query.max-concurrency", ConfigType.INT,
            "20", range(1, 1 << 16),
            "Query API requests admitted at once, evaluating or waiting for a query thread (Prometheus's "
                    + "--query.max-concurrency, which queues the rest); more are answered 503 (unavailable) at once. "
                    + "Requests from other nodes (selects, pushed-down queries) have their own queues of this size.");

    private static Validator<String> consistency() {
        return Validator.oneOf("auto", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE");
    }

    private ConfigKeys() {}
}

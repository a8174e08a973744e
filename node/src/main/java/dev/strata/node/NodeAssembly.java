package dev.strata.node;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.strata.ingest.sharding.ShardMapper;
import dev.strata.node.cluster.ClusterMetadataSource;
import dev.strata.node.cluster.ClusterQueryable;
import dev.strata.node.cluster.ClusterStatus;
import dev.strata.node.cluster.ClusterTopology;
import dev.strata.node.cluster.InternalRoutes;
import dev.strata.node.cluster.PartialResponseEvaluator;
import dev.strata.node.cluster.PeerClient;
import dev.strata.node.cluster.PushdownEvaluator;
import dev.strata.node.cluster.Hostname;
import dev.strata.node.config.ConfigException;
import dev.strata.node.config.NodeConfig;
import dev.strata.node.http.HttpServer;
import dev.strata.node.http.Readiness;
import dev.strata.node.http.Router;
import dev.strata.node.http.SystemRoutes;
import dev.strata.store.metrics.JvmMetrics;
import dev.strata.store.metrics.MetricsRegistry;
import dev.strata.store.metrics.ProcessMetrics;
import dev.strata.ingest.status.IngestMetrics;
import dev.strata.ingest.status.ShardStatusHandler;
import dev.strata.query.api.ApiSettings;
import dev.strata.query.api.BuildInfo;
import dev.strata.query.api.IndexMetadataSource;
import dev.strata.query.api.PrometheusApi;
import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.api.SeriesMetadataSource;
import dev.strata.query.engine.Engine;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;

/**
 * Wires a node from its configuration, in start order: the metrics registry, the locked data directory, the Kafka and Cassandra
 * connectors, the shards (label index + memory + consumer each), the gateway (write receivers and
 * the Kafka producer) and the HTTP server, which routes the write receivers, the shard status and the
 * Prometheus API by method reference. The node opens only the shards it owns
 * ({@link dev.strata.node.cluster.ClusterTopology}); queries read every shard of the cluster through
 * {@link dev.strata.node.cluster.ClusterQueryable} (raw series) or
 * {@link dev.strata.node.cluster.PushdownEvaluator} (aggregations evaluated by the owners), and the
 * node answers other nodes on {@code /internal/v1/*}. Components stop in reverse order, so the HTTP server stops
 * before the parts it calls.
 */
public final class NodeAssembly implements AutoCloseable {
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final Readiness readiness = new Readiness();
    private final DataDirectory dataDir;
    private final Connector<Admin> kafka;
    private final Connector<CqlSession> cassandra;
    private final ClusterTopology topology;
    private final ShardsComponent shards;
    private final GatewayComponent gateway;
    private final ExecutorService queryExecutor;
    private final PeerClient peerClient;
    private final ExecutorService selectExecutor;
    private final ExecutorService pushdownExecutor;
    private final HttpComponent http;
    private final Node node;

    public NodeAssembly(NodeConfig config) {
        ProcessMetrics.register(metrics);
        JvmMetrics.register(metrics);
        dataDir = new DataDirectory(config.storage().dataDir());
        kafka = KafkaSetup.connector(config.kafka(), config.cluster());
        cassandra = CassandraSetup.connector(config.cassandra(), config.cluster());
        try {
            topology = ClusterTopology.from(config.cluster(), Hostname.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        List<Integer> owned = config.ingest().gatewayOnly() ? List.of() : topology.ownedShards();
        long budget = MemoryBudget.perShard(config.memory().memoryBudgetPerShard(), owned.size(), Runtime.getRuntime().maxMemory());
        shards = new ShardsComponent(config, kafka::isReady, cassandra::isReady, cassandra::get, kafka::get, metrics, owned, budget);
        gateway = new GatewayComponent(config, kafka::isReady);
        queryExecutor = newExecutor(config.query().effectiveThreads(), "strata-query-");
        peerClient = new PeerClient(topology.peers(), config.cluster().peerTimeout(), config.query().timeout());
        ShardMapper mapper = new ShardMapper(config.cluster().shards(), config.ingest().spread(),
                config.ingest().shardKey().toArray(String[]::new));
        ClusterQueryable clusterData = new ClusterQueryable(topology, shards, peerClient, mapper);
        Engine engine = new Engine(clusterData, config.query().toOptions());
        ApiSettings apiSettings = new ApiSettings(config.query().toOptions(),
                BuildInfo.of(Version.VERSION, Version.REVISION, Version.BRANCH, "strata", Version.BUILD_DATE),
                Map.of(), "unlimited", System.currentTimeMillis(), ApiSettings.ANY_ORIGIN);
        // Metadata: from the local label indexes on a single node; across the cluster from the owners' label indexes.
        SeriesMetadataSource metadata = topology.ownership().nodes() == 1
                ? new IndexMetadataSource(shards::shards)
                : new ClusterMetadataSource(topology, shards, peerClient, mapper);
        // A query's pushed-down partial queries run here, at the same time. They mostly wait on peers
        // (never on this pool or the query pool), and a query has a few of them (avg by: sum, count and
        // the order keys), so the pool has 4 threads per query thread.
        pushdownExecutor = newExecutor(4 * config.query().effectiveThreads(), "strata-pushdown-");
        PrometheusApi api = new PrometheusApi(new PartialResponseEvaluator(new PushdownEvaluator(
                QueryEvaluator.of(engine), clusterData, topology, shards, peerClient, pushdownExecutor)), metadata,
                apiSettings, queryExecutor, System::currentTimeMillis);
        ShardStatusHandler localShardStatus = new ShardStatusHandler(shards::stats, shards::states);
        IngestMetrics.registerGateway(metrics, gateway.gateway().stats(), gateway.gateway().inFlight());
        IngestMetrics.registerShards(metrics, shards::stats);
        ClusterStatus clusterStatus = new ClusterStatus(topology, shards, peerClient);
        // Selects from other nodes get their own threads: a query here waiting on a peer whose query
        // threads wait on us must not starve either side.
        selectExecutor = newExecutor(config.query().effectiveThreads(), "strata-select-");
        InternalRoutes internal = new InternalRoutes(shards, selectExecutor, config.query().toOptions());
        Router router = SystemRoutes.addTo(Router.builder(), readiness, metrics)
                .post("/api/v1/write", gateway.remoteWrite::handle)
                .post("/api/v2/write", gateway.influx::handle)
                .post("/write", gateway.influx::handle)
                .get("/api/v1/status/shards", clusterStatus::handle)
                .get("/api/v1/status/local-shards", localShardStatus::handle)
                .post(ClusterQueryable.SELECT_PATH, internal::select)
                .post(PushdownEvaluator.QUERY_PATH, internal::query)
                .post(ClusterMetadataSource.METADATA_PATH, internal::metadata)
                .get("/internal/v1/shards", internal::shards)
                .prefix(HttpMethod.GET, "/api/v1/", api::handle)
                .prefix(HttpMethod.POST, "/api/v1/", api::handle)
                .prefix(HttpMethod.OPTIONS, "/api/v1/", api::handle)
                .build();
        http = new HttpComponent(new HttpServer(config.http(), router, metrics));
        metrics.counter("strata_cluster_peer_bytes_sent_total", "Bytes of request bodies this node sent to other nodes.",
                peerClient::bytesSent);
        metrics.counter("strata_cluster_peer_bytes_received_total",
                "Bytes of response bodies this node received from other nodes (selects, pushed-down queries, metadata, status).", peerClient::bytesReceived);
        metrics.gauge("strata_node_ready", "1 when every component of the node is ready, else 0.",
                () -> readiness.isReady() ? 1 : 0);
        node = new Node(List.of(dataDir, kafka, cassandra, shards, gateway, http), readiness);
    }

    private static ExecutorService newExecutor(int threads, String prefix) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public void start() throws Exception {
        node.start();
    }

    public boolean isReady() {
        return node.isReady();
    }

    /** The HTTP server's bound port (useful with http.port=0). */
    public int httpPort() {
        return http.port();
    }

    public MetricsRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        node.close();
        queryExecutor.shutdownNow();
        selectExecutor.shutdownNow();
        pushdownExecutor.shutdownNow();
        peerClient.close();
    }
}

package dev.strata.node;

import dev.strata.node.config.ConfigType;
import dev.strata.store.concurrent.NamedThreads;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.query.distributed.ClusterMetadataSource;
import dev.strata.query.distributed.ClusterQueryable;
import dev.strata.node.cluster.ClusterStatus;
import dev.strata.node.cluster.ClusterTopology;
import dev.strata.node.cluster.BalancedPlanner;
import dev.strata.node.cluster.DrainRoutes;
import dev.strata.node.cluster.DynamicCluster;
import dev.strata.node.cluster.NodeZone;
import dev.strata.node.cluster.ClusterMembership;
import dev.strata.node.cluster.ShardHandoff;
import dev.strata.node.cluster.membership.Membership;
import dev.strata.node.cluster.membership.MembershipSettings;
import dev.strata.node.config.ClusterSettings;
import dev.strata.store.cassandra.CassandraSchema;
import dev.strata.node.cluster.InternalRoutes;
import dev.strata.query.distributed.PartialResponseEvaluator;
import dev.strata.node.cluster.PeerClient;
import dev.strata.node.cluster.RetentionGuard;
import dev.strata.query.distributed.PushdownEvaluator;
import dev.strata.query.distributed.QueryScope;
import dev.strata.node.cluster.Hostname;
import dev.strata.node.config.ConfigException;
import dev.strata.node.config.ConfigYaml;
import dev.strata.node.config.HttpSettings;
import dev.strata.node.config.NodeConfig;
import dev.strata.node.http.HttpServer;
import dev.strata.node.http.Readiness;
import dev.strata.node.http.Router;
import dev.strata.node.http.SystemRoutes;
import dev.strata.node.security.Access;
import dev.strata.node.security.ClusterSecurity;
import dev.strata.node.security.SecurityReloader;
import dev.strata.node.security.WebConfigException;
import dev.strata.node.security.WebSecurity;
import dev.strata.node.status.ClusterOverview;
import dev.strata.node.status.TsdbStatus;
import dev.strata.node.ui.UiAssets;
import dev.strata.store.selfmetrics.JvmMetrics;
import dev.strata.store.selfmetrics.MetricsRegistry;
import dev.strata.store.selfmetrics.ProcessMetrics;
import dev.strata.ingest.status.IngestMetrics;
import dev.strata.ingest.status.ShardStatusHandler;
import dev.strata.query.api.ApiSettings;
import dev.strata.query.api.BuildInfo;
import dev.strata.query.api.FederateEndpoint;
import dev.strata.query.api.IndexMetadataSource;
import dev.strata.query.api.PrometheusApi;
import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.cache.RangeResultsCache;
import dev.strata.query.cache.ResultsCacheMetrics;
import dev.strata.node.config.QuerySettings;
import dev.strata.query.api.SeriesMetadataSource;
import dev.strata.query.api.StoredMetricMetadata;
import dev.strata.query.engine.Engine;
import dev.strata.query.remote.RemoteReadHandler;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a node from its configuration, in start order: the metrics registry, the locked data directory, the Kafka and Cassandra
 * connectors, the shards (label index + memory + consumer each), the gateway (write receivers and
 * the Kafka producer) and the HTTP server, which routes the write receivers, the shard status and the
 * Prometheus API by method reference. The node opens only the shards it owns
 * ({@link dev.strata.node.cluster.ClusterTopology}); queries read every shard of the cluster through
 * {@link dev.strata.query.distributed.ClusterQueryable} (raw series) or
 * {@link dev.strata.query.distributed.PushdownEvaluator} (aggregations evaluated by the owners), and the
 * node answers other nodes on {@code /internal/v1/*} on its own cluster port only ({@link ClusterSecurity}:
 * mTLS and/or the cluster secret), never on the public one. Components stop in reverse order, so the HTTP server stops
 * before the parts it calls.
 */
public final class NodeAssembly implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAssembly.class);
    /**
     * A query's pushed-down partial queries run on their own pool, at the same time. They mostly wait on
     * peers (never on this pool or the query pool), and a query has a few of them (avg by: sum, count and
     * the order keys), so the pool has 4 threads per query thread.
     */
    private static final int PUSHDOWN_THREADS_PER_QUERY_THREAD = 4;

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
    private final RetentionGuard retentionGuard;
    private final ExecutorService selectExecutor;
    private final ExecutorService pushdownExecutor;
    private final ExecutorService remoteReadExecutor;
    private final HttpComponent http;
    private final HttpComponent clusterHttp; // null: no cluster port (a single node without cluster credentials)
    private final WebSecurity webSecurity;
    private final ClusterSecurity clusterSecurity;
    private SecurityReloader reloader;
    private final Duration reloadInterval;
    private final Node node;
    /** Dynamic membership (no cluster.nodes); null in the static form. */
    private final DynamicCluster cluster;
    private final Duration leaveTimeout;

    public NodeAssembly(NodeConfig config) {
        ProcessMetrics.register(metrics);
        JvmMetrics.register(metrics);
        try {
            webSecurity = config.security().webConfigFile().map(WebSecurity::load).orElseGet(WebSecurity::open);
        } catch (WebConfigException e) {
            throw new ConfigException("http.web-config-file: " + e.getMessage());
        }
        clusterSecurity = ClusterSecurity.of(config.security());
        reloadInterval = config.security().reloadInterval();
        dataDir = new DataDirectory(config.storage().dataDir());
        kafka = KafkaSetup.connector(config.kafka(), config.cluster());
        cassandra = CassandraSetup.connector(config.cassandra(), config.cluster());
        try {
            topology = ClusterTopology.from(config.cluster(), Hostname.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        // Static form: this node's fixed share. Dynamic: none until the first view (ShardHandoff sets them);
        // the budget is then sized for every shard on this node (a lone member owns them all).
        List<Integer> owned = config.ingest().gatewayOnly() ? List.of() : topology.dynamic() ? null : topology.ownedShards();
        int budgetShards = owned != null ? owned.size() : config.cluster().shards();
        long budget = MemoryBudget.perShard(config.memory().memoryBudgetPerShard(), budgetShards, Runtime.getRuntime().maxMemory());
        shards = new ShardsComponent(config, kafka::isReady, cassandra::isReady, cassandra::get, kafka::get, metrics, owned, budget);
        peerClient = new PeerClient(topology::address, config.cluster().peerTimeout(), config.query().timeout(), clusterSecurity);
        RetentionGuard.checkSettings(config.ingest().retentionGuardPercent(), config.kafka().retention(),
                config.durability().flushInterval());
        retentionGuard = new RetentionGuard(topology, shards, peerClient, config.ingest().retentionGuardPercent(),
                config.kafka().retention());
        readiness.registerReason("retention-guard", retentionGuard::readinessProblem);
        gateway = new GatewayComponent(config, kafka::isReady, retentionGuard);
        // At most query.max-concurrency query API requests at once, evaluating or queued; more get 503.
        int queryThreads = Math.min(config.query().effectiveThreads(), config.limits().maxConcurrentQueries());
        queryExecutor = NamedThreads.boundedPool(queryThreads, config.limits().maxConcurrentQueries() - queryThreads,
                "strata-query");
        ShardMapper mapper = new ShardMapper(config.cluster().shards(), config.ingest().spread(),
                config.ingest().shardKey().toArray(String[]::new));
        ClusterQueryable clusterData = new ClusterQueryable(topology, shards, peerClient, mapper,
                config.query().maxSamples());
        Engine engine = new Engine(clusterData, config.query().toOptions());
        ApiSettings apiSettings = new ApiSettings(config.query().toOptions(),
                BuildInfo.of(Version.VERSION, Version.REVISION, Version.BRANCH, "strata", Version.BUILD_DATE),
                config.shown(), storageRetention(config), System.currentTimeMillis(), ApiSettings.ANY_ORIGIN,
                ConfigYaml.of(config.shown()));
        // Metadata: from the local label indexes on a single node; across the cluster from the owners' label indexes.
        SeriesMetadataSource metadata = topology.singleNode()
                ? new IndexMetadataSource(shards::shards)
                : new ClusterMetadataSource(topology, shards, peerClient, mapper);
        pushdownExecutor = NamedThreads.boundedPool(PUSHDOWN_THREADS_PER_QUERY_THREAD * config.query().effectiveThreads(),
                PUSHDOWN_THREADS_PER_QUERY_THREAD * config.limits().maxConcurrentQueries(), "strata-pushdown");
        QueryEvaluator evaluator = new PartialResponseEvaluator(new PushdownEvaluator(
                QueryEvaluator.of(engine), clusterData, topology, shards, peerClient, pushdownExecutor));
        // The results cache learns of late writes from this node's own shards only, so it serves only a node
        // that holds every shard: a single node of role all. (A gateway-only node's shards are elsewhere, and in a
        // cluster a late write is appended by the shard's owners, whose LateWrites this node's cache never hears.)
        QuerySettings.ResultsCache rc = config.query().resultsCache();
        if (rc.enabled() && topology.singleNode() && !config.ingest().gatewayOnly()) {
            RangeResultsCache cache = new RangeResultsCache(evaluator, new RangeResultsCache.Settings(
                    rc.splitInterval().toMillis(), rc.maxBytes(), rc.uncachedRecent().toMillis()),
                    System::currentTimeMillis, shards.lateWrites());
            ResultsCacheMetrics.register(metrics, cache);
            evaluator = cache;
        } else if (rc.enabled()) {
            LOG.warn("query.results-cache.enabled is ignored: the results cache serves only a single node holding every shard");
        }
        PrometheusApi api = new PrometheusApi(evaluator, metadata,
                // Metric metadata: the cluster-wide Cassandra table, the same answer on every node.
                StoredMetricMetadata.of(shards::metadataTable, System::currentTimeMillis),
                apiSettings, queryExecutor, System::currentTimeMillis);
        ShardStatusHandler localShardStatus = new ShardStatusHandler(shards::stats, () -> retentionGuard.annotate(shards.states()),
                System::currentTimeMillis);
        IngestMetrics.registerGateway(metrics, gateway.gateway().stats(), gateway.gateway().inFlight());
        IngestMetrics.registerShards(metrics, shards::stats);
        ClusterStatus clusterStatus = new ClusterStatus(topology, shards, peerClient);
        // Selects from other nodes get their own threads: a query here waiting on a peer whose query
        // threads wait on us must not starve either side.
        selectExecutor = NamedThreads.boundedPool(config.query().effectiveThreads(), config.limits().maxConcurrentQueries(),
                "strata-select");
        InternalRoutes internal = new InternalRoutes(shards, selectExecutor, config.query().toOptions());
        TsdbStatus tsdb = new TsdbStatus(topology, shards, peerClient, selectExecutor);
        ClusterOverview overview = new ClusterOverview(topology, peerClient, shards::stats,
                () -> retentionGuard.annotate(shards.states()), shards::flushTimes,
                System::currentTimeMillis);
        UiAssets ui = new UiAssets();
        // Remote read: its own threads, as many as reads may run at once (further requests queue). A read
        // answers all or nothing: a shard without a ready owner fails it (no warnings channel in the protocol).
        remoteReadExecutor = NamedThreads.fixedPool(config.remoteRead().concurrentLimit(), "strata-remote-read");
        RemoteReadHandler remoteRead = new RemoteReadHandler(
                (matchers, minT, maxT) -> QueryScope.run(false, new QueryScope[1], () -> clusterData.select(matchers, minT, maxT)),
                remoteReadExecutor, config.remoteRead().sampleLimit(), config.remoteRead().maxBytesInFrame(),
                (int) Math.min(Integer.MAX_VALUE, 8 * config.http().maxRequestBytes()));
        // Federation, like a query outside a partial_response scope, serves what the ready owners hold.
        FederateEndpoint federate = new FederateEndpoint(clusterData, queryExecutor,
                config.query().lookbackDelta().toMillis(), System::currentTimeMillis);
        WebSecurity web = webSecurity;
        // Drain/undrain: the membership once joined (DynamicCluster.membership(); null before); fixed members: refused.
        DrainRoutes drain = new DrainRoutes(topology.dynamic() ? this::joinedMembership : DrainRoutes.STATIC, queryExecutor);
        Router router = SystemRoutes.addTo(Router.builder(), readiness, metrics,
                        route -> web.guard(Access.OPEN, route), route -> web.guard(Access.ANY_USER, route))
                .get("/", web.guard(Access.ANY_USER, ui::index))
                .get("/graph", web.guard(Access.ANY_USER, ui::index))
                .prefix(HttpMethod.GET, "/ui/", web.guard(Access.ANY_USER, ui::asset))
                .post("/api/v1/write", web.guard(Access.WRITE, gateway.remoteWrite::handle))
                .post("/api/v1/otlp/v1/metrics", web.guard(Access.WRITE, gateway.otlp::handle))
                .post("/api/v1/read", web.guard(Access.READ, remoteRead::handle))
                .get("/federate", web.guard(Access.READ, federate::handle))
                .post("/federate", web.guard(Access.READ, federate::handle))
                .post("/api/v2/write", web.guard(Access.WRITE, gateway.influx::handle))
                .post("/write", web.guard(Access.WRITE, gateway.influx::handle))
                .post("/api/v1/admin/drain", web.guard(Access.ADMIN, drain::drain))
                .post("/api/v1/admin/undrain", web.guard(Access.ADMIN, drain::undrain))
                .get("/api/v1/status/shards", web.guard(Access.ADMIN, clusterStatus::handle))
                .get("/api/v1/status/local-shards", web.guard(Access.ADMIN, localShardStatus::handle))
                .get("/api/v1/status/cluster", web.guard(Access.ADMIN, overview::cluster))
                // Cardinality reveals label names and values, which readers see through the query API anyway.
                .get("/api/v1/status/tsdb", web.guard(Access.READ, tsdb::handle))
                // Build information tells a client (Grafana) which API it talks to: readers need it.
                .get("/api/v1/status/buildinfo", web.guard(Access.READ, api::handle))
                .prefix(HttpMethod.GET, "/api/v1/status/", web.guard(Access.ADMIN, api::handle))
                .prefix(HttpMethod.GET, "/api/v1/", web.guard(Access.READ, api::handle))
                .prefix(HttpMethod.POST, "/api/v1/", web.guard(Access.READ, api::handle))
                .prefix(HttpMethod.OPTIONS, "/api/v1/", web.guard(Access.READ, api::handle))
                .build();
        http = new HttpComponent("http", new HttpServer("http", config.http(), config.limits(), router, metrics, webSecurity));
        if (clusterSecurity.enabled()) {
            HttpSettings h = config.http();
            clusterHttp = new HttpComponent("cluster-http", new HttpServer("cluster_http",
                    new HttpSettings(h.bind(), config.security().clusterPort(), h.maxRequestBytes(), h.idleTimeout(), h.threads()),
                    config.limits(), clusterRouter(internal, tsdb, overview, clusterSecurity), metrics, clusterSecurity));
        } else {
            clusterHttp = null; // a single node (SecuritySettings refuses a cluster without credentials)
        }
        metrics.counter("strata_cluster_peer_bytes_sent_total", "Bytes of request bodies this node sent to other nodes.",
                peerClient::bytesSent);
        metrics.counter("strata_cluster_peer_bytes_received_total",
                "Bytes of response bodies this node received from other nodes (selects, pushed-down queries, metadata, status).", peerClient::bytesReceived);
        metrics.gauge("strata_node_ready", "1 when every component of the node is ready, else 0.",
                () -> readiness.isReady() ? 1 : 0);
        List<Component> components = new ArrayList<>(List.of(dataDir, kafka, cassandra, shards, gateway));
        if (clusterHttp != null) components.add(clusterHttp);
        components.add(http);
        node = new Node(components, readiness);
        if (topology.dynamic()) {
            ClusterSettings.Membership m = config.cluster().membership();
            leaveTimeout = m.leaveTimeout();
            boolean gatewayOnly = config.ingest().gatewayOnly();
            ShardHandoff.LocalShardSet held = new ShardHandoff.LocalShardSet() {
                @Override
                public java.util.Set<Integer> desired() {
                    return shards.desired();
                }

                @Override
                public java.util.Set<Integer> ready() {
                    return shards.readyShards();
                }

                @Override
                public void setDesired(java.util.Set<Integer> s) {
                    shards.setDesired(s);
                }
            };
            cluster = new DynamicCluster(topology, held, metrics, cassandra::isReady,
                    () -> newMembership(config, gatewayOnly), gatewayOnly, m.failureTimeout());
        } else {
            cluster = null;
            leaveTimeout = Duration.ZERO;
        }
    }

    /** The running membership, for the admin drain calls; null until this node has joined. */
    private ClusterMembership joinedMembership() {
        DynamicCluster c = cluster;
        return c == null ? null : c.membership();
    }

    /**
     * This node's membership over the connected Cassandra session (the membership tables created if
     * missing): its ordinal, advertised cluster address, zone, the shape, the timing, the balanced planner,
     * and the shards it has ready (none on a gateway).
     */
    private Membership newMembership(NodeConfig config, boolean gatewayOnly) {
        CqlSession session = cassandra.get();
        String keyspace = config.cassandra().keyspace();
        CassandraSchema.createMembershipTables(session, keyspace);
        ClusterSettings c = config.cluster();
        // node.zone, else the Kubernetes node's zone label (a warning and no zone when it cannot be read).
        String zone = NodeZone.resolve(c, System.getenv());
        MembershipSettings settings = new MembershipSettings(topology.self(), advertiseAddress(c), zone, c.shards(), c.replicas(),
                c.membership().heartbeatInterval(), c.membership().failureTimeout());
        return new Membership(session, keyspace, ShardsComponent.consistency(config, session), settings, new BalancedPlanner(),
                gatewayOnly ? java.util.Set::of : shards::readyShards);
    }

    /**
     * host:port the other nodes reach this node's cluster port at: {@code cluster.advertise-address}
     * (a host alone gets the port the cluster listener bound, so {@code cluster.port=0} works), else
     * {@code cluster.peer-template} with this ordinal, else the host name and the cluster port.
     */
    private String advertiseAddress(ClusterSettings c) {
        String a = c.membership().advertiseAddress();
        int port = clusterPort();
        if (!a.isEmpty()) return a.contains(":") ? a : a + ":" + port;
        if (!c.peerTemplate().isBlank()) {
            return c.peerTemplate().replace("{ordinal}", Integer.toString(topology.self())).replace("{namespace}", c.namespace());
        }
        return Hostname.get() + ":" + port;
    }

    /** The cluster port's routes: the node-to-node endpoints and a health check, each behind the cluster's credentials. */
    private static Router clusterRouter(InternalRoutes internal, TsdbStatus tsdb, ClusterOverview overview,
                                        ClusterSecurity cs) {
        return Router.builder()
                .get("/-/healthy", cs.guard(SystemRoutes.HEALTHY))
                .post(ClusterQueryable.SELECT_PATH, cs.guard(internal::select))
                .post(PushdownEvaluator.QUERY_PATH, cs.guard(internal::query))
                .post(ClusterMetadataSource.METADATA_PATH, cs.guard(internal::metadata))
                .get("/internal/v1/shards", cs.guard(internal::shards))
                .post(TsdbStatus.INTERNAL_PATH, cs.guard(tsdb::internal))
                .get(ClusterOverview.INTERNAL_PATH, cs.guard(overview::local))
                .build();
    }

    /**
     * {@code storageRetention} of {@code /api/v1/status/runtimeinfo}: the enforced retention (the chunk
     * table's TTL), in Prometheus's duration format ({@code 15d} prints as {@code 2w1d}, as Prometheus does).
     */
    static String storageRetention(NodeConfig config) {
        return ConfigType.DURATION.format(config.durability().retention());
    }

    public void start() throws Exception {
        LOG.info("public port: {}", webSecurity.describe());
        LOG.info("cluster port: {}", clusterHttp == null
                ? "not opened (a single node without cluster.secret-file or cluster.tls.*)" : clusterSecurity.describe());
        reloader = new SecurityReloader(webSecurity, clusterSecurity, reloadInterval);
        node.start();
        retentionGuard.start();
        if (cluster != null) cluster.start(); // joins once Cassandra is ready; shards open with the first view
    }

    public boolean isReady() {
        return node.isReady();
    }

    /** The HTTP server's bound port (useful with http.port=0). */
    /** The shards this node holds (tests read their memory, index and pager directly). */
    ShardsComponent shards() {
        return shards;
    }

    public int httpPort() {
        return http.port();
    }

    /** The cluster port (useful with cluster.port=0); -1 when the node opened none. */
    public int clusterPort() {
        return clusterHttp == null ? -1 : clusterHttp.port();
    }

    public MetricsRegistry metrics() {
        return metrics;
    }

    /**
     * SIGTERM: with dynamic membership, first hands this node's shards over (announces leaving, waits up
     * to {@code cluster.leave-timeout} for their new owners to be ready), deletes this node's member row,
     * then stops as {@link #close} does. The static form just stops.
     */
    public void leaveAndClose() {
        if (cluster == null) {
            close();
            return;
        }
        try {
            cluster.handOver(leaveTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The row goes before the components stop: deleting it needs the Cassandra session, which stops with
        // them. The shards are handed over by now (or the leave timed out, and their other owners serve them).
        cluster.leave();
        stop();
    }

    /** Stops the node; with dynamic membership its member row is left to expire, as after a crash (tests; SIGTERM uses {@link #leaveAndClose}). */
    @Override
    public void close() {
        if (cluster != null) cluster.close();
        stop();
    }

    private void stop() {
        retentionGuard.close();
        node.close();
        if (reloader != null) reloader.close();
        webSecurity.close();
        queryExecutor.shutdownNow();
        selectExecutor.shutdownNow();
        pushdownExecutor.shutdownNow();
        remoteReadExecutor.shutdownNow();
        peerClient.close();
    }
}

package dev.strata.node;

import com.datastax.oss.driver.api.core.CqlSession;
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
import dev.strata.query.engine.Engine;
import dev.strata.query.storage.LocalShardsQueryable;
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
 * Prometheus API by method reference. Components stop in reverse order, so the HTTP server stops
 * before the parts it calls.
 */
public final class NodeAssembly implements AutoCloseable {
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final Readiness readiness = new Readiness();
    private final DataDirectory dataDir;
    private final Connector<Admin> kafka;
    private final Connector<CqlSession> cassandra;
    private final ShardsComponent shards;
    private final GatewayComponent gateway;
    private final ExecutorService queryExecutor;
    private final HttpComponent http;
    private final Node node;

    public NodeAssembly(NodeConfig config) {
        ProcessMetrics.register(metrics);
        JvmMetrics.register(metrics);
        dataDir = new DataDirectory(config.storage().dataDir());
        kafka = KafkaSetup.connector(config.kafka(), config.cluster());
        cassandra = CassandraSetup.connector(config.cassandra(), config.cluster());
        shards = new ShardsComponent(config, kafka::isReady, cassandra::isReady, cassandra::get, metrics);
        gateway = new GatewayComponent(config, kafka::isReady);
        queryExecutor = newQueryExecutor(config.query().effectiveThreads());
        Engine engine = new Engine((matchers, minT, maxT) -> new LocalShardsQueryable(shards.shards()).select(matchers, minT, maxT),
                config.query().toOptions());
        ApiSettings apiSettings = new ApiSettings(config.query().toOptions(),
                BuildInfo.of(Version.VERSION, Version.REVISION, Version.BRANCH, "strata", Version.BUILD_DATE),
                Map.of(), "unlimited", System.currentTimeMillis(), ApiSettings.ANY_ORIGIN);
        PrometheusApi api = new PrometheusApi(QueryEvaluator.of(engine), new IndexMetadataSource(shards::shards),
                apiSettings, queryExecutor, System::currentTimeMillis);
        ShardStatusHandler shardStatus = new ShardStatusHandler(shards::stats);
        IngestMetrics.registerGateway(metrics, gateway.gateway().stats(), gateway.gateway().inFlight());
        IngestMetrics.registerShards(metrics, shards::stats);
        Router router = SystemRoutes.addTo(Router.builder(), readiness, metrics)
                .post("/api/v1/write", gateway.remoteWrite::handle)
                .post("/api/v2/write", gateway.influx::handle)
                .post("/write", gateway.influx::handle)
                .get("/api/v1/status/shards", shardStatus::handle)
                .prefix(HttpMethod.GET, "/api/v1/", api::handle)
                .prefix(HttpMethod.POST, "/api/v1/", api::handle)
                .prefix(HttpMethod.OPTIONS, "/api/v1/", api::handle)
                .build();
        http = new HttpComponent(new HttpServer(config.http(), router, metrics));
        metrics.gauge("strata_node_ready", "1 when every component of the node is ready, else 0.",
                () -> readiness.isReady() ? 1 : 0);
        node = new Node(List.of(dataDir, kafka, cassandra, shards, gateway, http), readiness);
    }

    private static ExecutorService newQueryExecutor(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "strata-query-" + n.incrementAndGet());
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
    }
}

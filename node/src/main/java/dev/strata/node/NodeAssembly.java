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
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * Wires a node from its configuration: the metrics registry, the Kafka and Cassandra connectors and
 * the HTTP server, in start order. Ingest and query components will be added here, between the
 * connectors and the HTTP server (so they stop before their connections close), with their HTTP
 * handlers routed by method reference.
 */
public final class NodeAssembly implements AutoCloseable {
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final Readiness readiness = new Readiness();
    private final Connector<Admin> kafka;
    private final Connector<CqlSession> cassandra;
    private final HttpComponent http;
    private final Node node;

    public NodeAssembly(NodeConfig config) {
        ProcessMetrics.register(metrics);
        JvmMetrics.register(metrics);
        kafka = KafkaSetup.connector(config.kafka(), config.cluster());
        cassandra = CassandraSetup.connector(config.cassandra(), config.cluster());
        Router router = SystemRoutes.addTo(Router.builder(), readiness, metrics).build();
        http = new HttpComponent(new HttpServer(config.http(), router, metrics));
        metrics.gauge("strata_node_ready", "1 when every component of the node is ready, else 0.",
                () -> readiness.isReady() ? 1 : 0);
        node = new Node(List.of(kafka, cassandra, http), readiness);
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
    }
}

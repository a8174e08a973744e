package dev.strata.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.strata.node.config.CassandraSettings;
import dev.strata.node.config.ClusterSettings;
import dev.strata.node.config.HostPort;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connecting to Cassandra at node start: a CqlSession to the contact points, and the keyspace
 * (created with the configured replication if absent). The session is not bound to the keyspace:
 * statements name it, so one session serves every table.
 */
public final class CassandraSetup {
    private static final Logger LOG = LoggerFactory.getLogger(CassandraSetup.class);

    private CassandraSetup() {}

    public static Connector<CqlSession> connector(CassandraSettings cassandra, ClusterSettings cluster) {
        return new Connector<>("cassandra", cluster.connectRetryInterval(), ex -> attempt(cassandra, ex),
                CqlSession::close);
    }

    /** The CQL that creates the keyspace; the keyspace name and replication map are validated by the config. */
    static String createKeyspaceCql(CassandraSettings c) {
        return "CREATE KEYSPACE IF NOT EXISTS " + c.keyspace() + " WITH replication = " + c.replication();
    }

    static CompletableFuture<CqlSession> attempt(CassandraSettings c, Executor executor) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, c.requestTimeout())
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, c.requestTimeout())
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, c.requestTimeout())
                .withString(DefaultDriverOption.SESSION_NAME, "strata")
                // The driver's default cap is 60 s: after a Cassandra outage, flushes (and checkpoints) would
                // resume up to a minute after the node is back (seen in NodeStorageFaultTest).
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY,
                        c.reconnectMaxDelay().compareTo(Duration.ofSeconds(1)) < 0 ? c.reconnectMaxDelay() : Duration.ofSeconds(1))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, c.reconnectMaxDelay())
                .build();
        var builder = CqlSession.builder().withConfigLoader(config).withLocalDatacenter(c.localDatacenter());
        for (HostPort hp : c.contactPoints()) {
            builder.addContactPoint(new InetSocketAddress(hp.host(), hp.port())); // resolved now, on every attempt
        }
        return builder.buildAsync().toCompletableFuture().thenComposeAsync(session ->
                session.executeAsync(createKeyspaceCql(c)).toCompletableFuture().handleAsync((rs, error) -> {
                    if (error != null) {
                        session.closeAsync();
                        throw error instanceof CompletionException ce ? ce : new CompletionException(error);
                    }
                    LOG.info("cassandra: keyspace {} is present (created with {} if it was absent)", c.keyspace(),
                            c.replication());
                    return session;
                }, executor), executor);
    }
}

package dev.strata.node.config;

import java.time.Duration;
import java.util.List;

/**
 * How the node reaches Cassandra and where its tables live. {@code replication} is a CQL map literal;
 * {@code reconnectMaxDelay} caps the driver's exponential reconnection delay to a lost node. The
 * consistency levels are names or {@code auto} (see {@code dev.strata.store.cassandra.Consistency}).
 */
public record CassandraSettings(List<HostPort> contactPoints, String keyspace, String localDatacenter,
                                String replication, Duration requestTimeout, Duration reconnectMaxDelay,
                                String writeConsistency, String checkpointConsistency, String readConsistency) {
    public CassandraSettings {
        contactPoints = List.copyOf(contactPoints);
    }

    public static CassandraSettings from(ResolvedConfig c) {
        return new CassandraSettings(c.get(ConfigKeys.CASSANDRA_CONTACT_POINTS), c.get(ConfigKeys.CASSANDRA_KEYSPACE),
                c.get(ConfigKeys.CASSANDRA_LOCAL_DATACENTER), c.get(ConfigKeys.CASSANDRA_REPLICATION),
                c.get(ConfigKeys.CASSANDRA_REQUEST_TIMEOUT), c.get(ConfigKeys.CASSANDRA_RECONNECT_MAX_DELAY),
                c.get(ConfigKeys.CASSANDRA_WRITE_CONSISTENCY), c.get(ConfigKeys.CASSANDRA_CHECKPOINT_CONSISTENCY),
                c.get(ConfigKeys.CASSANDRA_READ_CONSISTENCY));
    }
}

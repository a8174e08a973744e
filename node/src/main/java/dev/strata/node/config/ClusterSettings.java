package dev.strata.node.config;

import java.time.Duration;
import java.util.List;

/**
 * This node's place in the cluster.
 *
 * @param shards number of shards (= partitions of the samples topic)
 * @param ordinal this node's configured ordinal (StatefulSet pod index); -1 = from the host name
 * @param connectRetryInterval pause between attempts to reach Kafka/Cassandra at start
 * @param nodes number of nodes (static form)
 * @param replicas owners per shard
 * @param peers static host:port per ordinal (empty: use peerTemplate)
 * @param peerTemplate host:port with {ordinal} and {namespace}
 * @param namespace substituted into peerTemplate
 * @param peerTimeout timeout of one node-to-node request
 * @param membership dynamic membership settings; null for the static form (cluster.nodes given, or a single
 *                   node without cluster credentials)
 */
public record ClusterSettings(int shards, int ordinal, Duration connectRetryInterval, int nodes, int replicas,
                              List<String> peers, String peerTemplate, String namespace, Duration peerTimeout,
                              Membership membership) {

    /**
     * Dynamic membership (docs/cluster-membership.md).
     *
     * @param heartbeatInterval how often the node writes its heartbeat and reads the others'
     * @param failureTimeout    a member without a heartbeat for this long is down
     * @param leaveTimeout      how long a SIGTERM waits for this node's shards to be ready elsewhere
     * @param advertiseAddress  host:port others reach this node's cluster port at (a host alone: with the bound
     *                          cluster port); empty: derived at start
     */
    public record Membership(Duration heartbeatInterval, Duration failureTimeout, Duration leaveTimeout,
                             String advertiseAddress) {
        public Membership {
            if (failureTimeout.compareTo(heartbeatInterval.multipliedBy(2)) <= 0) {
                throw new ConfigException("cluster.failure-timeout=" + failureTimeout.toMillis() + "ms must exceed 2 x "
                        + "cluster.heartbeat-interval=" + heartbeatInterval.toMillis() + "ms: one late heartbeat must not make a node down");
            }
        }
    }

    /** The static form (cluster.nodes given, or a single node). */
    public ClusterSettings(int shards, int ordinal, Duration connectRetryInterval, int nodes, int replicas,
                           List<String> peers, String peerTemplate, String namespace, Duration peerTimeout) {
        this(shards, ordinal, connectRetryInterval, nodes, replicas, peers, peerTemplate, namespace, peerTimeout, null);
    }

    /** A single-node cluster (tests and tools). */
    public ClusterSettings(int shards, int ordinal, Duration connectRetryInterval) {
        this(shards, ordinal, connectRetryInterval, 1, 1, List.of(), "", "default", Duration.ofSeconds(2));
    }

    /** True when members join and leave at run time (membership in Cassandra) instead of cluster.nodes fixing them. */
    public boolean dynamic() {
        return membership != null;
    }

    public static ClusterSettings from(ResolvedConfig c) {
        int nodes = c.get(ConfigKeys.CLUSTER_NODES);
        int replicas = c.get(ConfigKeys.CLUSTER_REPLICAS);
        boolean nodesGiven = !"default".equals(c.origin(ConfigKeys.CLUSTER_NODES));
        boolean credentials = !c.get(ConfigKeys.CLUSTER_SECRET_FILE).isBlank() || !c.get(ConfigKeys.CLUSTER_TLS_CERT_FILE).isBlank();
        Membership membership = null;
        if (!nodesGiven && credentials) {
            membership = new Membership(c.get(ConfigKeys.CLUSTER_HEARTBEAT_INTERVAL), c.get(ConfigKeys.CLUSTER_FAILURE_TIMEOUT),
                    c.get(ConfigKeys.CLUSTER_LEAVE_TIMEOUT), c.get(ConfigKeys.CLUSTER_ADVERTISE_ADDRESS).trim());
            if (c.get(ConfigKeys.CLUSTER_PORT) == 0 && membership.advertiseAddress().isEmpty()) {
                throw new ConfigException("cluster.port=0 (a random port) needs cluster.advertise-address with dynamic membership:"
                        + " the other nodes find this one at the address it announces");
            }
        } else if (replicas > nodes) {
            throw new ConfigException("cluster.replicas=" + replicas + " exceeds cluster.nodes=" + nodes
                    + ": each shard needs that many distinct nodes");
        }
        return new ClusterSettings(c.get(ConfigKeys.SHARDS), c.get(ConfigKeys.NODE_ORDINAL),
                c.get(ConfigKeys.NODE_CONNECT_RETRY_INTERVAL), nodes, replicas, c.get(ConfigKeys.CLUSTER_PEERS),
                c.get(ConfigKeys.CLUSTER_PEER_TEMPLATE), c.get(ConfigKeys.CLUSTER_NAMESPACE),
                c.get(ConfigKeys.CLUSTER_PEER_TIMEOUT), membership);
    }
}

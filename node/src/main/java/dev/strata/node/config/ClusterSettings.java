package dev.strata.node.config;

import java.time.Duration;
import java.util.List;

/**
 * This node's place in the cluster.
 *
 * @param shards number of shards (= partitions of the samples topic)
 * @param ordinal this node's configured ordinal (StatefulSet pod index); -1 = from the host name
 * @param connectRetryInterval pause between attempts to reach Kafka/Cassandra at start
 * @param nodes number of nodes
 * @param replicas owners per shard
 * @param peers static host:port per ordinal (empty: use peerTemplate)
 * @param peerTemplate host:port with {ordinal} and {namespace}
 * @param namespace substituted into peerTemplate
 * @param peerTimeout timeout of one node-to-node request
 * @param zone the configured {@code node.zone}; empty: from Kubernetes or none ({@code NodeZone.resolve})
 */
public record ClusterSettings(int shards, int ordinal, Duration connectRetryInterval, int nodes, int replicas,
                              List<String> peers, String peerTemplate, String namespace, Duration peerTimeout,
                              String zone) {

    /** Without a configured zone. */
    public ClusterSettings(int shards, int ordinal, Duration connectRetryInterval, int nodes, int replicas,
                           List<String> peers, String peerTemplate, String namespace, Duration peerTimeout) {
        this(shards, ordinal, connectRetryInterval, nodes, replicas, peers, peerTemplate, namespace, peerTimeout, "");
    }

    /** A single-node cluster (tests and tools). */
    public ClusterSettings(int shards, int ordinal, Duration connectRetryInterval) {
        this(shards, ordinal, connectRetryInterval, 1, 1, List.of(), "", "default", Duration.ofSeconds(2));
    }

    public static ClusterSettings from(ResolvedConfig c) {
        int nodes = c.get(ConfigKeys.CLUSTER_NODES);
        int replicas = c.get(ConfigKeys.CLUSTER_REPLICAS);
        if (replicas > nodes) {
            throw new ConfigException("cluster.replicas=" + replicas + " exceeds cluster.nodes=" + nodes
                    + ": each shard needs that many distinct nodes");
        }
        return new ClusterSettings(c.get(ConfigKeys.SHARDS), c.get(ConfigKeys.NODE_ORDINAL),
                c.get(ConfigKeys.NODE_CONNECT_RETRY_INTERVAL), nodes, replicas, c.get(ConfigKeys.CLUSTER_PEERS),
                c.get(ConfigKeys.CLUSTER_PEER_TEMPLATE), c.get(ConfigKeys.CLUSTER_NAMESPACE),
                c.get(ConfigKeys.CLUSTER_PEER_TIMEOUT), c.get(ConfigKeys.NODE_ZONE));
    }
}

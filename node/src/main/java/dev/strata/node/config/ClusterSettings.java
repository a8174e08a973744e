package dev.strata.node.config;

import java.time.Duration;

/**
 * This node's place in the cluster.
 *
 * @param shards number of shards (= partitions of the samples topic)
 * @param ordinal this node's ordinal (StatefulSet pod index)
 * @param connectRetryInterval pause between attempts to reach Kafka/Cassandra at start
 */
public record ClusterSettings(int shards, int ordinal, Duration connectRetryInterval) {
    public static ClusterSettings from(ResolvedConfig c) {
        return new ClusterSettings(c.get(ConfigKeys.SHARDS), c.get(ConfigKeys.NODE_ORDINAL),
                c.get(ConfigKeys.NODE_CONNECT_RETRY_INTERVAL));
    }
}

package dev.strata.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which form of cluster the settings give: static (cluster.nodes given, or no credentials) or dynamic membership. */
class ClusterSettingsTest {
    private static ClusterSettings cluster(String... flags) {
        return ClusterSettings.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(flags)));
    }

    @Test
    void withoutClusterNodesButWithCredentialsMembershipIsDynamic() {
        ClusterSettings c = cluster("cluster.secret-file=/tmp/s", "cluster.replicas=2", "cluster.heartbeat-interval=500ms",
                "cluster.failure-timeout=3s", "cluster.leave-timeout=40s", "cluster.advertise-address=127.0.0.1");
        assertTrue(c.dynamic());
        assertEquals(2, c.replicas(), "replicas are not bounded by a node count");
        assertEquals(new ClusterSettings.Membership(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(40), "127.0.0.1"),
                c.membership());
    }

    @Test
    void clusterNodesGivenOrNoCredentialsIsTheStaticForm() {
        assertFalse(cluster("cluster.secret-file=/tmp/s", "cluster.nodes=3", "cluster.replicas=2").dynamic());
        assertFalse(cluster().dynamic(), "a single node without cluster credentials");
        ConfigException e = assertThrows(ConfigException.class, () -> cluster("cluster.secret-file=/tmp/s", "cluster.nodes=1", "cluster.replicas=2"));
        assertTrue(e.getMessage().contains("exceeds cluster.nodes"), e.getMessage());
    }

    @Test
    void membershipTimingIsChecked() {
        ConfigException e = assertThrows(ConfigException.class, () -> cluster("cluster.secret-file=/tmp/s",
                "cluster.heartbeat-interval=2s", "cluster.failure-timeout=4s"));
        assertTrue(e.getMessage().contains("cluster.failure-timeout") && e.getMessage().contains("2 x"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> cluster("cluster.secret-file=/tmp/s", "cluster.port=0"));
        assertTrue(e.getMessage().contains("cluster.advertise-address"), e.getMessage());
    }
}

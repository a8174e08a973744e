package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.config.ClusterSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardOwnershipTest {

    @Test
    void everyShardHasRDistinctOwnersAndNodesAreBalancedForManyShapes() {
        for (int n = 1; n <= 12; n++) {
            for (int s = 1; s <= 70; s++) {
                for (int r = 1; r <= n; r++) {
                    String shape = "N=" + n + " S=" + s + " R=" + r;
                    ShardOwnership o = new ShardOwnership(n, s, r);
                    int[] load = new int[n];
                    for (int shard = 0; shard < s; shard++) {
                        int[] owners = o.owners(shard);
                        assertEquals(r, owners.length, shape);
                        Set<Integer> distinct = new HashSet<>();
                        for (int x : owners) {
                            assertTrue(x >= 0 && x < n, shape);
                            distinct.add(x);
                            load[x]++;
                        }
                        assertEquals(r, distinct.size(), shape + " shard " + shard + " owners not distinct");
                    }
                    int floor = s * r / n, ceil = (s * r + n - 1) / n;
                    for (int node = 0; node < n; node++) {
                        assertTrue(load[node] == floor || load[node] == ceil,
                                shape + " node " + node + " holds " + load[node] + ", expected " + floor + ".." + ceil);
                        List<Integer> owned = o.ownedBy(node);
                        assertEquals(load[node], owned.size(), shape);
                        for (int shard : owned) assertTrue(o.owns(node, shard), shape);
                    }
                }
            }
        }
    }

    @Test
    void deterministicAndPreferredOwnersSpread() {
        ShardOwnership a = new ShardOwnership(3, 8, 2);
        ShardOwnership b = new ShardOwnership(3, 8, 2);
        int[] preferred = new int[3];
        for (int s = 0; s < 8; s++) {
            assertEquals(List.of(a.owners(s)[0], a.owners(s)[1]), List.of(b.owners(s)[0], b.owners(s)[1]));
            preferred[a.owners(s)[0]]++;
        }
        for (int p : preferred) assertTrue(p >= 2, "preferred owners spread: " + java.util.Arrays.toString(preferred));
    }

    @Test
    void rejectsImpossibleShapes() {
        assertThrows(IllegalArgumentException.class, () -> new ShardOwnership(2, 8, 3));
        assertThrows(IllegalArgumentException.class, () -> new ShardOwnership(0, 8, 1));
        assertThrows(IllegalArgumentException.class, () -> new ShardOwnership(2, 8, 1).ownedBy(2));
    }

    @Test
    void ordinalFromConfigOrHostname() {
        assertEquals(Optional.of(3), NodeOrdinal.fromHostname("strata-3"));
        assertEquals(Optional.of(12), NodeOrdinal.fromHostname("strata-12.strata-headless.ns.svc"));
        assertEquals(Optional.empty(), NodeOrdinal.fromHostname("laptop"));
        assertEquals(2, NodeOrdinal.resolve(-1, "strata-2", 3));
        assertEquals(1, NodeOrdinal.resolve(1, "strata-2", 3));
        assertEquals(0, NodeOrdinal.resolve(-1, "build-host-77", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeOrdinal.resolve(-1, "laptop", 3));
        assertTrue(e.getMessage().contains("laptop"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeOrdinal.resolve(-1, "strata-5", 3));
    }

    @Test
    void peersFromTemplateOrList() {
        PeerAddresses t = new PeerAddresses(List.of(), "strata-{ordinal}.strata-headless.{namespace}.svc:9090", "prod", 3);
        assertEquals("strata-2.strata-headless.prod.svc:9090", t.of(2));
        PeerAddresses l = new PeerAddresses(List.of("a:1", "b:2"), "ignored", "x", 2);
        assertEquals("b:2", l.of(1));
        assertThrows(IllegalArgumentException.class, () -> new PeerAddresses(List.of("a:1"), "", "x", 2));
        assertThrows(IllegalArgumentException.class, () -> new PeerAddresses(List.of(), "host:9090", "x", 2));
    }

    @Test
    void topologyFromSettings() {
        ClusterSettings c = new ClusterSettings(8, -1, Duration.ofSeconds(1), 3, 2, List.of(),
                "strata-{ordinal}:9090", "default", Duration.ofSeconds(1));
        ClusterTopology t = ClusterTopology.from(c, "strata-1");
        assertEquals(1, t.self());
        assertEquals(t.ownership().ownedBy(1), t.ownedShards());
        assertEquals("strata-0:9090", t.peers().of(0));
    }
}

package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.config.ConfigException;
import dev.strata.query.distributed.LocalShards;
import dev.strata.query.distributed.LocalShards.ShardProgress;
import dev.strata.query.storage.LocalShardsQueryable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionGuardTest {
    @Test
    void aShardsAgeIsTheLowestKnownAmongItsOwners() {
        long[] ages = {-1, -1, -1};
        RetentionGuard.merge(ages, Map.of(0, progress(50_000), 1, progress(-1)));
        RetentionGuard.merge(ages, Map.of(0, progress(2_000), 1, progress(-1), 2, progress(70_000)));
        assertArrayEquals(new long[] {2_000, -1, 70_000}, ages, "shard 1: no owner knows; shard 0: one owner flushed");
    }

    @Test
    void aLimitBelowThreeFlushIntervalsIsRefusedNamingTheKeys() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> RetentionGuard.checkSettings(50, Duration.ofMinutes(2), Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("ingest.retention-guard-percent=50") && e.getMessage().contains("kafka.retention")
                && e.getMessage().contains("flush.interval"), e.getMessage());
        assertDoesNotThrow(() -> RetentionGuard.checkSettings(0, Duration.ofMinutes(2), Duration.ofMinutes(1)), "disabled");
        assertDoesNotThrow(() -> RetentionGuard.checkSettings(50, Duration.ofDays(7), Duration.ofMinutes(1)), "the defaults");
    }

    /**
     * A shard no owner has open (a node restarted while Cassandra is down cannot open it) is not
     * consumed: its last known age keeps growing with wall time until an owner reports it again, and a
     * shard never measured since the guard started counts from that start.
     */
    @Test
    void aShardNoOwnerReportsKeepsAgingFromItsLastKnownAge() throws Exception {
        long[] now = {1_000_000_000L};
        Map<Integer, ShardProgress> progress = new java.util.TreeMap<>();
        LocalShards shards = new LocalShards() {
            @Override public boolean isReady(int shard) { return false; }
            @Override public List<LocalShardsQueryable.Shard> open(Set<Integer> s) { return List.of(); }
            @Override public Map<Integer, ShardProgress> progress() { return new java.util.TreeMap<>(progress); }
        };
        ClusterTopology topology = new ClusterTopology(0, new ShardOwnership(1, 2, 1),
                new PeerAddresses(List.of("127.0.0.1:1"), "", "default", 1));
        try (PeerClient client = new PeerClient(topology.peers(), Duration.ofSeconds(1), Duration.ofSeconds(1));
             RetentionGuard guard = new RetentionGuard(topology, shards, client, 50, Duration.ofMinutes(10), () -> now[0])) {
            // limit: 50% of 10 min = 300 s
            progress.put(0, progress(100_000));
            progress.put(1, progress(0));
            guard.refresh();
            assertNull(guard.refusal(0));
            progress.put(0, CLOSED); // its owner restarted and cannot open it
            now[0] += 150_000;
            guard.refresh();
            assertEquals(250_000, guard.ageMs(0), "100 s measured + 150 s unconsumed");
            assertNull(guard.refusal(0));
            now[0] += 60_000;
            guard.refresh();
            String why = guard.refusal(0);
            assertNotNull(why, "310 s > 300 s");
            assertTrue(why.contains("no owner has it open") && why.contains("at least 310 s"), why);
            assertNull(guard.refusal(1), "measured, all durable");
            assertTrue(guard.readinessProblem().contains("shard 0"));
            progress.put(0, progress(5_000)); // open again and flushing: the measurement replaces the estimate
            guard.refresh();
            assertNull(guard.refusal(0));
        }
        progress.put(0, CLOSED);
        try (PeerClient client = new PeerClient(topology.peers(), Duration.ofSeconds(1), Duration.ofSeconds(1));
             RetentionGuard fresh = new RetentionGuard(topology, shards, client, 50, Duration.ofMinutes(10), () -> now[0])) {
            now[0] += 299_000;
            fresh.refresh();
            assertNull(fresh.refusal(0));
            now[0] += 2_000;
            fresh.refresh();
            assertNotNull(fresh.refusal(0), "never opened for 301 s since the guard started");
        }
    }

    private static final ShardProgress CLOSED = new ShardProgress(false, 0, 0, false, -1, -1);

    private static ShardProgress progress(long ageMs) {
        return new ShardProgress(true, 1, 1, true, 0, ageMs);
    }
}

package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.config.ConfigException;
import dev.strata.query.distributed.LocalShards.ShardProgress;
import java.time.Duration;
import java.util.Map;
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

    private static ShardProgress progress(long ageMs) {
        return new ShardProgress(true, 1, 1, true, 0, ageMs);
    }
}

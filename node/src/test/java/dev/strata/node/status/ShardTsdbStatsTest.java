package dev.strata.node.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.index.ValueCount;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node-to-node encoding (docs/format/tsdb-stats.md): round trip, and malformed answers named. */
class ShardTsdbStatsTest {
    private static final List<ShardTsdbStats> STATS;

    static {
        Map<String, List<ValueCount>> labels = new LinkedHashMap<>();
        labels.put("__name__", List.of(new ValueCount("up", 3), new ValueCount("ü_metric", 1)));
        labels.put("job", List.of(new ValueCount("node", 4)));
        STATS = List.of(new ShardTsdbStats(3, 4, 17, 1_700_000_000_000L, 1_700_000_360_000L, labels),
                new ShardTsdbStats(5, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, Map.of()));
    }

    @Test
    void roundTrips() {
        assertEquals(STATS, ShardTsdbStats.decode(ShardTsdbStats.encode(STATS)));
        assertEquals(List.of(), ShardTsdbStats.decode(ShardTsdbStats.encode(List.of())));
    }

    @Test
    void malformedAnswersAreNamed() {
        byte[] good = ShardTsdbStats.encode(STATS);
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShardTsdbStats.decode(magic)).getMessage().contains("bad magic"));
        byte[] version = good.clone();
        version[4] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShardTsdbStats.decode(version)).getMessage()
                .contains("unsupported version 9"));
        for (int cut : new int[] {3, 9, good.length / 2, good.length - 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ShardTsdbStats.decode(Arrays.copyOf(good, cut)), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("tsdb stats: "), e.getMessage());
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShardTsdbStats.decode(trailing)).getMessage()
                .contains("2 trailing bytes"));
        byte[] hugeCount = good.clone();
        hugeCount[5] = 0x7f; // shard count 0x7f000002
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShardTsdbStats.decode(hugeCount)).getMessage()
                .contains("bad count of shards"));
    }
}

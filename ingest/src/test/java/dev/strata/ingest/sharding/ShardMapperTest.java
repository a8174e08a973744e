package dev.strata.ingest.sharding;

import dev.strata.store.sharding.ShardMapper;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.store.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardMapperTest {
    static final int PINNED_SHARD = 24;

    @Test
    void knownValuesAreStable() {
        // Pinned: changing the formula would move every series to another shard (a data migration).
        ShardMapper m = ShardMapper.byMetricName(256, 3);
        Labels l = Labels.of("__name__", "node_cpu_seconds_total", "cpu", "0", "mode", "idle", "instance", "host-1:9100");
        long key = l.hashOf(new String[] {"__name__"});
        int expected = (int) ((key & 31) | ((l.hash() >>> 61) << 5));
        assertEquals(expected, m.shard(l));
        assertEquals(PINNED_SHARD, m.shard(l), "the formula or the hash changed");
    }

    @Test
    void seriesOfOneMetricSpreadOverExactlyTheAdvertisedShards() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int spread = 0; spread <= 4; spread++) {
            ShardMapper m = ShardMapper.byMetricName(64, spread);
            String metric = "metric_" + rnd.nextInt(1000);
            int[] allowed = m.shardsForKey(Labels.of("__name__", metric));
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                int s = m.shard(Labels.of("__name__", metric, "instance", "h" + rnd.nextInt(1_000_000)));
                assertTrue(Arrays.binarySearch(allowed, s) >= 0, "seed=" + seed + " spread=" + spread + " shard " + s);
                seen.add(s);
            }
            assertEquals(1 << spread, seen.size(), "seed=" + seed + ": 2000 series fill all 2^spread shards");
        }
    }

    @Test
    void metricsCoverAllShardsRoughlyEvenly() {
        ShardMapper m = ShardMapper.byMetricName(16, 1);
        int[] counts = new int[16];
        for (int i = 0; i < 16_000; i++) counts[m.shard(Labels.of("__name__", "m" + i, "i", "" + (i % 7)))]++;
        for (int c : counts) assertTrue(c > 700 && c < 1300, Arrays.toString(counts));
    }

    @Test
    void batchHasherMatchesLabelsHashes() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        String[][] keySets = {{"__name__"}, {"__name__", "job"}, {"tenant"}};
        for (String[] keys : keySets) {
            ShardMapper m = new ShardMapper(32, 2, keys);
            BatchHasher h = new BatchHasher(m.shardKeyNames());
            for (int i = 0; i < 200; i++) {
                WriteBatch b = new WriteBatch();
                b.beginSeries();
                Labels.Builder lb = new Labels.Builder();
                int n = 1 + rnd.nextInt(6);
                String[] names = {"__name__", "job", "tenant", "zone", "é", "\uD83D\uDE00x", "\uE000y", "a"};
                for (int k = 0; k < n; k++) {
                    String name = names[rnd.nextInt(names.length)];
                    if (!lb.get(name).isEmpty()) continue;
                    String value = "v" + rnd.nextInt(100) + (rnd.nextBoolean() ? "\uD83D\uDE00" : "\uE001");
                    lb.set(name, value);
                    byte[] nb = name.getBytes(StandardCharsets.UTF_8);
                    byte[] vb = value.getBytes(StandardCharsets.UTF_8);
                    b.addLabel(b.appendBytes(nb, 0, nb.length), nb.length, b.appendBytes(vb, 0, vb.length), vb.length);
                }
                b.addSample(0, 0);
                b.endSeries();
                Labels l = lb.build();
                h.hash(b, 0);
                assertEquals(l.hash(), h.fullHash(), "seed=" + seed + " " + l);
                assertEquals(l.hashOf(m.shardKeyNames()), h.keyHash(), "seed=" + seed + " " + l);
                assertEquals(m.shard(l), m.shard(h.keyHash(), h.fullHash()));
            }
        }
    }

    @Test
    void rejectsBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> ShardMapper.byMetricName(12, 0));
        assertThrows(IllegalArgumentException.class, () -> ShardMapper.byMetricName(8, 4));
        assertArrayEquals(new int[] {0}, ShardMapper.byMetricName(1, 0).shardsForKeyHash(12345));
    }
}

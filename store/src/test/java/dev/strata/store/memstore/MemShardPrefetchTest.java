package dev.strata.store.memstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.store.SampleIterator;
import dev.strata.store.model.Labels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link MemShard#prefetch} is a pure hint: a shard that gets read-ahead calls (with known, unknown,
 * evicted-looking, negative and out-of-range ids) between its appends ends up identical to one that
 * gets none: same append results, same chunks byte for byte, same buffered samples, same counters.
 */
class MemShardPrefetchTest {
    @Test
    void prefetchChangesNothing() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("MemShardPrefetchTest seed=" + seed);
        Random rnd = new Random(seed);
        MemShardOptions o = MemShardOptions.defaults().withChunking(60_000, 1 + rnd.nextInt(20)).withOutOfOrderWindowMs(rnd.nextInt(30_000))
                .withMemoryBudgetBytes(Long.MAX_VALUE);
        MemShard plain = new MemShard(0, o);
        MemShard hinted = new MemShard(0, o);
        int series = 1 + rnd.nextInt(60);
        long[] last = new long[series];
        for (int id = 0; id < series; id++) {
            if (rnd.nextInt(8) == 0) continue; // gaps: ids the shard does not know
            Labels l = Labels.of("__name__", "m", "id", Integer.toString(id));
            plain.createSeries(id, l);
            hinted.createSeries(id, l);
            last[id] = rnd.nextInt(100_000);
        }
        int[] ids = new int[40];
        for (int step = 0; step < 20_000; step++) {
            int id = rnd.nextInt(series);
            long t = switch (rnd.nextInt(6)) {
                case 0 -> last[id] - rnd.nextInt(40_000); // out of order: inside or beyond the window, or a duplicate
                case 1 -> last[id];
                default -> last[id] += 1 + rnd.nextInt(15_000);
            };
            double v = rnd.nextInt(4) == 0 ? 1.0 : rnd.nextInt(100);
            long st = rnd.nextInt(10) == 0 ? t - rnd.nextInt(1000) : 0;
            if (rnd.nextInt(3) == 0) {
                int n = rnd.nextInt(ids.length + 1);
                for (int i = 0; i < n; i++) {
                    ids[i] = switch (rnd.nextInt(5)) {
                        case 0 -> -1;
                        case 1 -> series + rnd.nextInt(1 << 20);
                        default -> rnd.nextInt(series);
                    };
                }
                hinted.prefetch(ids, n);
            }
            assertEquals(plain.append(id, t, st, v), hinted.append(id, t, st, v), "seed=" + seed + " step=" + step);
        }
        assertEquals(plain.appendedCount(), hinted.appendedCount(), "seed=" + seed);
        assertEquals(plain.duplicateCount(), hinted.duplicateCount(), "seed=" + seed);
        assertEquals(plain.conflictCount(), hinted.conflictCount(), "seed=" + seed);
        assertEquals(plain.tooOldCount(), hinted.tooOldCount(), "seed=" + seed);
        assertEquals(plain.usedBytes(), hinted.usedBytes(), "seed=" + seed);
        for (int id = 0; id < series; id++) {
            List<SealedChunk> a = plain.chunks(id);
            List<SealedChunk> b = hinted.chunks(id);
            assertEquals(a.size(), b.size(), "seed=" + seed + " series " + id);
            for (int c = 0; c < a.size(); c++) assertArrayEquals(a.get(c).bytes(), b.get(c).bytes(), "seed=" + seed + " series " + id);
            SampleIterator x = plain.iterator(id, Long.MIN_VALUE, Long.MAX_VALUE);
            SampleIterator y = hinted.iterator(id, Long.MIN_VALUE, Long.MAX_VALUE);
            while (x.next()) {
                assertEquals(true, y.next(), "seed=" + seed + " series " + id);
                assertEquals(x.timestamp(), y.timestamp(), "seed=" + seed + " series " + id);
                assertEquals(Double.doubleToRawLongBits(x.value()), Double.doubleToRawLongBits(y.value()), "seed=" + seed);
            }
            assertEquals(false, y.next(), "seed=" + seed + " series " + id);
        }
    }
}

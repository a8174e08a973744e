package dev.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads running while one thread adds series: every read sees at least every series whose
 * addSeries returned before the read started (read-your-writes), never a series with other labels.
 */
class ShardIndexConcurrencyTest {
    @Test
    void readsSeeCompletedAddsWhileWritesContinue() throws Exception {
        int total = 1500;
        AtomicInteger added = new AtomicInteger(); // series 0..added-1 have been added
        AtomicBoolean done = new AtomicBoolean();
        List<Matcher> evens = List.of(Matcher.eq("parity", "even"));
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "index-test-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try (ShardIndex index = ShardIndex.inMemory(0, new ShardIndexOptions(16, 200, true, 2))) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < total; i++) {
                    assertEquals(i, index.addSeries(series(i), i));
                    added.set(i + 1);
                }
                done.set(true);
            }, pool);
            List<CompletableFuture<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(CompletableFuture.supplyAsync(() -> {
                    int reads = 0;
                    while (!done.get() || reads < 5) {
                        int before = added.get();
                        RoaringBitmap ids = index.select(evens, Long.MIN_VALUE, Long.MAX_VALUE);
                        for (int i = 0; i < before; i += 2) {
                            assertTrue(ids.contains(i), "series " + i + " added before the read is missing");
                        }
                        ids.forEach((org.roaringbitmap.IntConsumer) id -> {
                            Labels l = index.labels(id);
                            assertEquals("even", l.get("parity"), "series " + id + " " + l);
                        });
                        reads++;
                    }
                    return reads;
                }, pool));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> r : readers) assertTrue(r.get(60, TimeUnit.SECONDS) > 0);
            assertEquals(total, index.seriesCount());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Labels series(int i) {
        return Labels.of("__name__", "up", "instance", "host-" + i, "parity", i % 2 == 0 ? "even" : "odd");
    }
}

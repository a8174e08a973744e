package dev.strata.ingest.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;

/**
 * The consumer's read-ahead (batches of entries warmed in the store before they are applied): the
 * hints name the series the next appends go to, or -1 where the series is not resolved yet, and
 * the samples stored are exactly the record's, in order, whatever the mix of new, known, repeated
 * and multi-sample entries.
 */
class ShardConsumerReadAheadTest {
    @Test
    void hintsNameTheNextAppendsAndChangeNothing() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("ShardConsumerReadAheadTest seed=" + seed);
        Random rnd = new Random(seed);
        FakeShard f = new FakeShard();
        ShardConsumer sc = new ShardConsumer(ShardConsumerConfig.of("ingest", 1, 0), new MockConsumer<>("earliest"), f, f, System::nanoTime);
        List<Labels> universe = new ArrayList<>();
        for (int i = 0; i < 400; i++) universe.add(Labels.of("__name__", "m" + (i % 7), "i", Integer.toString(i)));
        Map<Labels, List<FakeShard.Sample>> expected = new HashMap<>();
        Map<Labels, Long> lastTs = new HashMap<>();
        ShardRecordWriter w = new ShardRecordWriter();
        List<Labels> entryLabels = new ArrayList<>();
        List<Integer> entrySamples = new ArrayList<>();
        for (int offset = 0; offset < 60; offset++) {
            w.reset(1);
            int entries = rnd.nextInt(150);
            // later records mostly revisit series seen before (cache hits), early ones bring new ones
            int pool = Math.min(universe.size(), 20 + offset * 10);
            for (int e = 0; e < entries; e++) {
                Labels l = universe.get(rnd.nextInt(pool));
                int n = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(4) : 1;
                entryLabels.add(l);
                entrySamples.add(n);
                w.beginSeries(l.hash(), l.size(), n);
                for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
                for (int s = 0; s < n; s++) {
                    long ts = lastTs.merge(l, 1000L + rnd.nextInt(1000), Long::sum);
                    double v = rnd.nextInt(100);
                    w.sample(ts, v);
                    expected.computeIfAbsent(l, k -> new ArrayList<>()).add(new FakeShard.Sample(ts, v));
                }
                w.endSeries();
            }
            sc.apply(offset, w.finish());
        }
        for (Map.Entry<Labels, List<FakeShard.Sample>> e : expected.entrySet()) {
            assertEquals(e.getValue(), f.samples.get(f.indexIds.get(e.getKey())), "seed=" + seed + " " + e.getKey());
        }
        assertEquals(expected.size(), f.storeSeries.size(), "seed=" + seed);
        // walk the calls along the entries: each entry is one append per sample; a hint covers the next entries
        int hinted = 0, unresolved = 0;
        int entry = 0, appendsLeft = 0;
        List<String> pending = List.of();
        int pendingAt = 0;
        Set<Labels> applied = new HashSet<>();
        Set<Labels> appliedAtHint = Set.of();
        for (String call : f.calls) {
            if (call.startsWith("p")) {
                assertEquals(0, appendsLeft, "a hint in the middle of an entry, seed=" + seed);
                pending = List.of(call.substring(1).split(","));
                pendingAt = 0;
                appliedAtHint = Set.copyOf(applied);
                continue;
            }
            if (appendsLeft == 0) {
                String id = call.substring(1);
                assertTrue(pendingAt < pending.size(), "an entry outside any hint, seed=" + seed + " entry " + entry);
                String hint = pending.get(pendingAt++);
                if (hint.equals("-1")) {
                    unresolved++;
                    assertTrue(!appliedAtHint.contains(entryLabels.get(entry)), "a cached series not hinted, seed=" + seed + " entry " + entry);
                } else {
                    hinted++;
                    assertEquals(id, hint, "seed=" + seed + " entry " + entry);
                }
                applied.add(entryLabels.get(entry));
                appendsLeft = entrySamples.get(entry++);
            }
            assertEquals("a" + f.indexIds.get(entryLabels.get(entry - 1)), call, "seed=" + seed + " entry " + (entry - 1));
            appendsLeft--;
        }
        assertEquals(entrySamples.size(), entry, "seed=" + seed);
        assertTrue(hinted > 5 * unresolved, "hints resolved " + hinted + ", unresolved " + unresolved + ", seed=" + seed);
    }
}

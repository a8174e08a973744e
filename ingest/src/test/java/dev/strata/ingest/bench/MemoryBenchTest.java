package dev.strata.ingest.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryBenchTest {
    @Test
    void classHistogramIsGroupedByStructure() {
        String histogram = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:        267713       99068160  [B (java.base@17.0.15)
                   2:           496       21907032  [J (java.base@17.0.15)
                   3:        200078       17606864  dev.strata.store.memstore.HeadBuffer
                   4:        200078       14405616  dev.strata.store.memstore.SeriesState
                   5:        201150       12192352  [Ljava.lang.String; (java.base@17.0.15)
                   6:        200079        6402528  dev.strata.store.model.Labels
                   7:         28939         926048  java.util.concurrent.ConcurrentHashMap$Node (java.base@17.0.15)
                   8:            10           1000  org.apache.lucene.index.IndexWriter
                   9:             3            300  com.example.Unknown
                Total       1098546      172507900
                """;
        Map<String, long[]> g = MemoryBench.groups(histogram);
        assertArrayEquals(new long[] {400_156, 32_012_480}, g.get("memstore series, write buffers, chunks (objects)"));
        assertArrayEquals(new long[] {267_713, 99_068_160}, g.get("byte[] (write buffers, chunks, strings' bytes, Lucene/Kafka buffers)"));
        assertArrayEquals(new long[] {200_079, 6_402_528}, g.get("label sets (Labels)"));
        assertArrayEquals(new long[] {201_150, 12_192_352}, g.get("Object[] and other arrays"));
        assertArrayEquals(new long[] {28_939, 926_048}, g.get("hash maps"));
        assertArrayEquals(new long[] {10, 1000}, g.get("Lucene"));
        assertArrayEquals(new long[] {3, 300}, g.get("other"));
        long total = 0;
        for (long[] v : g.values()) total += v[1];
        assertEquals(99_068_160L + 21_907_032 + 17_606_864 + 14_405_616 + 12_192_352 + 6_402_528 + 926_048 + 1000 + 300, total,
                "every class line counted once, the Total line not at all");
    }

    @Test
    void badArgumentsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryBench.main(new String[] {"--nope", "1"}));
        assertTrue(e.getMessage().startsWith("bad argument --nope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MemoryBench.main(new String[] {"--strata-url", "http://x/api/v1/write"}));
        assertTrue(e.getMessage().startsWith("--strata-url and --strata-pid go together"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MemoryBench.main(new String[0]));
        assertTrue(e.getMessage().startsWith("no system given"), e.getMessage());
    }

    @Test
    void rssIsReadFromProc() throws Exception {
        long rss = MemoryBench.rss(ProcessHandle.current().pid());
        assertTrue(rss > 1 << 20 && rss < Runtime.getRuntime().maxMemory() + (4L << 30), "this JVM's RSS: " + rss);
    }
}

package dev.strata.store.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    private static String str(String s) {
        return new JsonWriter().string(s).toString();
    }

    @Test
    void escapesAsPrometheus() {
        assertEquals("\"plain\"", str("plain"));
        assertEquals("\"q\\\"b\\\\\"", str("q\"b\\"));
        assertEquals("\"\\n\\r\\t\\u0008\\u000c\\u0001\\u001f\"", str("\n\r\t\b\f\u0001\u001f"));
        assertEquals("\"\\u003ca\\u003e\\u0026\"", str("<a>&"));
        assertEquals("\"\\u2028\\u2029\"", str("\u2028\u2029"));
        assertEquals("\"é日本😀\"", str("é日本😀"));
        assertEquals("\"\\ufffd\"", str("\ud800"));
        assertEquals("\"\\ufffdx\"", str("\udc00x"));
    }

    @Test
    void numbersMatchTheFormatter() {
        long seed = Long.getLong("seed", System.nanoTime());
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < 20_000; i++) {
            long ms = i % 3 == 0 ? r.nextLong() / 1000 : r.nextInt(2_000_000_000) * 1000L + r.nextInt(1000);
            double v = switch (i % 4) {
                case 0 -> r.nextInt(1_000_000);
                case 1 -> -r.nextInt(1000);
                case 2 -> r.nextDouble() * 1e16;
                default -> r.nextInt(1000) / 7.0;
            };
            String got = new JsonWriter(8).timestamp(ms).raw(',').sampleValue(v).toString();
            assertEquals(SampleValueFormat.formatTimestamp(ms) + ",\"" + SampleValueFormat.formatValue(v) + "\"", got,
                    "seed=" + seed + " ms=" + ms + " v=" + v);
        }
        assertEquals("\"-0\"", new JsonWriter().sampleValue(-0.0).toString());
        assertEquals("\"0\"", new JsonWriter().sampleValue(0.0).toString());
    }

    @Test
    void growsPastInitialCapacity() {
        JsonWriter w = new JsonWriter(16);
        StringBuilder expect = new StringBuilder("[");
        w.raw('[');
        for (int i = 0; i < 1000; i++) {
            if (i > 0) { w.raw(','); expect.append(','); }
            w.timestamp(i * 1001L);
            expect.append(SampleValueFormat.formatTimestamp(i * 1001L));
        }
        w.raw(']');
        assertEquals(expect.append(']').toString(), w.toString());
    }
}

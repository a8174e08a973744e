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

    /**
     * Non-integers in Go's plain range [1e-6, 1e15) are written straight into the buffer
     * ({@code plainDecimal}); the text must be the formatter's for every kind of value: few and 16-17
     * digit fractions, negatives, values below 1 with leading zeros, the range's edges.
     */
    @Test
    void plainDecimalsMatchTheFormatter() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("JsonWriterTest.plainDecimalsMatchTheFormatter seed=" + seed);
        java.util.Random r = new java.util.Random(seed);
        double[] fixed = {1e-6, 1.5e-6, 0.000123, 0.1, 0.5, 1.25, 10.5, 128.64, 0.3, 1.0 / 3, 2.0 / 3, 1e15 - 0.5,
                999999999999999.9, 123456.789, 0.0010000000000000002, Math.nextUp(1e-6), Math.nextDown(1e15)};
        for (double v : fixed) {
            for (double x : new double[] {v, -v}) {
                assertEquals("\"" + SampleValueFormat.formatValue(x) + "\"", new JsonWriter(4).sampleValue(x).toString(), "v=" + x);
            }
        }
        for (int i = 0; i < 50_000; i++) {
            double v = switch (i % 5) {
                case 0 -> (r.nextInt(30_000) + 1) / 300.0; // a rate over 5 minutes
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(21) - 6);
                case 2 -> Math.round(r.nextDouble() * 1e6) / 1000.0;
                case 3 -> -(r.nextInt(1_000_000) + 1) / (double) (r.nextInt(999) + 1);
                default -> Double.longBitsToDouble(r.nextLong() & Long.MAX_VALUE);
            };
            if (!Double.isFinite(v)) continue;
            String got = new JsonWriter(4).sampleValue(v).toString();
            assertEquals("\"" + SampleValueFormat.formatValue(v) + "\"", got,
                    "seed=" + seed + " bits=" + Double.doubleToLongBits(v) + " v=" + v);
        }
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

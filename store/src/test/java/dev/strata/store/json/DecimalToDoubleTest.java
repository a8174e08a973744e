package dev.strata.store.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DecimalToDoubleTest {
    @Test
    void agreesWithTheJdkOnRandomDecimals() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random r = new Random(seed);
        int decided = 0;
        for (int i = 0; i < 100_000; i++) {
            int nDigits = 1 + r.nextInt(18);
            long w = 0;
            for (int k = 0; k < nDigits; k++) w = w * 10 + (k == 0 ? 1 + r.nextInt(9) : r.nextInt(10));
            int q = i % 3 == 0 ? r.nextInt(80) - 40 : r.nextInt(600) - 320;
            double want = Double.parseDouble(w + "E" + q);
            double got = DecimalToDouble.convert(w, q);
            if (Double.isNaN(got)) continue;
            decided++;
            assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got),
                    "seed=" + seed + " w=" + w + " q=" + q);
        }
        // Undecided answers are rare (half-way and subnormal cases only).
        assertEquals(true, decided > 95_000, "seed=" + seed + " decided only " + decided);
    }

    @Test
    void shortestNeighboursOfRandomDoubles() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random r = new Random(seed);
        for (int i = 0; i < 30_000; i++) {
            double v = Double.longBitsToDouble(r.nextLong() & Long.MAX_VALUE);
            if (!Double.isFinite(v) || v < Double.MIN_NORMAL) continue;
            String s = Double.toString(v);
            // Round-trip the JDK's own digits, and a one-digit-shorter rounding of them.
            java.math.BigDecimal bd = new java.math.BigDecimal(s);
            java.math.BigDecimal shorter = bd.round(new java.math.MathContext(Math.max(1, bd.precision() - 1)));
            for (java.math.BigDecimal c : new java.math.BigDecimal[] {bd, shorter}) {
                java.math.BigDecimal st = c.stripTrailingZeros();
                String digits = st.unscaledValue().toString();
                int point = digits.length() - st.scale();
                assertEquals(c.doubleValue(), DecimalToDouble.parse(digits, point), "seed=" + seed + " " + c);
            }
        }
    }
}

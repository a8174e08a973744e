package dev.strata.store.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleValueFormatTest {

    @Test
    void valuesAsGoFormatsThem() {
        assertEquals("1", SampleValueFormat.formatValue(1));
        assertEquals("-1", SampleValueFormat.formatValue(-1));
        assertEquals("0", SampleValueFormat.formatValue(0));
        assertEquals("-0", SampleValueFormat.formatValue(-0.0));
        assertEquals("0.1", SampleValueFormat.formatValue(0.1));
        assertEquals("-0.5", SampleValueFormat.formatValue(-0.5));
        assertEquals("NaN", SampleValueFormat.formatValue(Double.NaN));
        assertEquals("+Inf", SampleValueFormat.formatValue(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", SampleValueFormat.formatValue(Double.NEGATIVE_INFINITY));
        assertEquals("1e-07", SampleValueFormat.formatValue(1e-7));
        assertEquals("1.5e-07", SampleValueFormat.formatValue(1.5e-7));
        assertEquals("0.000001", SampleValueFormat.formatValue(1e-6));
        assertEquals("0.0000025", SampleValueFormat.formatValue(2.5e-6));
        assertEquals("1e+21", SampleValueFormat.formatValue(1e21));
        assertEquals("100000000000000000000", SampleValueFormat.formatValue(1e20));
        assertEquals("123456789.123", SampleValueFormat.formatValue(123456789.123));
        assertEquals("5e-324", SampleValueFormat.formatValue(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e+308", SampleValueFormat.formatValue(Double.MAX_VALUE));
        assertEquals("1e+100", SampleValueFormat.formatValue(1e100));
        assertEquals("0.30000000000000004", SampleValueFormat.formatValue(0.1 + 0.2));
        assertEquals("9007199254740994", SampleValueFormat.formatValue(9007199254740994.0));
        assertEquals("1000000000000000", SampleValueFormat.formatValue(1e15));
        assertEquals("123456789012345680000", SampleValueFormat.formatValue(1.2345678901234568e20));
        assertEquals("282879384806159000", SampleValueFormat.formatValue(2.82879384806159E17));
    }

    @Test
    void shortestMatchesExactReferenceOnRandomDoubles() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            double v;
            switch (i % 5) {
                case 0 -> v = Double.longBitsToDouble(r.nextLong() & Long.MAX_VALUE);
                case 1 -> v = r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
                case 2 -> v = Math.round(r.nextDouble() * 1e6) / 1000.0;
                case 3 -> v = (r.nextInt(1000) + 1) / (double) (r.nextInt(299) + 1);
                default -> v = r.nextInt(100000) / 100.0 + 1e-3 * r.nextInt(10);
            }
            if (!Double.isFinite(v) || v == 0) continue;
            SampleValueFormat.Decimal d = SampleValueFormat.shortest(v);
            String got = d.digits() + "e" + d.point();
            String want = SampleValueFormat.referenceShortest(v);
            assertEquals(want, got, "seed=" + seed + " value bits=" + Double.doubleToLongBits(v));
            SampleValueFormat.Decimal f = SampleValueFormat.fewDigits(v);
            if (f != null) assertEquals(want, f.digits() + "e" + f.point(), "fast path, seed=" + seed + " bits=" + Double.doubleToLongBits(v));
        }
    }

    @Test
    void exactRoundingOfScaledValues() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            double v = (r.nextInt(100000) + 1) / (double) (r.nextInt(9999) + 1) * Math.pow(10, r.nextInt(12) - 6);
            int k = r.nextInt(23);
            long got = SampleValueFormat.roundedScaled(v, k);
            if (got == Long.MIN_VALUE) continue;
            java.math.BigDecimal want = new java.math.BigDecimal(v).movePointRight(k).setScale(0, java.math.RoundingMode.HALF_EVEN);
            assertEquals(want.longValueExact(), got, "seed=" + seed + " v=" + v + " k=" + k);
        }
    }

    @Test
    void timestampsAsPrometheusMarshalsThem() {
        assertEquals("1435781451.781", SampleValueFormat.formatTimestamp(1435781451781L));
        assertEquals("1435781451.780", SampleValueFormat.formatTimestamp(1435781451780L));
        assertEquals("1435781451.001", SampleValueFormat.formatTimestamp(1435781451001L));
        assertEquals("1435781451.010", SampleValueFormat.formatTimestamp(1435781451010L));
        assertEquals("1435781451", SampleValueFormat.formatTimestamp(1435781451000L));
        assertEquals("0", SampleValueFormat.formatTimestamp(0));
        assertEquals("-0.500", SampleValueFormat.formatTimestamp(-500));
        assertEquals("-1.001", SampleValueFormat.formatTimestamp(-1001));
    }
}

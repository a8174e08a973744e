package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.query.storage.InMemoryQueryable;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Element functions where Go's float and time semantics decide the answer; the expected values are
 * what a real Prometheus 2.42 answered in {@code PrometheusDifferentialTest}, where Strata answered
 * differently (a 500 for the date functions of NaN/±Inf, 0 for asinh/atanh of a tiny value).
 */
class GoSemanticsFunctionsTest {
    private final Engine engine = new Engine(new InMemoryQueryable(), QueryOptions.defaults());

    private double instant(String q) {
        List<Sample> s = ((Vector) engine.instantQuery(q, 0).value()).samples();
        assertEquals(1, s.size(), q);
        return s.get(0).value();
    }

    @Test
    void dateFunctionsOfNanAndInfinitiesAreGosWrappedMinInt64() {
        // Go: int64(NaN or ±Inf) = MinInt64 on amd64; time.Unix(MinInt64, 0).UTC() = 292277026596-12-04 15:30:08.
        for (String v : List.of("NaN", "Inf", "-Inf", "1e300", "-1e300")) {
            assertEquals(292277026596.0, instant("year(vector(" + v + "))"), v);
            assertEquals(12, instant("month(vector(" + v + "))"), v);
            assertEquals(4, instant("day_of_month(vector(" + v + "))"), v);
            assertEquals(339, instant("day_of_year(vector(" + v + "))"), v);
            assertEquals(15, instant("hour(vector(" + v + "))"), v);
            assertEquals(30, instant("minute(vector(" + v + "))"), v);
            assertEquals(0, instant("day_of_week(vector(" + v + "))"), v);
            assertEquals(31, instant("days_in_month(vector(" + v + "))"), v);
        }
    }

    @Test
    void dateFieldsAgreeWithJavaTimeWhereItCanHoldTheDate() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            long sec = i < 10_000 ? r.nextLong() % 100_000_000_000L : r.nextLong() % 31_556_889_864_403_199L;
            double v = sec + (r.nextBoolean() ? 0.75 : 0);
            ZonedDateTime j = ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond((long) v), ZoneOffset.UTC);
            GoDate g = GoDate.of(v);
            String at = "seed=" + seed + " sec=" + sec;
            assertEquals(j.getYear(), g.year(), at);
            assertEquals(j.getMonthValue(), g.month(), at);
            assertEquals(j.getDayOfMonth(), g.day(), at);
            assertEquals(j.getDayOfYear(), g.dayOfYear(), at);
            assertEquals(j.getHour(), g.hour(), at);
            assertEquals(j.getMinute(), g.minute(), at);
            assertEquals(j.getDayOfWeek().getValue() % 7, g.dayOfWeek(), at);
            assertEquals(j.toLocalDate().lengthOfMonth(), g.daysInMonth(), at);
        }
    }

    @Test
    void inverseHyperbolicFunctionsKeepTinyValues() {
        double tiny = -5.551115123125783e-17;
        assertEquals(tiny, FloatMath.asinh(tiny));
        assertEquals(tiny, FloatMath.atanh(tiny));
        assertEquals(-0.0, FloatMath.asinh(-0.0));
        assertEquals(1e-10, FloatMath.asinh(1e-10), 1e-25);
        assertEquals(1e-10, FloatMath.atanh(1e-10), 1e-25);
        for (double x : new double[] {0.3, -0.7, 1.5, -2.5, 40, -1e9, 1e20}) {
            double want = Math.log(x + Math.sqrt(x * x + 1));
            if (x < 0) want = -Math.log(-x + Math.sqrt(x * x + 1));
            assertEquals(want, FloatMath.asinh(x), Math.abs(want) * 1e-14, "asinh " + x);
        }
        for (double x : new double[] {0.3, -0.7, 0.999, -0.25}) {
            assertEquals(0.5 * Math.log((1 + x) / (1 - x)), FloatMath.atanh(x), 1e-14, "atanh " + x);
        }
        for (double x : new double[] {1.0001, 1.5, 3, 1e10, 1e150}) {
            assertEquals(Math.log(x + Math.sqrt(x * x - 1)), FloatMath.acosh(x), Math.log(x + Math.sqrt(x * x - 1)) * 1e-12, "acosh " + x);
        }
        assertEquals(Double.POSITIVE_INFINITY, FloatMath.atanh(1));
        assertEquals(Double.NaN, FloatMath.atanh(1.5));
        assertEquals(Double.NaN, FloatMath.acosh(0.5));
        assertEquals(0, FloatMath.acosh(1));
        assertEquals(Double.NEGATIVE_INFINITY, FloatMath.asinh(Double.NEGATIVE_INFINITY));
        assertEquals(-5.551115123125783e-17, instant("asinh(vector(-5.551115123125783e-17))"));
    }

    @Test
    void log2IsGosFrexpFormula() {
        assertEquals(3.219646771412954e-15, instant("log2(vector(1.0000000000000022))"));
        assertEquals(3, instant("log2(vector(8))"));
        assertEquals(-1074, instant("log2(vector(4.9e-324))"));
        assertEquals(-1, instant("log2(vector(0.5))"));
        assertEquals(Double.NEGATIVE_INFINITY, instant("log2(vector(0))"));
        assertEquals(Double.NaN, instant("log2(vector(-2))"));
        assertEquals(Math.log(10) / Math.log(2), instant("log2(vector(10))"), 1e-15);
    }
}
